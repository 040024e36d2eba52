/**
 * Which stored chunks a server's embedding model can match by meaning. A question is only
 * compared with chunks embedded by the same model, so a server configured with another model
 * than the one the index was made with finds chunks by their words only, and abstains far more.
 * Start-up, the search command, `GET /api/health` and `GET /api/search` say so, since nothing else would.
 */
import { count, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/open';
import { chunks } from '../db/schema';

export interface EmbeddingCoverage {
  /** Chunks in the index, all sources. */
  total: number;
  /** Chunks embedded with the model asked about. */
  matching: number;
  /** The other models chunks were embedded with, most chunks first. */
  otherModels: string[];
}

/** How many stored chunks were embedded with `modelId`, and which other models the rest were. */
export async function embeddingCoverage(db: Database, modelId: string): Promise<EmbeddingCoverage> {
  const rows = await db
    .select({ model: chunks.embeddingModel, n: count() })
    .from(chunks)
    .groupBy(chunks.embeddingModel);
  const others = rows.filter((r) => r.model !== modelId).sort((a, b) => b.n - a.n);
  return {
    total: rows.reduce((sum, r) => sum + r.n, 0),
    matching: rows.find((r) => r.model === modelId)?.n ?? 0,
    otherModels: others.map((r) => r.model),
  };
}

/**
 * Chunks of sources other than `source` embedded with another model than `modelId`: those an
 * ingest of `source` leaves as they are.
 */
export async function otherModelChunksOutside(db: Database, modelId: string, source: string): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`select count(*) as n from chunks c join documents d on d.id = c.document_id
        where c.embedding_model <> ${modelId} and d.source <> ${source}`,
  );
  return Number(row?.n ?? 0);
}

/**
 * A warning when chunks were embedded with another model than `modelId`; `undefined` when all
 * match. `reembedding`: an ingest running now (the ingest on start) re-embeds every one of them,
 * so the warning says so instead of asking for one.
 */
export function embeddingMismatchWarning(
  coverage: EmbeddingCoverage,
  modelId: string,
  { reembedding = false }: { reembedding?: boolean } = {},
): string | undefined {
  const { total, matching, otherModels } = coverage;
  if (matching === total) return undefined;
  const which =
    matching === 0
      ? `none of the ${total} indexed chunks were embedded with this embedding model (${modelId}); they were with ${otherModels.join(', ')}`
      : `${total - matching} of the ${total} indexed chunks were embedded with ${otherModels.join(', ')}, not with this embedding model (${modelId})`;
  const them = matching === 0 ? 'them' : 'those';
  if (reembedding) {
    return (
      `${which}. The ingest on start is re-embedding ${them} with this model now (GET /api/health shows how far it is); ` +
      `until each page is re-embedded, questions find it by its words only, not by meaning.`
    );
  }
  return (
    `${which}, so questions find ${them} by their words only, not by meaning, and more go unanswered. ` +
    `Ingest again with this model (npm run ingest), or set EMBEDDING_PROVIDER and EMBEDDING_MODEL as they were for the ingest.`
  );
}

/**
 * The warning of {@link embeddingMismatchWarning} for the index as it is now, or `undefined` when
 * every chunk was embedded with `modelId` (or there is none). That case, the usual one, costs two
 * index lookups (the smallest and largest model id), not a count of the chunks, so every search
 * request can ask. `reembedding`, asked only when some chunks are of another model: whether an
 * ingest running now (the ingest on start) re-embeds every one of them.
 */
export async function indexEmbeddingMismatch(
  db: Database,
  modelId: string,
  { reembedding }: { reembedding?: () => Promise<boolean> } = {},
): Promise<string | undefined> {
  const [range] = await queryRows<{ lo: string | null; hi: string | null }>(
    db,
    sql`select min(embedding_model) as lo, max(embedding_model) as hi from chunks`,
  );
  if (!range || range.lo === null || (range.lo === modelId && range.hi === modelId)) return undefined;
  return embeddingMismatchWarning(await embeddingCoverage(db, modelId), modelId, { reembedding: (await reembedding?.()) ?? false });
}
