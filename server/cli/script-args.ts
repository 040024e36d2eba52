/**
 * The arguments of the scripts that take only a few (the benchmarks, `eval:fit`, `build:site`),
 * read strictly: a mistyped option, a value where none is taken, or `--help` stops the script
 * before it spends minutes (or writes a database) on a run nobody asked for.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { repeatedOption } from './options';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface ScriptArgumentsOptions {
  /** The script's name in messages: `bench:review`. */
  command: string;
  /** The help text, printed for `-h`/`--help` and after a mistake. */
  usage: string;
  /** The options it takes besides `-h`/`--help`. Default: none. */
  options?: OptionsConfig;
  /** How many positional arguments it takes at most. Default 0. */
  maxPositionals?: number;
  /** Default `process.argv.slice(2)`. */
  argv?: string[];
}

/**
 * The script's options and positional arguments. With `-h`/`--help`, prints the usage and exits
 * 0; for an unknown or repeated option, a missing value or too many arguments, prints what is
 * wrong and the usage on stderr and exits 2.
 */
export function scriptArguments(settings: ScriptArgumentsOptions): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const { command, usage, maxPositionals = 0 } = settings;
  try {
    const { values, positionals, tokens } = parseArgs({
      args: settings.argv ?? process.argv.slice(2),
      allowPositionals: maxPositionals > 0,
      strict: true,
      tokens: true,
      options: { ...settings.options, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    const repeated = repeatedOption(tokens);
    if (repeated) throw new Error(repeated);
    if (positionals.length > maxPositionals) {
      throw new Error(
        maxPositionals === 0
          ? `unexpected argument "${positionals[0]}": this command takes no arguments`
          : `unexpected argument "${positionals[maxPositionals]}": this command takes at most ${maxPositionals}`,
      );
    }
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    console.error(`${command}: ${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}
