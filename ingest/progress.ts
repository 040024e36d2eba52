/**
 * Shows an ingest run's progress: a redrawn progress bar on a terminal, plain lines otherwise
 * (CI logs, pipes). The same reporter serves local runs and runs streamed from a server.
 */
import type { IngestProgress } from './types';

export interface ProgressReporter {
  onProgress(event: IngestProgress): void;
  /** Clears the bar (call before printing the summary). */
  finish(): void;
}

export interface ProgressReporterOptions {
  /** Where to write. Default `process.stderr`. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Draw a bar (true) or print lines (false). Default: whether `stream` is a terminal. */
  tty?: boolean;
}

export function createProgressReporter(options: ProgressReporterOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? Boolean(stream.isTTY);
  return tty ? barReporter(stream) : lineReporter(stream);
}

function lineReporter(stream: NodeJS.WritableStream): ProgressReporter {
  let lastEmbedDecile = -1;
  return {
    onProgress(event) {
      if (event.message) stream.write(`${event.message}\n`);
      if (event.phase === 'scan' && !event.message) stream.write(`Found ${event.total} markdown/MDX files\n`);
      if (event.phase === 'embed' && event.total > 0) {
        const decile = Math.floor((event.done / event.total) * 10);
        if (decile !== lastEmbedDecile) {
          lastEmbedDecile = decile;
          stream.write(`Embedded ${event.done}/${event.total} chunks\n`);
        }
      }
      if (event.phase === 'document' && event.path) stream.write(`[${event.done}/${event.total}] ${event.path}\n`);
    },
    finish() {},
  };
}

/**
 * The share of the run done, from what `state` knows so far. With chunks to embed, it is the chunks
 * embedded of those there will be: a run read in batches knows only the chunks of the pages read so
 * far, so those of the pages still to read are estimated from them (as many per page). Otherwise, the documents written of those to write.
 */
function runFraction(state: BarState): number {
  if (state.chunksTotal > 0) {
    const estimated =
      state.pagesAtChunksTotal > 0 && state.pagesAtChunksTotal < state.pagesTotal
        ? (state.chunksTotal * state.pagesTotal) / state.pagesAtChunksTotal
        : state.chunksTotal;
    return Math.min(1, state.chunks / estimated);
  }
  return state.docsTotal > 0 ? Math.min(1, state.docs / state.docsTotal) : 0;
}

interface BarState {
  files: number;
  docs: number;
  docsTotal: number;
  failed: number;
  chunks: number;
  /** Chunks to embed in the pages read so far. */
  chunksTotal: number;
  /** Pages read (parsed and chunked) so far, of `pagesTotal` to read. */
  pagesRead: number;
  pagesTotal: number;
  /** `pagesRead` when `chunksTotal` was last reported: the pages whose chunks it counts. */
  pagesAtChunksTotal: number;
  path: string;
}

function barReporter(stream: NodeJS.WritableStream & { columns?: number }): ProgressReporter {
  const state: BarState = { files: 0, docs: 0, docsTotal: 0, failed: 0, chunks: 0, chunksTotal: 0, pagesRead: 0, pagesTotal: 0, pagesAtChunksTotal: 0, path: '' };
  /** The share shown so far: the bar never steps back, though a later batch's chunks may make the estimate drop. */
  let shown = 0;
  let last = 0;
  let drawn = false;
  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  const draw = (force = false) => {
    shown = Math.max(shown, runFraction(state));
    const now = Date.now();
    if (!force && now - last < 80) return;
    last = now;
    const width = 24;
    const filled = Math.round(shown * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const parts = [`${bar} ${String(Math.floor(shown * 100)).padStart(3)}%`];
    // The chunks of the pages read so far: with pages still to read, the count says so.
    if (state.chunksTotal > 0) parts.push(`${state.chunks}/${state.chunksTotal} chunks embedded`);
    if (state.pagesTotal > 0 && state.pagesRead < state.pagesTotal) parts.push(`${state.pagesRead}/${state.pagesTotal} pages read`);
    if (state.docsTotal > 0) parts.push(`${state.docs}/${state.docsTotal} documents written`);
    else parts.push(`${state.files} files`);
    if (state.failed > 0) parts.push(`${state.failed} failed`);
    let line = parts.join(' · ');
    if (state.path) line += ` · ${state.path}`;
    const columns = stream.columns ?? 100;
    if (line.length > columns - 1) line = `${line.slice(0, columns - 2)}…`;
    stream.write(`\r\x1b[2K${line}`);
    drawn = true;
  };
  return {
    onProgress(event) {
      if (event.message) {
        clear();
        stream.write(`${event.message}\n`);
      }
      if (event.phase === 'scan') state.files = event.total;
      if (event.phase === 'read') {
        state.pagesRead = event.done;
        state.pagesTotal = event.total;
      }
      if (event.phase === 'embed') {
        // Sent once the pages of a batch are read, then as their chunks are embedded.
        state.chunks = event.done;
        state.chunksTotal = event.total;
        state.pagesAtChunksTotal = state.pagesRead;
      }
      if (event.phase === 'document') {
        state.docs = event.done;
        state.docsTotal = event.total;
        state.failed = event.failed ?? state.failed;
        state.path = event.path ?? '';
      }
      if (event.phase === 'done') {
        clear();
        return;
      }
      draw(Boolean(event.message));
    },
    finish: clear,
  };
}
