/**
 * The public surface of ingest: what `ingestContent()` takes, reports while it runs, and returns.
 * The ingest command, `npm start` (ingest on start), the server's admin ingest endpoint and the
 * eval all use these shapes. `IngestSummary` is exactly the `--json` output of `npm run ingest`.
 */
import type { ChunkOptions } from './chunk';
import type { EmbeddingInputStrategy } from './embed-input';
import type { DEFAULT_MAX_PAGE_BYTES } from './scan';

export interface IngestOptions {
  /** Folder of markdown/MDX files (relative paths resolve against the working directory). */
  contentDir: string;
  /** Source name stored on each document. Default: the folder's name. */
  source?: string;
  /** Base URL of the docs site, for document URLs. Default `/`. */
  baseUrl?: string;
  /** Re-embed everything, even unchanged chunks. Default false. */
  force?: boolean;
  /** Report what would change; write nothing (not even the `ingest_runs` row) and load no model. Default false. */
  dryRun?: boolean;
  /**
   * Run even when the folder has no pages while the index holds pages of the source, removing
   * them all. Default false: such a run is refused (an `EmptyContentError`, `sync.ts`), as it is almost
   * always a mistake (a submodule not checked out, a wrong mount).
   */
  allowEmpty?: boolean;
  /** Chunk sizes. Default {@link DEFAULT_CHUNK_OPTIONS} (`ingest/chunk.ts`). */
  chunking?: ChunkOptions;
  /** What the embedder reads for each chunk. Default {@link DEFAULT_EMBEDDING_INPUT} (`ingest/embed-input.ts`). */
  embeddingInput?: EmbeddingInputStrategy;
  /**
   * Embedding inputs computed ahead of the writes, per group of documents: the embedder works on
   * the next group while the current one is written. Smaller groups write sooner. Default 64.
   */
  embedGroupSize?: number;
  /**
   * Source bytes of changed pages read (parsed and chunked) per batch; each batch is embedded and
   * written before the next is read, so a large change holds one batch in memory, not all of it.
   * Default 2,000,000 (about 3,000 sections); a larger page is a batch of its own.
   */
  readBatchBytes?: number;
  /**
   * Largest page file read, in bytes. A larger one is not read: the run names it as failed (its
   * earlier version, if any, stays indexed) and goes on. Parsing takes hundreds of bytes of memory
   * per byte of markdown (1,400 for a long list: 2 MB of list items took 47 s and 2.9 GB), so
   * one huge generated file could otherwise stall a run for minutes or run it out of memory.
   * Default {@link DEFAULT_MAX_PAGE_BYTES} (2 MB, 8 times the largest page of the eval corpora);
   * `INGEST_MAX_PAGE_BYTES` sets it for the ingest command and `npm start`.
   */
  maxPageBytes?: number;
  /** Stops the run between documents (documents already written stay written). */
  signal?: AbortSignal;
  /** Called as the run advances. */
  onProgress?: (event: IngestProgress) => void;
}

export interface IngestProgress {
  /**
   * `wait`: another process's run of the source is under way, and this one waits for it to end
   * (`message` says whose run, and how long at most); `scan`: files found; `read`: pages read (parsed and chunked) so far, of the pages to read;
   * `document`: one document written, or failed on its vectors; `embed`: vectors computed so far;
   * `done`: finished.
   */
  phase: 'wait' | 'scan' | 'read' | 'document' | 'embed' | 'done';
  /** Documents written (or, for `embed`, chunks embedded; for `read`, pages read) so far. */
  done: number;
  /**
   * Documents to write (or chunks to embed; pages to read: new, changed or relinked) in all. A file that fails is not one of them: one that
   * cannot be read never was, one that cannot be parsed or whose vectors are unusable leaves it
   * when that shows. A large change is read in batches: then chunks to embed counts those of the
   * batches read so far, and grows as the next batch is read.
   */
  total: number;
  /**
   * `document` only: files that failed so far (could not be read or parsed, or the model returned
   * an unusable vector for them). The summary lists each one with the reason.
   */
  failed?: number;
  /** The document just written, relative to the content folder. */
  path?: string;
  /** A line worth showing the person running ingest (e.g. "embedding model changed: re-embedding everything"). */
  message?: string;
}

/** A problem with one file: `path:line: message`. */
export interface IngestIssue {
  /** Relative to the content folder, `/` separators (`''` for a problem with the whole run). */
  path: string;
  /** 1-based line, or null when the problem has no line. */
  line: number | null;
  message: string;
}

export interface IngestSummary {
  documents: { added: number; updated: number; unchanged: number; removed: number; failed: number };
  chunks: { embedded: number; reused: number; removed: number; total: number };
  embeddingModel: string;
  durationMs: number;
  /** Files that could not be ingested (each also counts in `documents.failed`). */
  errors: IngestIssue[];
  /** Files ingested despite a problem worth fixing (e.g. an unterminated code fence). */
  warnings: IngestIssue[];
  /**
   * Files named like pages that are not pages by the docs' own design, and why: drafts, parts
   * other pages include, a book's `SUMMARY.md`. Not problems: counted in the summary, listed by a
   * dry run. (Absent from the summaries of servers older than this field.)
   */
  notPages?: IngestIssue[];
}
