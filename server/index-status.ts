/**
 * What the running server knows about its index while the ingest on start runs: `building` (the
 * first index of the content folder: questions wait for it), `updating` (pages changed since the
 * last start are re-ingested in the background while the existing index answers, each page
 * switching to its new version when it is written), `incomplete` (the first index was not
 * finished: its ingest failed, so the index holds only some of the pages; also a source no ingest
 * run ever finished, such as a folder ingested with `npm run ingest --source`) or `ready`. While
 * `npm run ingest` through the server finishes an incomplete index, the report shows its progress. An ingest on start stopped by a
 * failure worth retrying (see `server/background-ingest.ts`) is tried again by the server: the
 * report says how many tries failed and when the next one is.
 * `GET /api/health` reports it, and `POST /api/chat` and `GET /api/search` answer `503`
 * (`index_building`, `index_incomplete`) while it is `building` or `incomplete`.
 *
 * It is fed the ingest's progress events; server modules never import `ingest/`, so the event
 * shape is the ingest's public type only.
 */
import type { IngestProgress } from '../ingest/types';

export type IndexState = 'ready' | 'building' | 'updating' | 'incomplete';

/**
 * What the running ingest is doing: `waiting` (for another process's ingest of the same source, on
 * a shared Postgres, to end: `waitingFor` says whose and how long at most), `scanning` (finding the
 * pages and comparing them with the index), `reading` (parsing and chunking pages) or `embedding`
 * (embedding chunks and writing pages). A large change is read, embedded and written a batch at a
 * time, so `reading` comes back.
 */
export type IngestPhase = 'waiting' | 'scanning' | 'reading' | 'embedding';

/** The index's state and, while an ingest on start runs, how far it is (fields appear as they become known). */
export interface IndexStatusReport {
  state: IndexState;
  /** What the ingest is doing (`building` and `updating`). */
  phase?: IngestPhase;
  /** `waiting` only: the ingest's line saying whose run it waits for, and how long at most. */
  waitingFor?: string;
  /** Pages read (parsed and chunked) so far by this run. */
  pagesRead?: number;
  /** Pages this run reads in all (new, changed and relinked ones). */
  pagesToRead?: number;
  /** Pages written so far by this run. */
  pagesWritten?: number;
  /** Pages this run writes in all (new and changed ones). */
  pagesToWrite?: number;
  /** Chunks embedded so far by this run. */
  chunksEmbedded?: number;
  /** Chunks this run embeds in all (of the pages read so far). */
  chunksToEmbed?: number;
  /**
   * Whole seconds the run probably still needs, once it has embedded long enough to tell: the
   * pages not read yet at the pace reading has gone so far, and the chunks still to embed (those
   * of the pages not read yet counted as many per page as those read) at the pace embedding and
   * writing have gone. It goes down while either runs, so it neither stalls nor jumps between batches.
   */
  secondsLeft?: number;
  /** `incomplete` only: why, for the operator (the server log has the error itself). */
  reason?: string;
  /** Tries of the ingest on start that failed in a row, while the server tries again (cleared when one finishes). */
  failedAttempts?: number;
  /** When the server tries the ingest on start again (ISO 8601), while it waits to. */
  nextAttemptAt?: string;
  /** Whole seconds until then. */
  nextAttemptInSeconds?: number;
}

export interface IndexStatus {
  /** The current state and progress. */
  report(): IndexStatusReport;
  /** Marks an ingest on start as begun: `building` a first index, or `updating` an existing one. */
  begin(state: 'building' | 'updating'): void;
  /** Records one progress event of the running ingest. */
  progress(event: IngestProgress): void;
  /** Marks the ingest on start as ended (finished, or an update failed or stopped): the index is what it is. */
  end(): void;
  /**
   * Marks the first index as not finished (its ingest failed): `incomplete` with `reason`, keeping
   * how far it got, until {@link IndexStatus.end} (a later ingest finished it) or {@link IndexStatus.begin}.
   */
  markIncomplete(reason: string): void;
  /**
   * Records that the ingest on start failed for the `failedAttempts`-th time in a row and is tried
   * again at `at` (ms since the epoch): the state stays as it is (`incomplete` for a first index,
   * `updating` for an existing one), without a phase. {@link IndexStatus.begin} starts the next try
   * (keeping the count), {@link IndexStatus.end} clears it.
   */
  retryAt(failedAttempts: number, at: number): void;
  /**
   * Marks the index `incomplete` for `reason` (sources other than the ingest on start's that no
   * ingest ever finished), or clears that with `undefined`: while marked, the state reported is
   * `incomplete` whenever it would be `ready` or `updating` (the ingest on start's progress shown).
   */
  holdIncomplete(reason: string | undefined): void;
  /**
   * An ingest other than the ingest on start (`npm run ingest` through the server) runs on a
   * source this status is about: its progress events are recorded, also while `incomplete` (with
   * its `phase`). Call the function returned when it ends.
   */
  track(): () => void;
}

/** Seconds of embedding needed before a time estimate is given. */
const MIN_SECONDS_FOR_ESTIMATE = 5;

interface Count {
  done: number;
  total: number;
}

/** A fresh status, `ready` until {@link IndexStatus.begin} is called. `now` is for tests (ms). */
export function createIndexStatus(now: () => number = Date.now): IndexStatus {
  let state: IndexState = 'ready';
  let phase: IngestPhase | undefined;
  /** The wait's line, while `phase` is `waiting`. */
  let waitingFor: string | undefined;
  let reason: string | undefined;
  let read: Count | undefined;
  let pages: Count | undefined;
  let chunks: Count | undefined;
  /**
   * Pages read when the last `embed` event came: the chunks to embed (`chunks.total`) are those of
   * these pages. Ingest sends one after every batch read, also one that adds no chunk to embed.
   */
  let readAtChunkTotal = 0;
  let embedStart: { at: number; done: number } | undefined;
  /** The ingest's pace: time spent in each phase since the first event (ms), and the pages read before it. */
  let pace: { lastAt: number; readingMs: number; embeddingMs: number; readBefore: number } | undefined;
  let failedAttempts: number | undefined;
  let nextAttemptAt: number | undefined;
  /** Why other sources make the index incomplete ({@link IndexStatus.holdIncomplete}). */
  let heldReason: string | undefined;
  /** Ingests outside the ingest on start being tracked ({@link IndexStatus.track}). */
  let tracked = 0;

  const reset = () => {
    phase = undefined;
    waitingFor = undefined;
    reason = undefined;
    read = undefined;
    pages = undefined;
    chunks = undefined;
    readAtChunkTotal = 0;
    embedStart = undefined;
    pace = undefined;
    nextAttemptAt = undefined;
  };

  /** The state reported: `incomplete` while other sources hold it so. */
  const shownState = (): IndexState => (heldReason !== undefined && (state === 'ready' || state === 'updating') ? 'incomplete' : state);
  /** Whether an ingest is running that the report shows the progress of. */
  const running = () => state === 'building' || state === 'updating' || tracked > 0;

  /** Ms spent reading and embedding (with writing) so far, the phase going on counted up to now. */
  const phaseTimes = () => {
    if (!pace) return { readingMs: 0, embeddingMs: 0 };
    const current = now() - pace.lastAt;
    return {
      readingMs: pace.readingMs + (phase === 'reading' ? current : 0),
      embeddingMs: pace.embeddingMs + (phase === 'embedding' && embedStart ? current : 0),
    };
  };

  const secondsLeft = (): number | undefined => {
    if (!running() || !chunks || !embedStart) return undefined;
    const embedded = chunks.done - embedStart.done;
    if ((now() - embedStart.at) / 1000 < MIN_SECONDS_FOR_ESTIMATE || embedded <= 0) return undefined;
    const { readingMs, embeddingMs } = phaseTimes();
    // Pages not read yet (a large change is read a batch at a time) have chunks to embed too: as
    // many per page as those read so far.
    const unreadAtTotal = read && readAtChunkTotal > 0 ? Math.max(0, read.total - readAtChunkTotal) : 0;
    const chunksLeft = chunks.total + (unreadAtTotal * chunks.total) / Math.max(1, readAtChunkTotal) - chunks.done;
    const pagesRead = read ? read.done - (pace?.readBefore ?? 0) : 0;
    const pagesLeft = read ? Math.max(0, read.total - read.done) : 0;
    const readingLeftMs = pagesRead > 0 ? (pagesLeft * readingMs) / pagesRead : 0;
    return Math.ceil((readingLeftMs + (Math.max(0, chunksLeft) * embeddingMs) / embedded) / 1000);
  };

  return {
    report() {
      const shown = shownState();
      if (shown === 'ready') return { state: shown };
      const left = secondsLeft();
      return {
        state: shown,
        ...(phase && running() ? { phase } : {}),
        ...(phase === 'waiting' && running() && waitingFor !== undefined ? { waitingFor } : {}),
        ...(read ? { pagesRead: read.done, pagesToRead: read.total } : {}),
        ...(pages ? { pagesWritten: pages.done, pagesToWrite: pages.total } : {}),
        ...(chunks ? { chunksEmbedded: chunks.done, chunksToEmbed: chunks.total } : {}),
        ...(left !== undefined ? { secondsLeft: left } : {}),
        ...(state === 'incomplete' && reason !== undefined ? { reason } : shown === 'incomplete' ? { reason: heldReason } : {}),
        ...(failedAttempts !== undefined ? { failedAttempts } : {}),
        ...(nextAttemptAt !== undefined
          ? { nextAttemptAt: new Date(nextAttemptAt).toISOString(), nextAttemptInSeconds: Math.max(0, Math.ceil((nextAttemptAt - now()) / 1000)) }
          : {}),
      };
    },
    begin(next) {
      reset();
      state = next;
      phase = 'scanning';
    },
    progress(event) {
      if (!running()) return;
      // The time since the last event was spent in the phase it left.
      const at = now();
      if (pace) {
        if (phase === 'reading') pace.readingMs += at - pace.lastAt;
        else if (phase === 'embedding' && embedStart) pace.embeddingMs += at - pace.lastAt;
        pace.lastAt = at;
      } else {
        pace = { lastAt: at, readingMs: 0, embeddingMs: 0, readBefore: event.phase === 'read' ? event.done : (read?.done ?? 0) };
      }
      waitingFor = undefined;
      if (event.phase === 'wait') {
        phase = 'waiting';
        waitingFor = event.message;
      } else if (event.phase === 'scan') {
        // The wait is over; later scan events (messages while reading) leave the phase as it is.
        if (phase === 'waiting') phase = 'scanning';
      } else if (event.phase === 'read') {
        read = { done: event.done, total: event.total };
        phase = 'reading';
      } else if (event.phase === 'embed') {
        // The chunks of the pages read so far (as the terminal's progress bar counts them, ingest/progress.ts).
        readAtChunkTotal = read?.done ?? 0;
        chunks = { done: event.done, total: event.total };
        embedStart ??= { at, done: event.done };
        phase = 'embedding';
      } else if (event.phase === 'document') {
        pages = { done: event.done, total: event.total };
        phase = 'embedding';
      }
    },
    end() {
      state = 'ready';
      reset();
      failedAttempts = undefined;
    },
    markIncomplete(why) {
      state = 'incomplete';
      phase = undefined;
      reason = why;
      embedStart = pace = undefined;
    },
    holdIncomplete(why) {
      heldReason = why;
    },
    track() {
      tracked++;
      if (state === 'ready' || state === 'incomplete') {
        // How far this run gets, not an earlier one.
        read = pages = chunks = embedStart = pace = undefined;
        readAtChunkTotal = 0;
        phase = 'scanning';
      }
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        tracked--;
        if (!running()) {
          phase = undefined;
          embedStart = pace = undefined;
        }
      };
    },
    retryAt(failures, at) {
      failedAttempts = failures;
      nextAttemptAt = at;
      phase = undefined;
      embedStart = pace = undefined;
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
