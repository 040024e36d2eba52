/**
 * While the first index of the content folder is being built (`npm start` on a new database),
 * the routes that answer from the index (`POST /api/chat`, `GET /api/search`) answer `503`
 * `index_building` with `Retry-After`, rather than answering from the pages written so far: those
 * are the first ones in path order, so a question about a later page would get a confident "not
 * in the docs" or an answer from the wrong page, recorded and rated like any other. For the same
 * reason they answer `503` `index_incomplete` when that ingest failed part way, until an ingest
 * finishes the index.
 */
import type { MiddlewareHandler } from 'hono';
import { type IndexStatus, type IndexStatusReport, waitPhrase } from '../index-status';
import { ApiError } from './errors';

/** The `Retry-After` of an `index_building` answer, in seconds, when the ingest cannot tell better. */
const DEFAULT_RETRY_AFTER_S = 30;
/** The longest `Retry-After` sent: clients that honour it should not wait past the end by much. */
const MAX_RETRY_AFTER_S = 300;

const count = (n: number) => n.toLocaleString('en-US');

/** How far the ingest is, for readers: " (412 of 1,856 pages so far)", " (reading the pages: 120 of 1,856)" or "". */
function progressPhrase(report: IndexStatusReport): string {
  if (report.pagesWritten !== undefined && report.pagesToWrite !== undefined && report.phase !== 'reading') {
    return ` (${count(report.pagesWritten)} of ${count(report.pagesToWrite)} pages so far)`;
  }
  if (report.pagesRead !== undefined && report.pagesToRead !== undefined) {
    const written = report.pagesWritten ? `, ${count(report.pagesWritten)} indexed` : '';
    return ` (reading the pages: ${count(report.pagesRead)} of ${count(report.pagesToRead)}${written})`;
  }
  return '';
}

/** The message readers see while the first index is built, with the progress known so far. */
export function indexBuildingMessage(report: IndexStatusReport): string {
  return `Docent is still indexing the docs for the first time${progressPhrase(report)}: it can answer in ${waitPhrase(report)}. The docs pages can be read meanwhile.`;
}

/** The message readers see when the first index was left unfinished. */
export function indexIncompleteMessage(report: IndexStatusReport): string {
  const indexed = report.pagesWritten !== undefined && report.pagesToWrite ? ` (${count(report.pagesWritten)} of ${count(report.pagesToWrite)} pages)` : '';
  return (
    `Docent cannot answer yet: indexing the docs stopped part way${indexed}, and answers from part of the docs could be wrong. ` +
    `${report.nextAttemptAt ? 'It is tried again shortly. ' : ''}The docs pages can be read meanwhile.`
  );
}

/**
 * Middleware: `503 index_building` (with `Retry-After`) while `status` is `building`, `503
 * index_incomplete` while it is `incomplete`; otherwise on to the route.
 */
export function requireBuiltIndex(status: IndexStatus): MiddlewareHandler {
  return async (c, next) => {
    const report = status.report();
    if (report.state === 'building') {
      const retryAfter = Math.min(MAX_RETRY_AFTER_S, Math.max(DEFAULT_RETRY_AFTER_S, Math.ceil((report.secondsLeft ?? 0) / 4)));
      c.header('retry-after', String(retryAfter));
      throw new ApiError(503, 'index_building', indexBuildingMessage(report));
    }
    if (report.state === 'incomplete') throw new ApiError(503, 'index_incomplete', indexIncompleteMessage(report));
    await next();
  };
}
