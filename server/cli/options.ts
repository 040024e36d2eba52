/**
 * Option values shared by the command-line tools (ingest, search, eval, bench): the command line
 * read strictly, strict whole numbers, and options given more than once.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The options a command takes, as `parseArgs` describes them. */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

type StrictConfig<O extends CommandOptions> = { args: string[]; options: O; strict: true; allowPositionals: true; tokens: true };

/** The values `parseArgs` reads for `options`, typed from them. */
export type CommandValues<O extends CommandOptions> = ReturnType<typeof parseArgs<StrictConfig<O>>>['values'];

/**
 * A command line read strictly: an unknown option, a value where none is taken (or none where one
 * is), an option given more than once and more than `maxPositionals` arguments (default none) are
 * errors, thrown as an `Error` whose message says what is wrong. With `-h`/`--help`, returns
 * `'help'` whatever else is given. `options` gets `help` (`-h`) added.
 */
export function readCommandLine<const O extends CommandOptions>(
  args: string[],
  options: O,
  maxPositionals = 0,
): 'help' | { values: CommandValues<O>; positionals: string[] } {
  const { values, positionals, tokens } = parseArgs({
    args,
    allowPositionals: maxPositionals > 0,
    strict: true,
    tokens: true,
    options: { ...options, help: { type: 'boolean', short: 'h' } },
  });
  if ((values as { help?: boolean }).help) return 'help';
  const repeated = repeatedOption(tokens);
  if (repeated) throw new Error(repeated);
  if (positionals.length > maxPositionals) {
    throw new Error(
      maxPositionals === 0
        ? `unexpected argument "${positionals[0]}": this command takes no arguments`
        : `unexpected argument "${positionals[maxPositionals]}": this command takes at most ${maxPositionals}`,
    );
  }
  return { values: values as CommandValues<O>, positionals };
}

/**
 * `value` as a whole number from `min` to `max`, written in decimal digits only: `0x10`, `1e1`,
 * ` 3` and `3.0`, which `Number()` accepts, are refused. Throws an `Error` naming `--name`.
 */
export function wholeNumberOption(name: string, value: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new Error(`--${name} must be a whole number ${range} (got "${value}")`);
  }
  return n;
}

/** One token of `parseArgs({ tokens: true })`, as far as this module reads it. */
interface ArgToken {
  kind: string;
  name?: string;
  rawName?: string;
}

/**
 * The message for an option given more than once (`--k 3 --k 1`), or `undefined`. `parseArgs`
 * silently keeps the last value, which hides a typo in a long command line.
 */
export function repeatedOption(tokens: readonly ArgToken[] | undefined): string | undefined {
  const seen = new Map<string, string>();
  for (const token of tokens ?? []) {
    if (token.kind !== 'option' || token.name === undefined) continue;
    const first = seen.get(token.name);
    if (first !== undefined) return `${first === token.rawName ? first : `--${token.name}`} is given more than once; give it once`;
    seen.set(token.name, token.rawName ?? `--${token.name}`);
  }
  return undefined;
}
