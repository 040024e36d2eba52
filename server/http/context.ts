/** What every route gets: the app's dependencies, built once by `createApp`. */
import type { Hono } from 'hono';
import type { ChatModel } from '../answer/model';
import type { SourceFileUrl } from '../answer/source-links';
import type { Config } from '../config';
import type { Database, DatabaseHandle } from '../db/open';
import type { EmbeddingProvider } from '../embed/provider';
import type { IndexStatus } from '../index-status';
import type { StatsCache } from '../feedback/stats-cache';
import type { Tracer } from '../tracing';
import type { ChatRequestEnv } from './routes/chat';
import type { IngestRunner, IngestRunningCheck } from './routes/ingest';
import type { AdminAttempts, AuthEnv } from './auth';
import type { RefusedQuestions } from './refused-questions';

export interface AppDeps {
  database: DatabaseHandle;
  db: Database;
  config: Config;
  embedder: EmbeddingProvider;
  chatModel: ChatModel | undefined;
  tracer: Tracer;
  runIngest: IngestRunner | undefined;
  ingestRunning: IngestRunningCheck;
  /** Absolute path of the JSONL file review exports eval cases to. */
  evalCasesFile: string;
  /** The limit on wrong admin tokens, shared by every route that checks one. */
  adminAttempts: AdminAttempts;
  /** Longest silence of an answer stream before a keep-alive comment, in ms. */
  keepAliveMs: number;
  /** The index's state while the ingest on start runs (`ready` otherwise). */
  indexStatus: IndexStatus;
  /** Whether the ingest on start is re-embedding every chunk of another embedding model now. */
  reembeddingOnStart: () => Promise<boolean>;
  /** The review statistics of recent requests (embedded database only), emptied when feedback changes. */
  statsCache: StatsCache;
  /** Questions refused before any answer began, since the server started (`GET /api/review/refused`). */
  refusedQuestions: RefusedQuestions;
  /** Where the docs site serves the files its pages link to, for links quoted in answers; none without a site. */
  siteFileUrl: SourceFileUrl | undefined;
}

export type AppEnv = { Variables: AuthEnv['Variables'] & ChatRequestEnv['Variables'] };
export type DocentHono = Hono<AppEnv>;
