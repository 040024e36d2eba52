/**
 * The embedded database's buffer cache (Postgres `shared_buffers`), sized to the database.
 *
 * PGlite reserves its whole buffer cache when it starts (RSS right after opening: ~610 MB at
 * 128 MB, ~1,040 MB at 512 MB), and a page not in it is read again through the file system on
 * every question. A docs site of a few thousand chunks fits in PGlite's default 128 MB; a
 * 100,000-chunk one (heap 227 MB, HNSW index 260 MB, GIN 35 MB) does not, and its searches then
 * spend ~20 ms of ~60 reading pages (BENCHMARKS.md, "A buffer cache sized to the database").
 * So `auto`, the default, gives a database the cache its tables and indexes take on disk, within
 * {@link DEFAULT_SHARED_BUFFERS_MB} and {@link AUTO_SHARED_BUFFERS_MAX_MB}: small sites pay
 * nothing, large ones trade memory for speed. `PGLITE_SHARED_BUFFERS` sets it explicitly.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** `auto`, or a size in MB. */
export type SharedBuffersSetting = 'auto' | number;

/** PGlite's (and Postgres's) own default, and what `auto` gives a small or new database. */
export const DEFAULT_SHARED_BUFFERS_MB = 128;

/**
 * The most `auto` gives. Measured at 100,000 chunks: search() p50 for new questions 59–68 ms at
 * 128 MB, 50 at 256, 40.5 at 512, 40.8 at 1,024 MB (RSS 1.8 GB): past the working set, more
 * memory buys nothing.
 */
export const AUTO_SHARED_BUFFERS_MAX_MB = 512;

/**
 * Bounds of a size: Postgres needs some cache, and PGlite's WebAssembly memory is at most 2 GB in
 * all (PGlite 0.5: it does not start with a 2 GB cache; 1.5 GB leaves room for the rest).
 */
const MIN_SHARED_BUFFERS_MB = 16;
const MAX_SHARED_BUFFERS_MB = 1536;

/**
 * Parses `PGLITE_SHARED_BUFFERS`: `auto` (also when unset or blank) or a size such as `256MB` or
 * `1GB`. Throws a message saying what is expected.
 */
export function parseSharedBuffers(value: string | undefined): SharedBuffersSetting {
  const v = value?.trim() ?? '';
  if (v === '' || v.toLowerCase() === 'auto') return 'auto';
  const match = /^(\d+)\s*(mb|gb)$/i.exec(v);
  const mb = match ? Number(match[1]) * (match[2]!.toLowerCase() === 'gb' ? 1024 : 1) : NaN;
  if (!isSharedBuffersMb(mb)) throw new Error(`expected "auto" or a size from ${MIN_SHARED_BUFFERS_MB}MB to ${MAX_SHARED_BUFFERS_MB}MB, such as 256MB`);
  return mb;
}

/** Whether `mb` is a buffer cache size PGlite can start with. */
function isSharedBuffersMb(mb: number): boolean {
  return Number.isInteger(mb) && mb >= MIN_SHARED_BUFFERS_MB && mb <= MAX_SHARED_BUFFERS_MB;
}

/** What `auto` gives a database whose tables and indexes take `bytes`: rounded up to 64 MB, within 128–512 MB. */
export function autoSharedBuffersMb(bytes: number): number {
  const mb = Math.ceil(bytes / 2 ** 20 / 64) * 64;
  return Math.min(AUTO_SHARED_BUFFERS_MAX_MB, Math.max(DEFAULT_SHARED_BUFFERS_MB, mb));
}

/** Bytes of the tables and indexes of the PGlite data directory `dataDir` (its `base/` folder; 0 for a new one). */
export function relationBytes(dataDir: string): number {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(join(dataDir, 'base'), { recursive: true, withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/**
 * A line telling the operator to restart when the database in `dataDir` has outgrown the cache it
 * was opened with (`currentMb`) under `auto` — after a first large ingest, say: the cache is sized
 * only when the database opens. `undefined` when there is nothing to say.
 */
export function grownCacheHint(setting: SharedBuffersSetting, currentMb: number | undefined, dataDir: string | undefined): string | undefined {
  if (setting !== 'auto' || currentMb === undefined || dataDir === undefined) return undefined;
  const wanted = sharedBuffersMb('auto', dataDir);
  if (wanted <= currentMb) return undefined;
  return `the database has grown: restart Docent to give it a ${wanted} MB page cache instead of ${currentMb} MB (PGLITE_SHARED_BUFFERS=auto)`;
}

/**
 * The start-up line's note on the buffer cache the database opened with (`mb`): its size, where
 * the size came from, and how to change it.
 */
export function describeBufferCache(setting: SharedBuffersSetting, mb: number): string {
  if (setting !== 'auto') return `buffer cache ${mb} MB, from PGLITE_SHARED_BUFFERS`;
  return `buffer cache ${mb} MB: the default, sized to the database; PGLITE_SHARED_BUFFERS changes it`;
}

/** The buffer cache, in MB, to start the database in `dataDir` with (`undefined`: in memory). */
export function sharedBuffersMb(setting: SharedBuffersSetting, dataDir: string | undefined): number {
  if (setting !== 'auto') {
    if (!isSharedBuffersMb(setting)) throw new Error(`PGLITE_SHARED_BUFFERS: ${setting} MB is not a size from ${MIN_SHARED_BUFFERS_MB} to ${MAX_SHARED_BUFFERS_MB} MB`);
    return setting;
  }
  return dataDir === undefined ? DEFAULT_SHARED_BUFFERS_MB : autoSharedBuffersMb(relationBytes(dataDir));
}
