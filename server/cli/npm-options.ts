/**
 * Options npm takes as its own when they come before `--` (`npm run ingest --dry-run`): npm does
 * not pass them to the script, but exports them as `npm_config_<name>`. A command reads that to
 * stop instead of running without the option, which for `--dry-run` would be a real run.
 */

/**
 * The message for the first of `flags` (e.g. `['dry-run', 'force']`) that npm took for itself:
 * set in `env` as `npm_config_dry_run` while not among `argv`. `undefined` when there is none.
 */
export function swallowedNpmFlag(command: string, flags: readonly string[], argv: readonly string[], env: Record<string, string | undefined>): string | undefined {
  for (const flag of flags) {
    const value = env[`npm_config_${flag.replace(/-/g, '_')}`];
    if (value === undefined || value === '' || value === 'false') continue;
    if (argv.some((a) => a === `--${flag}` || a.startsWith(`--${flag}=`))) continue;
    const variable = `npm_config_${flag.replace(/-/g, '_')}`;
    return (
      `npm took --${flag} for itself and did not pass it on: put options after --, as in npm run ${command} -- --${flag} ` +
      `(or, if ${variable} comes from your environment or .npmrc, unset it)`
    );
  }
  return undefined;
}
