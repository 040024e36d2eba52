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

function barReporter(stream: NodeJS.WritableStream & { columns?: number }): ProgressReporter {
  const state = { files: 0, docs: 0, docsTotal: 0, failed: 0, chunks: 0, chunksTotal: 0, path: '' };
  let last = 0;
  let drawn = false;
  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  const draw = (force = false) => {
    const now = Date.now();
    if (!force && now - last < 80) return;
    last = now;
    const fraction =
      state.chunksTotal > 0
        ? state.chunks / state.chunksTotal
        : state.docsTotal > 0
          ? state.docs / state.docsTotal
          : 0;
    const width = 24;
    const filled = Math.round(Math.min(1, fraction) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const parts = [`${bar} ${String(Math.round(fraction * 100)).padStart(3)}%`];
    if (state.chunksTotal > 0) parts.push(`${state.chunks}/${state.chunksTotal} chunks embedded`);
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
      if (event.phase === 'embed') {
        state.chunks = event.done;
        state.chunksTotal = event.total;
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
