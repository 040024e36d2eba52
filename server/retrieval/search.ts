/**
 * Retrieval: a question and a user's settings in, ranked sources out. The server, the search
 * command and the eval all call {@link search}, so they always agree.
 *
 * First version: lexical candidates (Postgres full-text, query terms OR-ed, `ts_rank`) and vector
 * candidates (cosine similarity through the HNSW index) fused into a 0–1 score. Sources the user
 * excluded are filtered inside SQL, before any limit.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/open';
import type { EmbeddingProvider } from '../embed/provider';
import { DEFAULT_RETRIEVAL_SETTINGS, type RetrievalSettings } from './settings';
import { matchesSources } from './source-filter';
import type { SearchResult } from './types';

export interface SearchOptions {
  /** The question, as the user asked it (or rewritten into a standalone query). */
  query: string;
  /** Embeds the query; only chunks embedded by the same model are compared. */
  embedder: EmbeddingProvider;
  /** The user's retrieval settings. Default: {@link DEFAULT_RETRIEVAL_SETTINGS}. */
  settings?: RetrievalSettings;
  /** Return at most this many results. Default: `settings.maxResults`. */
  limit?: number;
  /** Candidates taken from each ranking before fusion. Default: 50. */
  candidates?: number;
  signal?: AbortSignal;
}

interface Candidate {
  id: string;
  lexical: number;
  vector: number;
}

const LEXICAL_WEIGHT = 0.6;
const VECTOR_WEIGHT = 0.4;
const PREFERRED_BOOST = 1.2;

export async function search(db: Database, options: SearchOptions): Promise<SearchResult[]> {
  const settings = options.settings ?? DEFAULT_RETRIEVAL_SETTINGS;
  const limit = options.limit ?? settings.maxResults;
  const query = options.query.trim();
  if (!settings.enabled || query === '' || limit <= 0) return [];
  const candidates = options.candidates ?? 50;

  const embedding = await options.embedder.embedQuery(query, { signal: options.signal });
  const vectorLiteral = `[${embedding.join(',')}]`;
  const excluded = settings.excludedSources.length ? sql`not ${matchesSources(settings.excludedSources)}` : sql`true`;

  const rows = await db.transaction(async (tx) => {
    // Keep scanning the HNSW index when a filter drops rows, instead of returning too few.
    await tx.execute(sql`set local hnsw.iterative_scan = relaxed_order`);
    const lexical = await queryRows<{ id: string; score: number }>(
      tx as unknown as Database,
      sql`with q as (
            select to_tsquery('simple', string_agg(quote_literal(lexeme), ' | ')) as tsq
            from unnest(to_tsvector('english', ${query}))
          )
          select c.id, ts_rank(c.tsv, q.tsq, 1) as score
          from chunks c join documents on documents.id = c.document_id, q
          where c.tsv @@ q.tsq and ${excluded}
          order by score desc
          limit ${candidates}`,
    );
    const vector = await queryRows<{ id: string; score: number }>(
      tx as unknown as Database,
      sql`select c.id, 1 - (c.embedding <=> ${vectorLiteral}::vector) as score
          from chunks c join documents on documents.id = c.document_id
          where c.embedding_model = ${options.embedder.modelId} and ${excluded}
          order by c.embedding <=> ${vectorLiteral}::vector
          limit ${candidates}`,
    );
    return { lexical, vector };
  });

  const byId = new Map<string, Candidate>();
  for (const r of rows.lexical) byId.set(r.id, { id: r.id, lexical: Number(r.score), vector: 0 });
  for (const r of rows.vector) {
    const c = byId.get(r.id) ?? { id: r.id, lexical: 0, vector: 0 };
    c.vector = Math.max(0, Number(r.score));
    byId.set(r.id, c);
  }
  if (byId.size === 0) return [];

  const details = await loadDetails(db, [...byId.keys()], settings.preferredSources);
  const scored = details.map((d) => {
    const c = byId.get(d.id)!;
    const lexical = c.lexical / (c.lexical + 0.05);
    let score = LEXICAL_WEIGHT * lexical + VECTOR_WEIGHT * c.vector;
    if (d.preferred) score = Math.min(1, score * PREFERRED_BOOST);
    return { d, score };
  });
  scored.sort((a, b) => b.score - a.score);

  return scored
    .filter((s) => s.score > 0 && s.score >= settings.minScore)
    .slice(0, limit)
    .map(({ d, score }, i) => ({
      rank: i + 1,
      score: Math.round(score * 10_000) / 10_000,
      chunkId: d.id,
      documentId: d.document_id,
      source: d.source,
      path: d.path,
      title: d.title,
      headings: d.headings,
      anchor: d.anchor,
      url: d.anchor ? `${d.url}#${d.anchor}` : d.url,
      text: d.text,
    }));
}

interface Detail extends Record<string, unknown> {
  id: string;
  document_id: string;
  source: string;
  path: string;
  title: string;
  url: string;
  headings: string[];
  anchor: string;
  text: string;
  preferred: boolean;
}

async function loadDetails(db: Database, ids: string[], preferred: string[]): Promise<Detail[]> {
  const isPreferred: SQL = preferred.length ? matchesSources(preferred) : sql`false`;
  return queryRows<Detail>(
    db,
    sql`select c.id, c.document_id, documents.source, documents.path, documents.title, documents.url,
               c.headings, c.anchor, c.text, ${isPreferred} as preferred
        from chunks c join documents on documents.id = c.document_id
        where c.id = any(${sql`array[${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )}]::uuid[]`})`,
  );
}
