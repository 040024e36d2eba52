/**
 * Docent's data model: the single source of truth for the database.
 *
 * Conventions: UUID primary keys, snake_case columns with camelCase fields, `pgEnum` for closed
 * sets, explicit `onDelete` on every foreign key (cascade for rows a parent owns), an index on
 * every foreign key and on what queries filter or sort by, timestamps with time zone, typed JSONB.
 * No secret is stored in plaintext: sessions keep only a SHA-256 hash of their token.
 *
 * Change it, then run `npm run db:generate` to write a migration into `migrations/`.
 */
import { type InferInsertModel, type InferSelectModel, relations, sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  vector,
} from 'drizzle-orm/pg-core';
import { FOLDER_PAGE_PATH_PATTERN } from './page-names';

/** Dimensions of every stored embedding (USE-Lite natively; OpenAI `text-embedding-3-small` at `dimensions: 512`). */
export const EMBEDDING_DIMENSIONS = 512;

/** A Postgres `tsvector`; only ever written by the database (generated column). */
const tsvector = customType<{ data: string }>({
  dataType: () => 'tsvector',
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

// ---------------------------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------------------------

export const userRole = pgEnum('user_role', ['visitor', 'admin']);
export const ingestStatus = pgEnum('ingest_status', ['running', 'succeeded', 'partial', 'failed']);
export const messageRole = pgEnum('message_role', ['user', 'assistant', 'system']);
/**
 * `streaming` while an answer is being written; a finished message is one of the others.
 * `truncated`: an answer kept as written although the model's token limit or content filter cut
 * it off (`error` says which).
 */
export const messageStatus = pgEnum('message_status', ['streaming', 'complete', 'error', 'aborted', 'truncated']);
export const feedbackVote = pgEnum('feedback_vote', ['up', 'down']);

// ---------------------------------------------------------------------------------------------
// JSONB shapes
// ---------------------------------------------------------------------------------------------

/** The retrieval settings a user chose; snapshotted on every assistant message. */
export interface RetrievalSettingsSnapshot {
  enabled: boolean;
  maxResults: number;
  minScore: number;
  preferredSources: string[];
  excludedSources: string[];
}

export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
}

/** Citation numbers found in an answer: valid ones match a source, invalid ones were not linked. */
export interface CitationCheck {
  valid: number[];
  invalid: number[];
}

export interface IngestCounts {
  documents: { added: number; updated: number; unchanged: number; removed: number; failed: number };
  chunks: { embedded: number; reused: number; removed: number; total: number };
}

export interface IngestError {
  path: string;
  line: number | null;
  message: string;
  /** `warning`: the file was ingested anyway (e.g. an unterminated code fence). Absent: an error. */
  severity?: 'warning';
}

/** A warning ingest found in a page, kept with the page (`documents.warnings`): `path:line: message`. */
export interface DocumentWarning {
  /** The page's path, or that of a file it includes (a partial, a snippet) where the problem is. */
  path: string;
  line: number | null;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Identity
// ---------------------------------------------------------------------------------------------

/** Anonymous visitors (created on first request) and admins. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    role: userRole('role').notNull().default('visitor'),
    displayName: text('display_name'),
    lastActiveAt: timestamp('last_active_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('users_last_active_at_idx').on(t.lastActiveAt)],
);

/** Browser sessions. Only the SHA-256 hash of the cookie's token is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    /**
     * Set while the session is an admin session: a digest of the `ADMIN_TOKEN` it logged in with
     * (never the token). The session is admin only while this matches the server's current token,
     * so rotating `ADMIN_TOKEN` ends every admin session.
     */
    adminTokenDigest: text('admin_token_digest'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('sessions_token_hash_idx').on(t.tokenHash),
    index('sessions_user_id_idx').on(t.userId),
    index('sessions_expires_at_idx').on(t.expiresAt),
  ],
);

/**
 * A user's own retrieval settings. A user without a row uses the defaults in code
 * (`server/retrieval/settings.ts`), so recalibrated defaults reach everyone who never chose.
 */
export const userRetrievalSettings = pgTable(
  'user_retrieval_settings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    enabled: boolean('enabled').notNull().default(true),
    maxResults: integer('max_results').notNull(),
    minScore: real('min_score').notNull(),
    preferredSources: text('preferred_sources').array().notNull().default(sql`'{}'::text[]`),
    excludedSources: text('excluded_sources').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('user_retrieval_settings_user_id_idx').on(t.userId),
    check('user_retrieval_settings_max_results_check', sql`${t.maxResults} between 1 and 20`),
    check('user_retrieval_settings_min_score_check', sql`${t.minScore} between 0 and 1`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Content
// ---------------------------------------------------------------------------------------------

/**
 * SQL: the document may be its source's home page: a folder page (`page-names.ts`), or a page
 * whose frontmatter `slug` is `/` (how a Docusaurus doc becomes the site's home). One text for the
 * index and the queries, so Postgres uses the index.
 */
export const homePageCandidateCondition = sql.raw(`("path" ~* '${FOLDER_PAGE_PATH_PATTERN}' or "frontmatter"->>'slug' = '/')`);

/** One markdown/MDX file of a content source. `path` is relative to the source's root, with `/`. */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: text('source').notNull(),
    path: text('path').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    url: text('url').notNull(),
    contentHash: text('content_hash').notNull(),
    frontmatter: jsonb('frontmatter').$type<Record<string, unknown>>().notNull().default({}),
    /**
     * The links of the page's text that ingest may point at another page (`./Server.md#listen`),
     * each with the URL it pointed it at, or null where it left the link as written. An unchanged
     * page is parsed again only when one of these would now read otherwise (a page renamed,
     * added or removed). Null for a document written before ingest recorded them.
     */
    pageLinks: jsonb('page_links').$type<Record<string, string | null>>(),
    /**
     * The page's warnings as its last read found them (an unterminated code fence, MDX read as
     * markdown, nothing to index), each `{ path, line, message }`; `[]` for none. Every ingest
     * reports them, also for an unchanged page, until the page is fixed. Null for a document
     * written before ingest stored them: the next run reads it once (no embedding) to find them.
     */
    warnings: jsonb('warnings').$type<DocumentWarning[]>(),
    /**
     * The words of `path` as English lexemes (`guides/chat-widget.md` → `chat guid md widget`),
     * for retrieval's `path` feature: stored so a search does not re-stem every candidate's path.
     */
    pathTsv: tsvector('path_tsv')
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector('english', regexp_replace("path", '[^A-Za-z0-9]+', ' ', 'g'))`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('documents_source_path_idx').on(t.source, t.path),
    index('documents_content_hash_idx').on(t.contentHash),
    /** The pages among which retrieval finds each source's home page (`server/retrieval/home-pages.ts`). */
    index('documents_home_page_candidates_idx').on(t.source).where(homePageCandidateCondition),
  ],
);

/** A heading-aware section (or part of one) of a document, with its embedding and full-text vector. */
export const chunks = pgTable(
  'chunks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    /** Breadcrumb of headings from the page title down: `['Routing', 'Path Parameter']`. */
    headings: text('headings').array().notNull(),
    /** The breadcrumb as one string (`Page title > H2 > H3`), indexed for full-text search. */
    heading: text('heading').notNull(),
    /** The slug the site gives the chunk's heading (`''` for a page's introduction). */
    anchor: text('anchor').notNull(),
    text: text('text').notNull(),
    tokenCount: integer('token_count').notNull(),
    contentHash: text('content_hash').notNull(),
    embedding: vector('embedding', { dimensions: EMBEDDING_DIMENSIONS }).notNull(),
    embeddingModel: text('embedding_model').notNull(),
    tsv: tsvector('tsv')
      .notNull()
      .generatedAlwaysAs(
        // Breadcrumb (weight A) and text (weight D), with the parts of code identifiers
        // (migrations/0002_lexical_functions.sql).
        sql`docent_chunk_tsv("heading", "text")`,
      ),
    /** Lexeme occurrences in `tsv` (BM25's document length), stored so search does not recount them. */
    lexicalLength: integer('lexical_length')
      .notNull()
      .generatedAlwaysAs(sql`docent_tsv_length(docent_chunk_tsv("heading", "text"))`),
    /**
     * The last position of the heading breadcrumb's lexemes in `tsv` (0 when it has none). The
     * breadcrumb's tokens come first in `tsv` and the text's are numbered after them, so an
     * occurrence at or before this position is in the breadcrumb: BM25 reads it from the
     * positions instead of filtering the tsvector by weight a second time (migrations/0012).
     */
    headingEnd: integer('heading_end')
      .notNull()
      .generatedAlwaysAs(sql`docent_heading_end("heading")`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('chunks_document_id_ordinal_idx').on(t.documentId, t.ordinal),
    index('chunks_content_hash_idx').on(t.contentHash),
    index('chunks_embedding_model_idx').on(t.embeddingModel),
    // ef_construction 128 (pgvector's default is 64): at 100k chunks the default graph left a few
    // queries unable to reach their cluster at any ef_search (recall@10 0.943); 128 gives 1.000 at
    // ef_search 400 for 25 % more build time (BENCHMARKS.md, "HNSW ef_construction 128").
    index('chunks_embedding_hnsw_idx').using('hnsw', t.embedding.op('vector_cosine_ops')).with({ ef_construction: 128 }),
    index('chunks_tsv_gin_idx').using('gin', t.tsv),
  ],
);

/**
 * Document frequency of every lexeme in `chunks.tsv`, for BM25's IDF. Kept up to date by
 * statement-level triggers on `chunks` (migrations/0004_lexical_stats_triggers.sql), in the
 * same transaction as the chunk writes.
 */
export const lexemeStats = pgTable('lexeme_stats', {
  lexeme: text('lexeme').primaryKey(),
  /** Chunks whose `tsv` contains the lexeme. */
  df: integer('df').notNull(),
});

/** One row (id 1): chunk count and total lexeme occurrences, for BM25's average length. Trigger-maintained. */
export const corpusStats = pgTable(
  'corpus_stats',
  {
    id: integer('id').primaryKey().default(1),
    chunks: integer('chunks').notNull().default(0),
    totalLength: bigint('total_length', { mode: 'number' }).notNull().default(0),
  },
  (t) => [check('corpus_stats_single_row_check', sql`${t.id} = 1`)],
);

/** Every run of the ingest command (or of ingest on start), with its summary. */
export const ingestRuns = pgTable(
  'ingest_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: text('source').notNull(),
    status: ingestStatus('status').notNull().default('running'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    embeddingModel: text('embedding_model').notNull(),
    counts: jsonb('counts').$type<IngestCounts>(),
    errors: jsonb('errors').$type<IngestError[]>().notNull().default([]),
    options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('ingest_runs_source_started_at_idx').on(t.source, t.startedAt)],
);

// ---------------------------------------------------------------------------------------------
// Chats
// ---------------------------------------------------------------------------------------------

export const chats = pgTable(
  'chats',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The id the chat client (`useChat`) gave this conversation. */
    clientChatId: text('client_chat_id').notNull(),
    title: text('title').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('chats_user_id_client_chat_id_idx').on(t.userId, t.clientChatId),
    index('chats_user_id_updated_at_idx').on(t.userId, t.updatedAt),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    chatId: uuid('chat_id')
      .notNull()
      .references(() => chats.id, { onDelete: 'cascade' }),
    /** The id the chat client gave this message, when it sent one. */
    clientMessageId: text('client_message_id'),
    role: messageRole('role').notNull(),
    content: text('content').notNull(),
    /** The message as UI parts (text, source-url, data-sources, ...), as the chat client renders them. */
    parts: jsonb('parts').$type<unknown[]>().notNull().default([]),
    status: messageStatus('status').notNull().default('complete'),
    model: text('model'),
    usage: jsonb('usage').$type<TokenUsage>(),
    latencyMs: integer('latency_ms'),
    retrievalSettings: jsonb('retrieval_settings').$type<RetrievalSettingsSnapshot>(),
    /** The standalone query retrieval ran with, when a follow-up question was rewritten. */
    retrievalQuery: text('retrieval_query'),
    citations: jsonb('citations').$type<CitationCheck>(),
    error: text('error'),
    langsmithRunId: text('langsmith_run_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('messages_chat_id_created_at_idx').on(t.chatId, t.createdAt),
    index('messages_status_idx').on(t.status),
    // The review statistics count the answers given in a period: this counts them without reading
    // every message (an index-only scan once the table is vacuumed, as Postgres' autovacuum does).
    index('messages_assistant_created_at_idx').on(t.createdAt).where(sql`${t.role} = 'assistant'`),
  ],
);

/**
 * The sources retrieved for an assistant message, with their scores. The snapshot columns keep a
 * citation readable after re-ingestion deletes or changes the chunk (`chunk_id` is then null).
 */
export const messageSources = pgTable(
  'message_sources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    chunkId: uuid('chunk_id').references(() => chunks.id, { onDelete: 'set null' }),
    rank: integer('rank').notNull(),
    score: real('score').notNull(),
    /** Whether the answer cited this source. */
    cited: boolean('cited').notNull().default(false),
    source: text('source').notNull(),
    path: text('path').notNull(),
    title: text('title').notNull(),
    heading: text('heading').notNull(),
    anchor: text('anchor').notNull(),
    url: text('url').notNull(),
    quote: text('quote').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('message_sources_message_id_rank_idx').on(t.messageId, t.rank),
    index('message_sources_chunk_id_idx').on(t.chunkId),
    index('message_sources_path_idx').on(t.path),
    // The review's source filter matches a path prefix or a source name: with both indexed, it
    // reads the matching sources only, not every message source.
    index('message_sources_source_idx').on(t.source),
  ],
);

/** A user's feedback on an assistant message: one row per user and message. */
export const messageFeedback = pgTable(
  'message_feedback',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    vote: feedbackVote('vote').notNull(),
    rating: integer('rating'),
    comment: text('comment'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('message_feedback_user_id_message_id_idx').on(t.userId, t.messageId),
    index('message_feedback_message_id_idx').on(t.messageId),
    // The review page sorts and filters by when feedback was last given or changed.
    index('message_feedback_updated_at_idx').on(t.updatedAt),
    index('message_feedback_vote_idx').on(t.vote),
    check('message_feedback_rating_check', sql`${t.rating} is null or ${t.rating} between 1 and 5`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Relations (for drizzle's relational queries)
// ---------------------------------------------------------------------------------------------

export const usersRelations = relations(users, ({ many, one }) => ({
  sessions: many(sessions),
  retrievalSettings: one(userRetrievalSettings),
  chats: many(chats),
  feedback: many(messageFeedback),
}));
export const sessionsRelations = relations(sessions, ({ one }) => ({
  user: one(users, { fields: [sessions.userId], references: [users.id] }),
}));
export const userRetrievalSettingsRelations = relations(userRetrievalSettings, ({ one }) => ({
  user: one(users, { fields: [userRetrievalSettings.userId], references: [users.id] }),
}));
export const documentsRelations = relations(documents, ({ many }) => ({
  chunks: many(chunks),
}));
export const chunksRelations = relations(chunks, ({ one }) => ({
  document: one(documents, { fields: [chunks.documentId], references: [documents.id] }),
}));
export const chatsRelations = relations(chats, ({ one, many }) => ({
  user: one(users, { fields: [chats.userId], references: [users.id] }),
  messages: many(messages),
}));
export const messagesRelations = relations(messages, ({ one, many }) => ({
  chat: one(chats, { fields: [messages.chatId], references: [chats.id] }),
  sources: many(messageSources),
  feedback: many(messageFeedback),
}));
export const messageSourcesRelations = relations(messageSources, ({ one }) => ({
  message: one(messages, { fields: [messageSources.messageId], references: [messages.id] }),
  chunk: one(chunks, { fields: [messageSources.chunkId], references: [chunks.id] }),
}));
export const messageFeedbackRelations = relations(messageFeedback, ({ one }) => ({
  message: one(messages, { fields: [messageFeedback.messageId], references: [messages.id] }),
  user: one(users, { fields: [messageFeedback.userId], references: [users.id] }),
}));

// ---------------------------------------------------------------------------------------------
// Row types
// ---------------------------------------------------------------------------------------------

export type User = InferSelectModel<typeof users>;
export type NewUser = InferInsertModel<typeof users>;
export type Session = InferSelectModel<typeof sessions>;
export type NewSession = InferInsertModel<typeof sessions>;
export type UserRetrievalSettings = InferSelectModel<typeof userRetrievalSettings>;
export type NewUserRetrievalSettings = InferInsertModel<typeof userRetrievalSettings>;
export type Document = InferSelectModel<typeof documents>;
export type NewDocument = InferInsertModel<typeof documents>;
export type Chunk = InferSelectModel<typeof chunks>;
export type NewChunk = InferInsertModel<typeof chunks>;
export type IngestRun = InferSelectModel<typeof ingestRuns>;
export type NewIngestRun = InferInsertModel<typeof ingestRuns>;
export type Chat = InferSelectModel<typeof chats>;
export type NewChat = InferInsertModel<typeof chats>;
export type Message = InferSelectModel<typeof messages>;
export type NewMessage = InferInsertModel<typeof messages>;
export type MessageSource = InferSelectModel<typeof messageSources>;
export type NewMessageSource = InferInsertModel<typeof messageSources>;
export type MessageFeedback = InferSelectModel<typeof messageFeedback>;
export type NewMessageFeedback = InferInsertModel<typeof messageFeedback>;
