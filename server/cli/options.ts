/**
 * Option values shared by the command-line tools (ingest, search, eval, bench): strict whole
 * numbers, and options given more than once.
 */

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
