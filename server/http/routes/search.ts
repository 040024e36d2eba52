/**
 * `GET /api/search?q=&k=&language=&page=`: retrieval only, the same JSON as `npm run search -- --json`:
 * `{ results: [{ rank, score, path, title, headings, anchor, url, text }] }`. Uses the caller's
 * retrieval settings (exclusions, preferences, threshold; a new visitor gets the defaults), with
 * retrieval on, and `k` (1–50, default: the settings' `maxResults`) results at most. `language`
 * (a tag such as `fr`) stands for the question's language when its words do not tell it; `page`
 * (a path such as `/v2/guide/`) for the page the question is asked from, whose part of the site
 * gives the copy kept of near-identical sections. `warning` is added when chunks were embedded with
 * another model than the server's (found by their words only: `embedding-coverage.ts`); while the
 * ingest on start re-embeds them, it says so.
 */
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { indexEmbeddingMismatch } from '../../retrieval/embedding-coverage';
import { search } from '../../retrieval/search';
import { loadUserSettings } from '../../retrieval/user-settings';
import type { AppDeps, DocentHono } from '../context';
import { readerLanguageSchema, readQuery, wholeNumberParam } from '../validate';
import { MAX_QUESTION_CHARS } from '../../question-limit';

const searchQuery = z.object({
  q: z.string({ error: 'q (the question) is required' }).trim().min(1, 'q (the question) is required').max(MAX_QUESTION_CHARS, `q is at most ${MAX_QUESTION_CHARS} characters`),
  k: wholeNumberParam('k', 1, 50).optional(),
  language: readerLanguageSchema.optional(),
  page: z.string().max(2048, 'page is at most 2,048 characters').optional(),
});

/**
 * Middleware for `GET /api/search`: a query that is invalid gets its 400 before anything else is
 * checked, so that it is told even while the first index is built (`503 index_building`).
 */
export const validSearchQuery: MiddlewareHandler = async (c, next) => {
  readQuery(c, searchQuery);
  await next();
};

export function registerSearchRoutes(app: DocentHono, deps: AppDeps): void {
  app.get('/api/search', async (c) => {
    const { q, k, language, page } = readQuery(c, searchQuery);
    const settings = { ...(await loadUserSettings(deps.db, c.get('auth').user?.id)), enabled: true };
    const results = await search(deps.db, {
      query: q,
      embedder: deps.embedder,
      settings,
      limit: k ?? settings.maxResults,
      readerLanguage: language,
      readerPage: page,
      signal: c.req.raw.signal,
    });
    const warning = await indexEmbeddingMismatch(deps.db, deps.embedder.modelId, { reembedding: deps.reembeddingOnStart });
    return c.json({
      ...(warning === undefined ? {} : { warning }),
      results: results.map((r) => ({
        rank: r.rank,
        score: r.score,
        path: r.path,
        title: r.title,
        headings: r.headings,
        anchor: r.anchor,
        url: r.url,
        text: r.text,
      })),
    });
  });
}
