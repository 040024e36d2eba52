/**
 * `npm run ask`'s exit codes: 0 answered · 1 the answer failed · 2 the question could not be asked
 * · 75 asking again later can work (sysexits' `EX_TEMPFAIL`): a rate limit refused it (the model
 * or embedding server's 429, or a running Docent server's own limits), the embedding server
 * could not read the question for a while (it timed out, could not be reached, or failed), a
 * running Docent server was still starting, or still shutting down, after the longest wait, or it
 * answered `503` (its first index still being built, or its database unreachable).
 */
import { isTryAgainLaterError } from './answer/errors';
import { AskServerError } from './ask-server';
import { ConfigError } from './config';
import { DatabaseLockedError } from './db/lock';
import { EXIT_TRY_LATER, isServerWaitOver, isTryLaterStatus } from './cli/try-later';

export { EXIT_TRY_LATER };

export const EXIT_ANSWERED = 0;
export const EXIT_ANSWER_FAILED = 1;
export const EXIT_NOT_ASKED = 2;

/** The exit code of an answer that ended with the reader error `error` (`undefined`: it was answered). */
export function answerExitCode(error: string | undefined): number {
  if (error === undefined) return EXIT_ANSWERED;
  return isTryAgainLaterError(error) ? EXIT_TRY_LATER : EXIT_ANSWER_FAILED;
}

/** The exit code of `npm run ask` when it stopped with `error` (thrown, not an answer's error). */
export function askFailureExitCode(error: unknown): number {
  if (error instanceof ConfigError || error instanceof DatabaseLockedError) return EXIT_NOT_ASKED;
  if (isServerWaitOver(error) || (error instanceof AskServerError && isTryLaterStatus(error.status))) return EXIT_TRY_LATER;
  return EXIT_ANSWER_FAILED;
}
