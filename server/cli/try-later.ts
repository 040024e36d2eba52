/**
 * "Try again later": the exit code of `npm run ask`, search and ingest when running them again
 * later can work (sysexits' `EX_TEMPFAIL`), among them a wait for a Docent server that ran out.
 */
import { ServerStartTimeoutError } from './server-start';
import { ServerShutdownTimeoutError } from './shutting-down-server';

/** The exit code for "try again later" (sysexits' `EX_TEMPFAIL`). */
export const EXIT_TRY_LATER = 75;

/**
 * Whether `error` is a wait for a Docent server that ran out: still starting (opening its
 * database) after the longest wait, or still shutting down with the database held. Running the
 * command again later can work.
 */
export function isServerWaitOver(error: unknown): boolean {
  return error instanceof ServerStartTimeoutError || error instanceof ServerShutdownTimeoutError;
}

/**
 * Whether a Docent server's HTTP status refusing a command's request means "try again later":
 * `429` (one of its rate limits) or `503` (the first index still being built or left unfinished,
 * its database or embedding server unreachable for now).
 */
export function isTryLaterStatus(status: number | undefined): boolean {
  return status === 429 || status === 503;
}
