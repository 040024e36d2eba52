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
