/**
 * The HTTP application: the API under `/api/` and the built docs site, on one port. Routes only
 * wire things: parse input, call one core function, shape the response. Build it with
 * `createApp()` and call `app.request()` in tests; `server/main.ts` serves it on a port.
 *
 * API (errors are always `{"error":{"code","message"}}`; a path asked with a method it does not
 * take gets `405` `method_not_allowed` with `Allow`, and `OPTIONS` on it `204` with `Allow`):
 * - `GET /api/health` (`status` is `building` while the first index is built, `incomplete` when that failed: see `index-status.ts`)
 * - `POST /api/chat` (UI message stream for `useChat`)
 * - `GET /api/chats`, `GET /api/chats/:id`, `DELETE /api/chats/:id`
 * - `GET|PUT|DELETE /api/settings`, `GET /api/sources`
 * - `POST /api/messages/:id/feedback`
 * - `GET /api/search?q=&k=`
 * - admin: `GET /api/review/feedback`, `GET /api/review/stats`, `GET /api/review/feedback.csv`,
 *   `POST /api/review/eval-cases`, `GET /api/review/eval-cases.jsonl`, `POST /api/admin/login`,
 *   `POST /api/admin/logout`, `GET /api/admin/session`, `POST /api/admin/ingest`
 */
import { resolve } from 'node:path';
import { count } from 'drizzle-orm';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createChatModel, type ChatModel } from '../answer/model';
import { siteFileUrls } from '../answer/site-files';
import type { Config } from '../config';
import { describeDatabaseError, isDatabaseUnreachable } from '../db/connect-error';
import type { DatabaseHandle } from '../db/open';
import { chunks, documents } from '../db/schema';
import type { EmbeddingProvider } from '../embed/provider';
import { createIndexStatus, type IndexStatus } from '../index-status';
import { indexEmbeddingMismatch } from '../retrieval/embedding-coverage';
import { createTracer, type Tracer } from '../tracing';
import { apiCors } from './api-cors';
import { apiResponseHeaders } from './api-headers';
import { sessionMiddleware, unlimitedAdminAttempts } from './auth';
import { compressText } from './compression';
import { indexedPagesStamp } from '../feedback/review';
import { createStatsCache, noStatsCache } from '../feedback/stats-cache';
import type { AppDeps, AppEnv } from './context';
import { ApiError, handleError } from './errors';
import { requireBuiltIndex } from './index-building';
import { notFoundOrMethodNotAllowed, routeMethods } from './method-not-allowed';
import { countRefusedQuestions, createRefusedQuestions } from './refused-questions';
import { registerChatRoutes, validChatRequest } from './routes/chat';
import { registerChatsRoutes } from './routes/chats';
import { registerFeedbackRoutes } from './routes/feedback';
import { type IngestRunner, type IngestRunningCheck, registerIngestRoutes } from './routes/ingest';
import { registerReviewRoutes } from './routes/review';
import { registerSearchRoutes, validSearchQuery } from './routes/search';
import { registerSettingsRoutes } from './routes/settings';
import {
  adminFailureLimit,
  DEFAULT_ADMIN_FAILURE_LIMIT,
  DEFAULT_CHAT_RATE_LIMIT,
  DEFAULT_NEW_USER_RATE_LIMIT,
  DEFAULT_SEARCH_RATE_LIMIT,
  newUserRateLimit,
  type PeerAddress,
  rateLimit,
  type RateLimitOptions,
  trustedForwardedValue,
} from './rate-limit';
import { DEFAULT_KEEP_ALIVE_MS } from './sse-keep-alive';
import { type SiteBuildState, withSite } from '../site-build';
import { serveSite } from './static';

export type { IngestRunner, IngestRunningCheck } from './routes/ingest';

/**
 * The health check's `warning` when the index is ready but holds no page (a new database whose
 * content folder was missing, `INGEST_ON_START=false`): every question then finds nothing, and the
 * reader is told to lower the minimum score, which cannot help.
 */
export const EMPTY_INDEX_WARNING =
  'the index holds no pages, so every question finds nothing. Ingest the docs (npm run ingest, or set CONTENT_DIR to their folder and restart).';

export interface AppOptions {
  /** The open (and migrated) database. */
  database: DatabaseHandle;
  /** The validated configuration (`loadConfig()`). */
  config: Config;
  /**
   * Embeds questions for retrieval; must be the model the content was ingested with.
   * Default: none, and then every route that retrieves answers 503.
   */
  embedder?: EmbeddingProvider;
  /**
   * Runs an ingest for `POST /api/admin/ingest` (the composition root binds `ingestContent` to the
   * database and embedder). Default: none, and that endpoint answers 501.
   */
  runIngest?: IngestRunner;
  /**
   * Whether an ingest of a content folder (and source) runs in this process outside that endpoint
   * (the ingest on start): that endpoint then answers `409` `ingest_running`. Default: never.
   */
  ingestRunning?: IngestRunningCheck;
  /**
   * The built docs site, served for every non-API path. Default `site/dist` (relative to the
   * working directory); `false` serves no site.
   */
  siteDir?: string | false;
  /**
   * The source name of the content folder the docs site is built from (`CONTENT_DIR`'s): a link
   * of one of its pages to a file the site publishes (`./spec.pdf`), quoted or copied in an answer,
   * leads to that file on the site (`answer/site-files.ts`). Default: none (such a link is resolved
   * against its page's URL).
   */
  contentSource?: string;
  /**
   * The build of the site `npm start` runs in the background (`server/site-build.ts`): `GET
   * /api/health` says while it runs or after it failed (`site`), and with no site built before the
   * pages say so. Default: none.
   */
  siteBuild?: () => SiteBuildState | undefined;
  /**
   * The state of the index while the ingest on start runs (`server/main.ts` feeds it): reported by
   * `GET /api/health`; while it is `building` (or `incomplete`), `POST /api/chat` and `GET /api/search`
   * answer `503` `index_building` (`index_incomplete`). Default: always `ready`.
   */
  indexStatus?: IndexStatus;
  /**
   * Whether an ingest running now (the ingest on start) re-embeds every chunk of another embedding
   * model than the server's: the `warning` of `GET /api/health` and `GET /api/search` then says so
   * instead of asking for `npm run ingest`. Asked only when there are such chunks. Default: never.
   */
  reembeddingOnStart?: () => Promise<boolean>;
  /** The chat model. Default: from `config.llm` (none configured: extractive answers). */
  chatModel?: ChatModel;
  /** LangSmith tracing. Default: from `config.langsmith` (not configured: no tracing at all). */
  tracer?: Tracer;
  /** Where `POST /api/review/eval-cases` writes eval cases (JSONL). Default `eval/review-cases.jsonl`. */
  evalCasesFile?: string;
  /**
   * How long `GET /api/review/stats` keeps the statistics of a filter on an embedded database, in
   * ms (new feedback empties it). Default 30 s (`feedback/stats-cache.ts`); 0 keeps nothing. Postgres keeps nothing.
   */
  statsCacheMs?: number;
  /** Rate limit of `POST /api/chat` per visitor. Default 30 per minute; `false` for none. */
  chatRateLimit?: RateLimitOptions | false;
  /** Rate limit of `GET /api/search` per visitor. Default 60 per minute; `false` for none. */
  searchRateLimit?: RateLimitOptions | false;
  /**
   * How many new users (visitors without a session cookie who write something) one client address
   * may create. Default 20 per minute; `false` for no limit.
   */
  newUserRateLimit?: RateLimitOptions | false;
  /**
   * The TCP peer address of a request, which the rate limits key visitors without a session on
   * (or, with `TRUST_PROXY`, the proxy that must have written `X-Forwarded-For`). Default: the
   * Node socket's remote address. `app.request()` has no socket: tests pass their own.
   */
  peerAddress?: PeerAddress;
  /**
   * Wrong admin tokens (`POST /api/admin/login`, or `Authorization: Bearer` on an admin route)
   * allowed per client address and window. Beyond that, every admin token from that address gets
   * 429 until the window ends, and one line is logged (without the token). Requests with an admin
   * session are not limited. Default 10 per 15 minutes; `false` for no limit.
   */
  adminFailureLimit?: RateLimitOptions | false;
  /** Largest request body accepted, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Longest an answer stream stays silent (the model thinking) before Docent sends an SSE comment,
   * `: keep-alive`, so that proxies with an idle timeout do not close it. Default 15,000 ms.
   */
  keepAliveMs?: number;
}

const missingEmbedder: EmbeddingProvider = {
  modelId: 'none',
  dimensions: 0,
  maxInputTokens: 0,
  embedDocuments: () => Promise.reject(new ApiError(503, 'unavailable', 'This server has no embedding model.')),
  embedQuery: () => Promise.reject(new ApiError(503, 'unavailable', 'This server has no embedding model.')),
  close: async () => {},
};

/**
 * The origins a browser request may come from: this server's own, plus `CORS_ORIGINS`. Its own is
 * `SITE_URL`'s, the request URL's, or any origin whose host is the `Host` header's. Only with
 * `TRUST_PROXY` is `X-Forwarded-Host` read, when present, instead of `Host` (the entry the
 * outermost trusted proxy wrote), for proxies that rewrite `Host`: like `X-Forwarded-For`, anyone
 * can send it. Schemes are not compared: behind a proxy that terminates TLS, Docent cannot reliably
 * tell which one the reader used.
 */
function originGuard(config: Config): MiddlewareHandler {
  const allowed = new Set(config.corsOrigins);
  const siteOrigin = new URL(config.siteUrl).origin;
  return async (c, next) => {
    const method = c.req.method;
    const origin = c.req.header('origin');
    if (origin && method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
      let host: string | undefined;
      try {
        host = new URL(origin).host;
      } catch {
        host = undefined;
      }
      const ownHost =
        trustedForwardedValue(c, 'x-forwarded-host', config.trustProxy) ?? c.req.header('host') ?? new URL(c.req.url).host;
      const sameOrigin = host === ownHost || origin === siteOrigin || origin === new URL(c.req.url).origin;
      if (!sameOrigin && !allowed.has(origin) && !allowed.has('*')) {
        throw new ApiError(403, 'forbidden_origin', `Requests from ${origin} are not allowed: add it to CORS_ORIGINS to embed Docent there.`);
      }
    }
    await next();
  };
}

export function createApp(options: AppOptions) {
  const { database, config } = options;
  const { db } = database;
  const address = { trustProxy: config.trustProxy, peerAddress: options.peerAddress };
  const adminLimit = options.adminFailureLimit ?? DEFAULT_ADMIN_FAILURE_LIMIT;
  const deps: AppDeps = {
    database,
    db,
    config,
    embedder: options.embedder ?? missingEmbedder,
    chatModel: options.chatModel ?? createChatModel(config),
    tracer: options.tracer ?? createTracer(config),
    runIngest: options.runIngest,
    ingestRunning: options.ingestRunning ?? (() => false),
    evalCasesFile: resolve(options.evalCasesFile ?? 'eval/review-cases.jsonl'),
    adminAttempts: adminLimit ? adminFailureLimit(adminLimit, address) : unlimitedAdminAttempts,
    keepAliveMs: options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS,
    indexStatus: options.indexStatus ?? createIndexStatus(),
    reembeddingOnStart: options.reembeddingOnStart ?? (async () => false),
    refusedQuestions: createRefusedQuestions(),
    statsCache: database.kind === 'pglite' ? createStatsCache({ ttlMs: options.statsCacheMs, stamp: () => indexedPagesStamp(db) }) : noStatsCache,
    siteFileUrl: options.siteDir !== false && options.contentSource !== undefined ? siteFileUrls({ siteDir: options.siteDir ?? 'site/dist', source: options.contentSource }) : undefined,
  };
  const app = new Hono<AppEnv>();

  app.onError(handleError);
  // A known path with another method: 405 with `Allow` (and OPTIONS: 204 with `Allow`).
  const allowedMethods = routeMethods(() => app.routes);
  app.notFound(notFoundOrMethodNotAllowed(allowedMethods));
  // The site's pages and widget.js, and JSON answers; never the chat or ingest streams.
  app.use('*', compressText());

  // Readers' chats and the review data: kept by no cache, even an error's.
  app.use('/api/*', apiResponseHeaders());
  // Questions refused before any answer began, for the review page: before every check that refuses one.
  app.post('/api/chat', countRefusedQuestions(deps.refusedQuestions));
  const cors = apiCors(config, allowedMethods);
  if (cors) app.use('/api/*', cors);
  app.use('/api/*', originGuard(config));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: options.maxBodyBytes ?? 1024 * 1024,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `The request body is larger than ${options.maxBodyBytes ?? 1024 * 1024} bytes.`);
      },
    }),
  );
  const newUserLimit = options.newUserRateLimit ?? DEFAULT_NEW_USER_RATE_LIMIT;
  app.use('/api/*', sessionMiddleware(db, config, { beforeCreateUser: newUserLimit ? newUserRateLimit(newUserLimit, address) : undefined }));
  // A bad query or body is told at once, even while the index is built; only the routes' own
  // methods (a wrong one gets its 405, never a 503 or a 429).
  app.get('/api/search', validSearchQuery);
  app.post('/api/chat', validChatRequest);
  // Before the rate limits: asking again while the index is built costs a reader nothing.
  app.post('/api/chat', requireBuiltIndex(deps.indexStatus));
  app.get('/api/search', requireBuiltIndex(deps.indexStatus));
  const chatLimit = options.chatRateLimit ?? DEFAULT_CHAT_RATE_LIMIT;
  if (chatLimit) app.post('/api/chat', rateLimit(chatLimit, address, 'questions'));
  const searchLimit = options.searchRateLimit ?? DEFAULT_SEARCH_RATE_LIMIT;
  if (searchLimit) app.get('/api/search', rateLimit(searchLimit, address, 'searches'));

  app.get('/api/health', async (c) => {
    let counts;
    try {
      counts = await Promise.all([db.select({ n: count() }).from(documents), db.select({ n: count() }).from(chunks)]);
    } catch (error) {
      // For load balancers: not healthy, and why, without the database's address.
      console.error(`[docent] GET /api/health: ${describeDatabaseError(error, undefined)}`);
      const why = isDatabaseUnreachable(error) ? 'The database cannot be reached.' : 'The database query failed; see the server log.';
      return c.json({ status: 'unavailable', database: database.kind, error: why }, 503);
    }
    const [[docs], [chunkCount]] = counts;
    // `building`, `incomplete`: up and serving the site, but no answers until the first index is complete.
    const index = deps.indexStatus.report();
    // Chunks of another embedding model than the server's are found by their words only: say so.
    const modelId = deps.embedder === missingEmbedder ? undefined : deps.embedder.modelId;
    const warning =
      (docs?.n ?? 0) === 0 && index.state === 'ready'
        ? EMPTY_INDEX_WARNING
        : modelId === undefined
          ? undefined
          : await indexEmbeddingMismatch(db, modelId, { reembedding: deps.reembeddingOnStart }).catch(() => undefined);
    return c.json({
      status: index.state === 'building' || index.state === 'incomplete' ? index.state : 'ok',
      database: database.kind,
      documents: docs?.n ?? 0,
      chunks: chunkCount?.n ?? 0,
      ...(modelId === undefined ? {} : { embeddingModel: modelId }),
      index,
      ...withSite(options.siteBuild),
      ...(warning === undefined ? {} : { warning }),
    });
  });

  registerChatRoutes(app, deps);
  registerChatsRoutes(app, deps);
  registerSettingsRoutes(app, deps);
  registerFeedbackRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerReviewRoutes(app, deps);
  registerIngestRoutes(app, deps);

  const siteDir = options.siteDir ?? 'site/dist';
  // The sites allowed to embed Docent may also frame its full-page chat.
  if (siteDir !== false) app.use('*', serveSite(siteDir, { chatFrameAncestors: config.corsOrigins, siteBuild: options.siteBuild }));

  return app;
}


export type App = ReturnType<typeof createApp>;
