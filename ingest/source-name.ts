/** The name of the source a content folder is ingested as (kept apart from `index.ts`, which loads the whole pipeline). */
import { basename, resolve } from 'node:path';

/** The source a run of `contentDir` ingests: `source` (trimmed), or the folder's name. */
export function ingestSource(contentDir: string, source?: string): string {
  return (source ?? basename(resolve(contentDir))).trim();
}
