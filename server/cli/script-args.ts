/**
 * The arguments of the scripts that take only a few (the benchmarks, `eval:fit`, `build:site`),
 * read strictly: a mistyped option, a value where none is taken, or `--help` stops the script
 * before it spends minutes (or writes a database) on a run nobody asked for.
 */
import { readCommandLine, type CommandOptions } from './options';

export interface ScriptArgumentsOptions {
  /** The script's name in messages: `bench:review`. */
  command: string;
  /** The help text, printed for `-h`/`--help` and after a mistake. */
  usage: string;
  /** The options it takes besides `-h`/`--help`. Default: none. */
  options?: CommandOptions;
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
    const read = readCommandLine(settings.argv ?? process.argv.slice(2), settings.options ?? {}, maxPositionals);
    if (read === 'help') {
      console.log(usage);
      process.exit(0);
    }
    return { values: read.values as Record<string, string | boolean | undefined>, positionals: read.positionals };
  } catch (error) {
    console.error(`${command}: ${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}
