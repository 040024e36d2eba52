/**
 * Ingest on start (`npm start`): brings the index in line with `CONTENT_DIR` before the server
 * serves, printing one summary line. An unchanged corpus costs a hash per file and never loads
 * the embedding model. A failure is reported and the server still starts on the existing index.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../server/config';
import type { Database } from '../server/db/open';
import { createEmbeddingProvider } from '../server/embed';
import type { EmbeddingProvider } from '../server/embed/provider';
import { formatIssue, summaryLine } from './format';
import { IngestRunError, ingestContent } from './index';
import type { IngestSummary } from './types';

export interface IngestOnStartOptions {
  /** Where lines go. Default `console.log`. */
  log?: (line: string) => void;
  /** The embedder to use. Default: one built from the configuration, closed afterwards. */
  embedder?: EmbeddingProvider;
  /** Working directory `CONTENT_DIR` resolves against. Default `process.cwd()`. */
  cwd?: string;
}

/** Ingests `config.content.dir`; returns the summary, or `undefined` when nothing could be ingested. */
export async function ingestOnStart(
  db: Database,
  config: Pick<Config, 'content' | 'embedding' | 'llm'>,
  options: IngestOnStartOptions = {},
): Promise<IngestSummary | undefined> {
  const log = options.log ?? ((line: string) => console.log(line));
  const contentDir = resolve(options.cwd ?? process.cwd(), config.content.dir);
  if (!existsSync(contentDir)) {
    log(`[docent] ingest: content folder ${contentDir} not found; serving the existing index (set CONTENT_DIR)`);
    return undefined;
  }
  const embedder = options.embedder ?? createEmbeddingProvider(config);
  try {
    const summary = await ingestContent(db, embedder, { contentDir, source: config.content.source });
    for (const w of summary.warnings) log(`[docent] ingest: ${formatIssue(w, 'warning')}`);
    for (const e of summary.errors) log(`[docent] ingest: ${formatIssue(e)}`);
    log(`[docent] ingest ${config.content.dir}: ${summaryLine(summary)}`);
    return summary;
  } catch (error) {
    if (!(error instanceof IngestRunError)) throw error;
    log(`[docent] ingest ${config.content.dir} stopped: ${error.message}. Serving the index as it is; the next start (or npm run ingest) finishes the job.`);
    return undefined;
  } finally {
    if (!options.embedder) await embedder.close();
  }
}
