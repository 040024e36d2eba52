/**
 * `npm run ask`'s exit codes: 0 answered · 1 the answer failed · 2 the question could not be asked
 * · 75 asking again later can work (sysexits' `EX_TEMPFAIL`): a rate limit refused it (the model
 * or embedding server's 429, or a running Docent server's own limits), or the embedding server
 * could not read the question for a while (it timed out, could not be reached, or failed).
 */
import { isTryAgainLaterError } from './answer/errors';

export const EXIT_ANSWERED = 0;
export const EXIT_ANSWER_FAILED = 1;
export const EXIT_NOT_ASKED = 2;
export const EXIT_TRY_LATER = 75;

/** The exit code of an answer that ended with the reader error `error` (`undefined`: it was answered). */
export function answerExitCode(error: string | undefined): number {
  if (error === undefined) return EXIT_ANSWERED;
  return isTryAgainLaterError(error) ? EXIT_TRY_LATER : EXIT_ANSWER_FAILED;
}
