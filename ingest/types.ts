/**
 * The public surface of ingest: what `ingestContent()` takes, reports while it runs, and returns.
 * The ingest command, `npm start` (ingest on start), the server's admin ingest endpoint and the
 * eval all use these shapes. `IngestSummary` is exactly the `--json` output of `npm run ingest`.
 */
export interface IngestOptions {
  /** Folder of markdown/MDX files. */
  contentDir: string;
  /** Source name stored on each document. Default: the folder's name. */
  source?: string;
  /** Base URL of the docs site, for document URLs. Default `/`. */
  baseUrl?: string;
  /** Re-embed everything, even unchanged chunks. Default false. */
  force?: boolean;
  /** Report what would change; write nothing. Default false. */
  dryRun?: boolean;
  /** Stops the run between documents (documents already written stay written). */
  signal?: AbortSignal;
  /** Called as the run advances. */
  onProgress?: (event: IngestProgress) => void;
}

export interface IngestProgress {
  /** `scan`: files found; `document`: one document done; `embed`: vectors computed so far. */
  phase: 'scan' | 'document' | 'embed' | 'done';
  /** Documents (or, for `embed`, chunks) done so far. */
  done: number;
  /** Documents (or chunks) in all. */
  total: number;
  /** The document just finished, relative to the content folder. */
  path?: string;
}

export interface IngestSummary {
  documents: { added: number; updated: number; unchanged: number; removed: number; failed: number };
  chunks: { embedded: number; reused: number; removed: number; total: number };
  embeddingModel: string;
  durationMs: number;
  errors: { path: string; line: number | null; message: string }[];
}
