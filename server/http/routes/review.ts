/**
 * Maintainers' endpoints (admin token or admin session only):
 * - `GET /api/review/feedback` — rated answers, the most recently given or changed first, filtered and paginated
 *   (`vote`, `rating`, `from`, `to`, `source`, `hasComment`, `limit`, and `offset` or the `cursor` a page's
 *   `nextCursor` gives, which stays fast at any depth);
 * - `GET /api/review/stats` — counts, positive rate per week (weeks of the `timeZone` parameter, default UTC),
 *   documents behind down-voted answers;
 * - `GET /api/review/feedback.csv` — the filtered list as CSV (up to 10,000 rows);
 * - `POST /api/admin/login` `{token}` — makes the visitor's own session an admin session, so the
 *   review page never keeps the token in script-readable storage; `POST /api/admin/logout`;
 *   wrong tokens, here and as bearer tokens, are limited per client address (`deps.adminAttempts`);
 *   `GET /api/admin/session` — `{ configured, admin }` for the page to pick what to show;
 * - `POST /api/review/eval-cases` `{messageId, gold:[{path,heading}], question?, id?}` — adds the
 *   answer's question as an eval case (`{"id","question","gold"}`) to the eval-cases JSONL file
 *   (same id again: replaced; a gold path or heading the index does not have: 400, with the heading
 *   meant when it is close); `GET /api/review/eval-cases.jsonl` downloads that file.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Context } from 'hono';
import { z } from 'zod';
import { feedbackCsv } from '../../feedback/csv';
import { evalCaseInputSchema, matchGoldHeadings, questionOf, unknownGoldPaths, writeEvalCase } from '../../feedback/eval-cases';
import { dateRangeProblem, feedbackStats, listFeedback, reviewFiltersSchema, reviewStatsSchema } from '../../feedback/review';
import { ONE_SLICE } from '../../db/slices';
import { isAdminRequest, isAdminToken, requireAdmin, requireAdminToken } from '../auth';
import type { AppDeps, DocentHono } from '../context';
import { ApiError, notFound } from '../errors';
import { readJson, readQuery, wholeNumberParam } from '../validate';

/** The review filters of the query string, with `from` no later than `to`. */
function readFilterQuery<S extends typeof reviewFiltersSchema>(c: Context, schema: S): z.output<S> {
  const filters = readQuery(c, schema);
  const problem = dateRangeProblem(filters);
  if (problem) throw new ApiError(400, 'invalid_query', `Invalid query parameters: ${problem}`);
  return filters;
}

/** The list's query parameters: `cursor` and `offset` are two ways to say where a page starts, so not both. */
function readPageQuery<S extends typeof reviewFiltersSchema>(c: Context, schema: S): z.output<S> {
  if (c.req.query('cursor') !== undefined && c.req.query('offset') !== undefined) {
    throw new ApiError(400, 'invalid_query', 'Invalid query parameters: give cursor or offset, not both (a cursor already says where the page starts)');
  }
  return readFilterQuery(c, schema);
}

const loginSchema = z.strictObject({ token: z.string({ error: 'token must be a string' }).min(1, 'token is required').max(1000) });
const CSV_MAX_ROWS = 10_000;

export function registerReviewRoutes(app: DocentHono, deps: AppDeps): void {
  const { db, config, adminAttempts } = deps;
  const admin = requireAdmin(config, adminAttempts);

  app.get('/api/review/feedback', admin, async (c) => c.json(await listFeedback(db, readPageQuery(c, reviewFiltersSchema))));

  app.get('/api/review/stats', admin, async (c) => {
    const query = readFilterQuery(c, reviewStatsSchema);
    // Sliced on the embedded database, whose one thread readers' questions share; whole on Postgres.
    const slices = deps.database.kind === 'postgres' ? ONE_SLICE : undefined;
    return c.json(await deps.statsCache.get(query, () => feedbackStats(db, query, { slices })));
  });

  /** `{ since, indexBuilding, tooLong, rateLimited }`: questions refused before any answer began, since the server started. */
  app.get('/api/review/refused', admin, (c) => c.json(deps.refusedQuestions.counts()));

  app.get('/api/review/feedback.csv', admin, async (c) => {
    const filters = readPageQuery(c, reviewFiltersSchema.extend({ limit: wholeNumberParam('limit', 1, CSV_MAX_ROWS).default(CSV_MAX_ROWS) }));
    const { items } = await listFeedback(db, filters);
    const stamp = new Date().toISOString().slice(0, 10);
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="docent-feedback-${stamp}.csv"`);
    return c.body(feedbackCsv(items));
  });

  app.post('/api/review/eval-cases', admin, async (c) => {
    const input = await readJson(c, evalCaseInputSchema);
    const stored = await questionOf(db, input.messageId);
    if (stored === undefined) throw notFound(`No answer ${input.messageId}.`);
    const unknown = await unknownGoldPaths(db, input.gold);
    if (unknown.length) {
      throw new ApiError(400, 'invalid_body', `Invalid request body: gold: ${unknown.map((p) => JSON.stringify(p)).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not an indexed page`);
    }
    const { gold, unknown: unknownHeadings } = await matchGoldHeadings(db, input.gold);
    if (unknownHeadings.length) {
      const problems = unknownHeadings.map(
        (u) =>
          `gold.${u.index}.heading: ${JSON.stringify(u.heading)} is not a heading of ${u.path}${u.closest === undefined ? '' : ` (did you mean ${JSON.stringify(u.closest)}?)`}`,
      );
      throw new ApiError(400, 'invalid_body', `Invalid request body: ${problems.join('; ')}`);
    }
    const evalCase = { id: input.id ?? `review-${input.messageId.slice(0, 8)}`, question: input.question ?? stored, gold };
    await writeEvalCase(deps.evalCasesFile, evalCase);
    return c.json({ id: evalCase.id, case: evalCase, file: relative(process.cwd(), deps.evalCasesFile) }, 201);
  });

  app.get('/api/review/eval-cases.jsonl', admin, async (c) => {
    const text = await readFile(deps.evalCasesFile, 'utf8').catch(() => '');
    c.header('content-type', 'application/x-ndjson; charset=utf-8');
    c.header('content-disposition', 'attachment; filename="docent-eval-cases.jsonl"');
    return c.body(text);
  });

  app.post('/api/admin/login', async (c) => {
    requireAdminToken(config);
    const { token } = await readJson(c, loginSchema);
    if (!isAdminToken(c, config, adminAttempts, token)) throw new ApiError(401, 'invalid_token', 'That is not this server’s ADMIN_TOKEN.');
    await c.get('auth').setAdminSession(true);
    return c.json({ admin: true });
  });

  app.post('/api/admin/logout', async (c) => {
    if (c.get('auth').user) await c.get('auth').setAdminSession(false);
    return c.json({ admin: false });
  });

  app.get('/api/admin/session', (c) => {
    if (!config.adminToken) return c.json({ configured: false, admin: false });
    let isAdmin = false;
    try {
      isAdmin = isAdminRequest(c, config, adminAttempts);
    } catch (error) {
      // A wrong bearer token is simply not an admin; a limited client still hears 429.
      if (!(error instanceof ApiError && error.code === 'invalid_token')) throw error;
    }
    return c.json({ configured: true, admin: isAdmin });
  });
}
