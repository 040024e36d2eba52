/**
 * The name of the source a content folder is stored under (`documents.source`): what ingest
 * writes, and what `npm run ask` looks up. In the shared core, so the server needs no `ingest/`
 * module for it (only `server/main.ts` imports `ingest/`).
 */
import { basename, resolve } from 'node:path';

/** The source a run of `contentDir` ingests: `source` (trimmed), or the folder's name. */
export function ingestSource(contentDir: string, source?: string): string {
  return (source ?? basename(resolve(contentDir))).trim();
}

/**
 * The longest source name Docent stores, and the longest entry (a source name or a path prefix)
 * of a reader's preferred and excluded sources: a longer name could never be preferred or excluded.
 */
export const MAX_SOURCE_LENGTH = 300;
