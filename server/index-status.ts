/**
 * What the running server knows about its index while the ingest on start runs: `building` (the
 * first index of the content folder: questions wait for it), `updating` (pages changed since the
 * last start are re-ingested in the background while the existing index answers, each page
 * switching to its new version when it is written) or `ready`. `GET /api/health` reports it, and
 * `POST /api/chat` and `GET /api/search` answer `503 index_building` while it is `building`.
 *
 * It is fed the ingest's progress events; server modules never import `ingest/`, so the event
 * shape is the ingest's public type only.
 */
import type { IngestProgress } from '../ingest/types';

export type IndexState = 'ready' | 'building' | 'updating';

/** The index's state and, while an ingest on start runs, how far it is (fields appear as they become known). */
export interface IndexStatusReport {
  state: IndexState;
  /** Pages written so far by this run. */
  pagesWritten?: number;
  /** Pages this run writes in all (new and changed ones). */
  pagesToWrite?: number;
  /** Chunks embedded so far by this run. */
  chunksEmbedded?: number;
  /** Chunks this run embeds in all. */
  chunksToEmbed?: number;
  /** Whole seconds the run probably still needs, once enough has been embedded to tell. */
  secondsLeft?: number;
}

export interface IndexStatus {
  /** The current state and progress. */
  report(): IndexStatusReport;
  /** Marks an ingest on start as begun: `building` a first index, or `updating` an existing one. */
  begin(state: 'building' | 'updating'): void;
  /** Records one progress event of the running ingest. */
  progress(event: IngestProgress): void;
  /** Marks the ingest on start as ended (finished, failed or stopped): the index is what it is. */
  end(): void;
}

/** Seconds of embedding needed before a time estimate is given. */
const MIN_SECONDS_FOR_ESTIMATE = 5;

/** A fresh status, `ready` until {@link IndexStatus.begin} is called. `now` is for tests (ms). */
export function createIndexStatus(now: () => number = Date.now): IndexStatus {
  let state: IndexState = 'ready';
  let pages: { done: number; total: number } | undefined;
  let chunks: { done: number; total: number } | undefined;
  let embedStart: { at: number; done: number } | undefined;

  const secondsLeft = (): number | undefined => {
    if (!chunks || !embedStart) return undefined;
    const elapsed = (now() - embedStart.at) / 1000;
    const done = chunks.done - embedStart.done;
    if (elapsed < MIN_SECONDS_FOR_ESTIMATE || done <= 0) return undefined;
    return Math.ceil(((chunks.total - chunks.done) * elapsed) / done);
  };

  return {
    report() {
      if (state === 'ready') return { state };
      const left = secondsLeft();
      return {
        state,
        ...(pages ? { pagesWritten: pages.done, pagesToWrite: pages.total } : {}),
        ...(chunks ? { chunksEmbedded: chunks.done, chunksToEmbed: chunks.total } : {}),
        ...(left !== undefined ? { secondsLeft: left } : {}),
      };
    },
    begin(next) {
      state = next;
      pages = undefined;
      chunks = undefined;
      embedStart = undefined;
    },
    progress(event) {
      if (state === 'ready') return;
      if (event.phase === 'embed') {
        chunks = { done: event.done, total: event.total };
        embedStart ??= { at: now(), done: event.done };
      } else if (event.phase === 'document') {
        pages = { done: event.done, total: event.total };
      }
    },
    end() {
      state = 'ready';
      pages = undefined;
      chunks = undefined;
      embedStart = undefined;
    },
  };
}

/** How long a reader should wait, as a phrase: "about 12 minutes", or "a few minutes" when unknown. */
export function waitPhrase(report: IndexStatusReport): string {
  const s = report.secondsLeft;
  if (s === undefined) return 'a few minutes';
  if (s < 90) return 'about a minute';
  return `about ${Math.round(s / 60)} minutes`;
}
