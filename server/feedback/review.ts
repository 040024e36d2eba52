/**
 * What maintainers review: rated answers with their question, sources (with scores), the
 * retrieval settings used and the comment; and statistics over them. Admin only (the routes
 * check); these functions see every user's feedback.
 */
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { CitationCheck, RetrievalSettingsSnapshot } from '../db/schema';
import { type Database, queryRows } from '../db/open';
import { splitBreadcrumb } from '../chats/sources';
import { readInSlices, type SliceOptions } from '../db/slices';
import { MAX_SOURCE_LENGTH } from '../db/source-name';
import { wholeNumberParam } from '../whole-number-param';

const EARLIEST_DATE = Date.parse('0001-01-01T00:00:00Z');
const LATEST_DATE = Date.parse('9999-12-31T00:00:00Z');

/**
 * A date or ISO timestamp Postgres can compare with: `YYYY-MM-DD…` (not the other formats
 * `Date.parse` guesses at), a day the calendar has (`Date.parse` reads `2026-02-31` as March 3),
 * from year 1 to 9999, with room for `to`'s end of day.
 */
function isDateParam(value: string): boolean {
  const day = /^(\d{4}-\d{2}-\d{2})(?:T|$)/.exec(value)?.[1];
  if (day === undefined) return false;
  const dayStart = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(dayStart) || new Date(dayStart).toISOString().slice(0, 10) !== day) return false;
  const time = Date.parse(value);
  return time >= EARLIEST_DATE && time < LATEST_DATE;
}

const dateParam = (name: string) =>
  z
    .string()
    .trim()
    .refine(isDateParam, `${name} must be a date like 2025-01-31 or an ISO timestamp`)
    .optional();

const boolParam = (name: string) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: `${name} must be true or false` })
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .optional();

const CURSOR_ERROR = 'cursor must be the nextCursor of a page of this list';

/** Where a page ends in the list's order: its last row's `updated_at` (UTC, to the microsecond) and id. */
export interface ReviewCursor {
  /** `YYYY-MM-DDTHH:MM:SS.ffffff`, UTC: Postgres's own precision, which a JavaScript date would round. */
  updatedAt: string;
  feedbackId: string;
}

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;
const CURSOR_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The opaque `nextCursor` for a page that ends at `cursor` (base64url). */
export function encodeReviewCursor(cursor: ReviewCursor): string {
  return Buffer.from(`${cursor.updatedAt}|${cursor.feedbackId}`).toString('base64url');
}

/** The position a `nextCursor` stands for, or `undefined` when `value` is not one. */
export function decodeReviewCursor(value: string): ReviewCursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  const [updatedAt = '', feedbackId = '', ...rest] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !CURSOR_TIME.test(updatedAt) || !CURSOR_ID.test(feedbackId)) return undefined;
  if (Number.isNaN(Date.parse(`${updatedAt.slice(0, 23)}Z`))) return undefined;
  return { updatedAt, feedbackId };
}

/** Query parameters of the review endpoints (all optional). */
export const reviewFiltersSchema = z.object({
  /** `up` or `down`. */
  vote: z.enum(['up', 'down'], { error: 'vote must be "up" or "down"' }).optional(),
  /** Exact rating, 1–5. */
  rating: wholeNumberParam('rating', 1, 5, 'rating must be 1–5').optional(),
  /** Feedback last given or changed on or after this date (inclusive). */
  from: dateParam('from'),
  /** Feedback last given or changed on or before this date (a date without time includes that whole UTC day). */
  to: dateParam('to'),
  /** Answers that retrieved a source whose path starts with this (or whose source name is this). */
  source: z
    .string()
    .trim()
    .min(1, 'source cannot be empty: give a path prefix or a source name, or leave source out for every source')
    .max(MAX_SOURCE_LENGTH, `source is at most ${MAX_SOURCE_LENGTH} characters, as a source name or prefix in readers' settings`)
    .optional(),
  /** Only feedback with (true) or without (false) a comment. */
  hasComment: boolParam('hasComment'),
  /** Page size, 1–200. Default 50. */
  limit: wholeNumberParam('limit', 1, 200, 'limit must be 1–200').default(50),
  /** Rows to skip. Default 0. Slows with its size (the rows skipped are read): deep pages take `cursor`. */
  offset: wholeNumberParam('offset', 0, Infinity, 'offset must be a whole number 0 or more').default(0),
  /** The `nextCursor` of the page before: the page after it, as fast at any depth (keyset paging). */
  cursor: z
    .string()
    .trim()
    .max(200, CURSOR_ERROR)
    .transform((value, ctx) => {
      const cursor = decodeReviewCursor(value);
      if (!cursor) ctx.addIssue({ code: 'custom', message: CURSOR_ERROR });
      return cursor ?? z.NEVER;
    })
    .optional(),
});
export type ReviewFilters = z.infer<typeof reviewFiltersSchema>;

/**
 * An IANA time zone name (`America/Los_Angeles`, `Australia/Sydney`, `UTC`) as the browser's
 * `Intl.DateTimeFormat().resolvedOptions().timeZone` gives it, in its canonical spelling; `undefined`
 * when it is not one. Offsets such as `+01:00` are refused: Postgres reads them as POSIX zones, with
 * the sign the other way round.
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(name) || name.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Query parameters of the statistics: the list's filters, and the time zone whose weeks the weekly series counts in. */
export const reviewStatsSchema = reviewFiltersSchema.extend({
  /** IANA time zone name; weeks start on Monday at midnight there. Default `UTC`. */
  timeZone: z
    .string()
    .trim()
    .transform((value, ctx) => {
      const zone = canonicalTimeZone(value);
      if (!zone) ctx.addIssue({ code: 'custom', message: 'timeZone must be an IANA time zone name such as "Europe/Paris" or "UTC"' });
      return zone ?? z.NEVER;
    })
    .optional(),
});
export type ReviewStatsQuery = z.infer<typeof reviewStatsSchema>;

export interface ReviewSource {
  rank: number;
  score: number;
  cited: boolean;
  source: string;
  path: string;
  title: string;
  heading: string;
  url: string;
  /** The page is no longer indexed (deleted or renamed since the answer): its link is dead. */
  pageRemoved: boolean;
  /** The page is still indexed but has no section with this heading's anchor any more. */
  sectionRemoved: boolean;
}

export interface ReviewItem {
  feedbackId: string;
  messageId: string;
  chatId: string;
  vote: 'up' | 'down';
  rating: number | null;
  comment: string | null;
  /** When the reader first gave this feedback. */
  createdAt: string;
  /** When the reader last changed it (the same as `createdAt` until then): the list sorts and filters by it. */
  updatedAt: string;
  question: string;
  answer: string;
  status: string;
  model: string | null;
  latencyMs: number | null;
  retrievalSettings: RetrievalSettingsSnapshot | null;
  retrievalQuery: string | null;
  citations: CitationCheck | null;
  answeredAt: string;
  sources: ReviewSource[];
}

function endOfDay(value: string): Date {
  // A bare date means the whole day.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000);
  return new Date(Date.parse(value) + 1);
}

/**
 * Why `from` and `to` select no time at all (`from` after `to`, or after the end of `to`'s day
 * when `to` is a bare date), or `undefined` when they are in order or not both given: such filters
 * are a mistake, which an empty list would hide.
 */
export function dateRangeProblem(filters: Pick<ReviewFilters, 'from' | 'to'>): string | undefined {
  if (!filters.from || !filters.to) return undefined;
  if (Date.parse(filters.from) < endOfDay(filters.to).getTime()) return undefined;
  return `from (${filters.from}) is after to (${filters.to}): nothing can be in between`;
}

/**
 * The `where` clause for `filters` over `f` (feedback) alone, so that counting and paging need not
 * join the messages. Dates are compared with
 * when the feedback was last given or changed (`updated_at`), so a verdict changed today counts as
 * today's.
 */
function whereClause(filters: Partial<ReviewFilters>): SQL {
  const conditions: SQL[] = [sql`true`];
  if (filters.vote) conditions.push(sql`f.vote = ${filters.vote}`);
  if (filters.rating !== undefined) conditions.push(sql`f.rating = ${filters.rating}`);
  if (filters.from) conditions.push(sql`f.updated_at >= ${new Date(Date.parse(filters.from)).toISOString()}::timestamptz`);
  if (filters.to) conditions.push(sql`f.updated_at < ${endOfDay(filters.to).toISOString()}::timestamptz`);
  if (filters.hasComment === true) conditions.push(sql`coalesce(f.comment, '') <> ''`);
  if (filters.hasComment === false) conditions.push(sql`coalesce(f.comment, '') = ''`);
  if (filters.source) conditions.push(retrievedSource(filters.source, sql`f.message_id`));
  return sql.join(conditions, sql` and `);
}

/** SQL: the message source `ms` is of `source`: its path starts with it, or its source name is it. */
function sourceMatches(source: string): SQL {
  const prefix = `${source.replace(/^\/+/, '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`(ms.path like ${prefix} or ms.source = ${source})`;
}

/** SQL: the answer whose id is `messageId` retrieved a source of `source` ({@link sourceMatches}). */
function retrievedSource(source: string, messageId: SQL): SQL {
  return sql`exists (select 1 from message_sources ms where ms.message_id = ${messageId} and ${sourceMatches(source)})`;
}

/**
 * {@link retrievedSource} looked up answer by answer, through their own sources: for a slice of
 * the statistics, whose few hundred answers the planner would otherwise match against every
 * source of `source` (`offset 0` keeps the `exists` from being turned into that join).
 */
function retrievedSourceEach(source: string, messageId: SQL): SQL {
  return sql`exists (select 1 from message_sources ms where ms.message_id = ${messageId} and ${sourceMatches(source)} offset 0)`;
}

/**
 * What says which pages are indexed, in one cheap read of `documents`: it changes when a page is
 * added, removed or re-ingested. Statistics kept for a while ({@link feedbackStats}, whose
 * `pageRemoved` depends on it) are used again only while it is the same.
 */
export async function indexedPagesStamp(db: Database): Promise<string> {
  const [row] = await queryRows<{ stamp: string }>(
    db,
    sql`select concat_ws('|', count(*), max(created_at), max(updated_at)) as stamp from documents`,
  );
  return row?.stamp ?? '';
}

/** SQL: the page of source `ms` (message_sources) is still indexed. */
const pageIndexed = sql`exists (select 1 from documents d where d.source = ms.source and d.path = ms.path)`;

/** SQL: the section of source `ms` is still indexed (a page's introduction, anchor `''`, is there while its page is). */
const sectionIndexed = sql`(ms.anchor = '' or exists (select 1 from chunks c join documents d on d.id = c.document_id
  where d.source = ms.source and d.path = ms.path and c.anchor = ms.anchor))`;

interface Row extends Record<string, unknown> {
  feedback_id: string;
  /** `updated_at` as the cursor keeps it (UTC, microseconds). */
  updated_key: string;
  message_id: string;
  chat_id: string;
  vote: 'up' | 'down';
  rating: number | null;
  comment: string | null;
  created_at: string | Date;
  updated_at: string | Date;
  question: string | null;
  answer: string;
  status: string;
  model: string | null;
  latency_ms: number | null;
  retrieval_settings: RetrievalSettingsSnapshot | string | null;
  retrieval_query: string | null;
  citations: CitationCheck | string | null;
  answered_at: string | Date;
  sources: ReviewSource[] | string | null;
}

const json = <T>(v: T | string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
const iso = (v: string | Date) => new Date(v).toISOString();

/** SQL: the feedback `f` comes after `cursor` in the list's order (`updated_at` newest first, then id). */
function afterCursor(cursor: ReviewCursor): SQL {
  const at = sql`(${cursor.updatedAt}::timestamp at time zone 'UTC')`;
  // `updated_at <= at` on its own lets the updated_at index find where to start.
  return sql`f.updated_at <= ${at} and (f.updated_at < ${at} or f.id > ${cursor.feedbackId}::uuid)`;
}

/** A page of rated answers: `offset` is the number of rows before it (also for a `cursor` page). */
export interface FeedbackPage {
  items: ReviewItem[];
  total: number;
  limit: number;
  offset: number;
  /** The `cursor` of the next page, or `null` after the last one. */
  nextCursor: string | null;
}

/**
 * Rated answers matching `filters`, the most recently given or changed feedback first, with the
 * total count. Each source says whether its page or section is still indexed. A page starts at
 * `filters.cursor` (keyset paging: as fast at any depth) or else skips `filters.offset` rows
 * (the rows skipped are still read, so deep offsets are slower). The question, answer and sources
 * are read for the page's rows only.
 */
export async function listFeedback(db: Database, filters: Partial<ReviewFilters> = {}): Promise<FeedbackPage> {
  const limit = filters.limit ?? 50;
  const { cursor } = filters;
  const skip = cursor ? 0 : (filters.offset ?? 0);
  const where = whereClause(filters);
  const pageWhere = cursor ? sql`${where} and ${afterCursor(cursor)}` : where;
  // One scan counts the list and, for a cursor, the rows up to it (the page's offset).
  const [countRow] = await queryRows<{ n: number | string; before: number | string | null }>(
    db,
    sql`select count(*) as n, ${cursor ? sql`count(*) filter (where not (${afterCursor(cursor)}))` : sql`null`} as before
        from message_feedback f where ${where}`,
  );
  // The page's rows first (one more, to know whether a page follows), then what they show.
  const rows = await queryRows<Row>(
    db,
    sql`with page as (
          select f.id from message_feedback f
          where ${pageWhere}
          order by f.updated_at desc, f.id
          limit ${limit + 1} offset ${skip})
        select f.id as feedback_id, to_char(f.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as updated_key,
               m.id as message_id, m.chat_id, f.vote, f.rating, f.comment,
               f.created_at, f.updated_at, m.content as answer, m.status, m.model, m.latency_ms,
               m.retrieval_settings, m.retrieval_query, m.citations, m.created_at as answered_at,
               (select u.content from messages u
                 where u.chat_id = m.chat_id and u.role = 'user' and u.created_at <= m.created_at
                 order by u.created_at desc limit 1) as question,
               (select coalesce(json_agg(json_build_object(
                         'rank', ms.rank, 'score', ms.score, 'cited', ms.cited, 'source', ms.source,
                         'path', ms.path, 'title', ms.title, 'heading', ms.heading, 'url', ms.url,
                         'pageRemoved', not ${pageIndexed}, 'sectionRemoved', ${pageIndexed} and not ${sectionIndexed})
                       order by ms.rank), '[]'::json)
                  from message_sources ms where ms.message_id = m.id) as sources
        from page p join message_feedback f on f.id = p.id join messages m on m.id = f.message_id
        order by f.updated_at desc, f.id`,
  );
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return {
    total: Number(countRow?.n ?? 0),
    limit,
    offset: cursor ? Number(countRow?.before ?? 0) : skip,
    nextCursor: last ? encodeReviewCursor({ updatedAt: last.updated_key, feedbackId: last.feedback_id }) : null,
    items: rows.slice(0, limit).map((r) => ({
      feedbackId: r.feedback_id,
      messageId: r.message_id,
      chatId: r.chat_id,
      vote: r.vote,
      rating: r.rating === null ? null : Number(r.rating),
      comment: r.comment,
      createdAt: iso(r.created_at),
      updatedAt: iso(r.updated_at),
      question: r.question ?? '',
      answer: r.answer,
      status: r.status,
      model: r.model,
      latencyMs: r.latency_ms === null ? null : Number(r.latency_ms),
      retrievalSettings: json(r.retrieval_settings),
      retrievalQuery: r.retrieval_query,
      citations: json(r.citations),
      answeredAt: iso(r.answered_at),
      sources: (json(r.sources) ?? []).map((s) => {
        const headings = splitBreadcrumb(s.heading);
        return { ...s, score: Number(s.score), heading: headings.length > 1 ? headings[headings.length - 1]! : '' };
      }),
    })),
  };
}

export interface FeedbackStats {
  totals: {
    feedback: number;
    up: number;
    down: number;
    /** up / (up + down), or null without feedback. */
    positiveRate: number | null;
    withComment: number;
    rated: number;
    averageRating: number | null;
    /** Count per rating, 1–5. */
    ratings: Record<'1' | '2' | '3' | '4' | '5', number>;
    /**
     * Answers given in the period that readers can rate (rated or not): complete, cut off or stopped;
     * not those that failed part-way, nor those still being written. Only those that retrieved the
     * `source` filter's source when there is one.
     */
    answers: number;
    /** Answers of the period that failed part-way (status `error`): shown to the reader as interrupted, never rateable. */
    failedAnswers: number;
    /** Of `feedback`, ratings of answers that failed part-way, given before such answers stopped being rateable. */
    ratedFailed: number;
  };
  /** One row per week with feedback given or changed in it (weeks start on Monday, in the query's time zone: UTC by default), oldest first. */
  weekly: { week: string; feedback: number; up: number; down: number; positiveRate: number | null; averageRating: number | null }[];
  /** Documents most often cited (or, second, retrieved) by down-voted answers. */
  downvotedDocuments: { source: string; path: string; title: string; cited: number; retrieved: number; pageRemoved: boolean }[];
}

/** How {@link feedbackStats} reads. */
export interface FeedbackStatsOptions {
  /** The size of its slices (`server/db/slices.ts`); by default each takes about 8 ms. */
  slices?: SliceOptions;
  /**
   * A `source` filter that matches at most this many message sources has its answers found first
   * (through the indexes on path and source), and only they are read; one that matches more is
   * matched answer by answer in slices of every answer. Default {@link FEW_SOURCES}.
   */
  fewSources?: number;
}

/** Message sources read at most to find the answers of a `source` filter before the statistics (a few ms). */
export const FEW_SOURCES = 5_000;

/**
 * The answers (ids, in uuid order) that retrieved a source of `source`, when there are at most
 * `most` such message sources; `undefined` when there are more (only `most` + 1 are read).
 */
async function answersRetrieving(db: Database, source: string, most: number): Promise<string[] | undefined> {
  const [row] = await queryRows<{ n: number | string; ids: string[] | string | null }>(
    db,
    sql`with found as (select ms.message_id from message_sources ms where ${sourceMatches(source)} limit ${most + 1})
        select (select count(*) from found) as n,
               (select json_agg(distinct f.message_id order by f.message_id) from found f) as ids`,
  );
  if (Number(row?.n ?? 0) > most) return undefined;
  return json<string[]>(row?.ids ?? null) ?? [];
}

/** The `rows` keys of `keys` after `after` (`null`: from the first). */
function keysAfter(keys: string[], after: string | null, rows: number): string[] {
  const start = after === null ? 0 : keys.indexOf(after) + 1;
  return keys.slice(start, start + rows);
}

/** Sums of one slice of the matching feedback, as the database gives them. */
interface FeedbackPart {
  totals: Record<string, number | string | null>;
  weekly: Record<string, number | string | null>[];
  documents: { source: string; path: string; title: string; cited: number | string; retrieved: number | string }[];
}

/** Counts of one slice of the answers of the period. */
interface AnswersPart extends Record<string, unknown> {
  given: number | string;
  failed: number | string;
  writing: number | string;
}

const TOTAL_SUMS = ['feedback', 'up', 'down', 'with_comment', 'rated', 'rating_sum', 'r1', 'r2', 'r3', 'r4', 'r5', 'rated_failed'] as const;
const WEEK_SUMS = ['feedback', 'up', 'down', 'rated', 'rating_sum'] as const;
const DOWNVOTED_DOCUMENTS = 20;

/**
 * Counts, positive rate per week, and the documents behind down-voted answers, for `filters`. The
 * weeks are those of `filters.timeZone` (a name {@link canonicalTimeZone} accepted; default UTC).
 *
 * Read in slices of a few milliseconds each (`readInSlices`), so that on the embedded database a
 * reader's question never waits for all of it: the feedback by the answer it rates (so that an
 * answer's down-votes, counted once per page, are in one slice), the answers of the period by when
 * they were given. A `source` filter few answers match ({@link FeedbackStatsOptions.fewSources})
 * reads those answers only. The slices' sums are added up, and averages, weeks and the documents'
 * order are finished by the database in one last short statement: the same figures as one
 * statement gives.
 */
export async function feedbackStats(db: Database, filters: Partial<ReviewStatsQuery> = {}, options: FeedbackStatsOptions = {}): Promise<FeedbackStats> {
  const timeZone = filters.timeZone ?? 'UTC';
  const { source } = filters;
  const where = whereClause({ ...filters, source: undefined, limit: undefined, offset: undefined, cursor: undefined });
  const matching = source ? sql`${where} and ${retrievedSourceEach(source, sql`f.message_id`)}` : where;
  const period: SQL[] = [sql`m.role = 'assistant'`];
  if (filters.from) period.push(sql`m.created_at >= ${new Date(Date.parse(filters.from)).toISOString()}::timestamptz`);
  if (filters.to) period.push(sql`m.created_at < ${endOfDay(filters.to).toISOString()}::timestamptz`);
  const answersOfPeriod = sql.join(period, sql` and `);

  // A source few answers retrieved: those answers are found first and only they are read, in slices of them.
  const fewAnswers = source ? await answersRetrieving(db, source, options.fewSources ?? FEW_SOURCES) : undefined;

  const feedbackParts = await readInSlices<FeedbackPart>(async (after, rows) => {
    const afterKey = after === null ? sql`true` : sql`f.message_id > ${after}::uuid`;
    const these = fewAnswers && keysAfter(fewAnswers, after, rows);
    if (these?.length === 0) return { last: null, value: { totals: {}, weekly: [], documents: [] } };
    // The slice: the next `rows` answers rated, or the next of the few answers of the source.
    const slice = these
      ? { with: sql``, rows: sql`f.message_id in ${these} and ${where}`, last: sql`${these.at(-1)!}::text` }
      : {
          with: sql`slice as (
              select s.message_id as last
              from (select f.message_id from message_feedback f where ${afterKey} order by f.message_id limit ${rows}) s
              order by s.message_id desc limit 1),`,
          rows: sql`${afterKey} and f.message_id <= (select last from slice) and ${matching}`,
          last: sql`(select last from slice)::text`,
        };
    // One row per answer and page first (several sections of a page, several readers' down-votes
    // of an answer), then counted per page. Each down-voted answer's sources are looked up by its
    // id (`offset 0` keeps the lateral subquery from being turned into a join over every source).
    const [row] = await queryRows<{ last: string | null; totals: unknown; weekly: unknown; documents: unknown }>(
      db,
      sql`with ${slice.with}
          sf as materialized (
            select f.message_id, f.vote, f.rating, f.comment, f.updated_at from message_feedback f
            where ${slice.rows})
          select ${slice.last} as last,
            (select row_to_json(t) from (
              select count(*) as feedback,
                     count(*) filter (where f.vote = 'up') as up,
                     count(*) filter (where f.vote = 'down') as down,
                     count(*) filter (where coalesce(f.comment, '') <> '') as with_comment,
                     count(f.rating) as rated,
                     coalesce(sum(f.rating), 0) as rating_sum,
                     count(*) filter (where f.rating = 1) as r1, count(*) filter (where f.rating = 2) as r2,
                     count(*) filter (where f.rating = 3) as r3, count(*) filter (where f.rating = 4) as r4,
                     count(*) filter (where f.rating = 5) as r5,
                     count(*) filter (where exists (select 1 from messages m where m.id = f.message_id and m.status = 'error')) as rated_failed
              from sf f) t) as totals,
            (select coalesce(json_agg(w), '[]'::json) from (
              select date_trunc('week', f.updated_at at time zone ${timeZone}) as week_start,
                     count(*) as feedback,
                     count(*) filter (where f.vote = 'up') as up,
                     count(*) filter (where f.vote = 'down') as down,
                     count(f.rating) as rated,
                     coalesce(sum(f.rating), 0) as rating_sum
              from sf f group by 1) w) as weekly,
            (select coalesce(json_agg(d), '[]'::json) from (
              select a.source, a.path, max(a.title) as title, count(*) filter (where a.cited) as cited, count(*) as retrieved
              from (select ms.source, ms.path, f.message_id, bool_or(ms.cited) as cited, max(ms.title) as title
                    from sf f
                    cross join lateral (select s.source, s.path, s.cited, s.title from message_sources s where s.message_id = f.message_id offset 0) ms
                    where f.vote = 'down'
                    group by ms.source, ms.path, f.message_id) a
              group by a.source, a.path) d) as documents`,
    );
    return {
      last: row?.last ?? null,
      value: {
        totals: json<FeedbackPart['totals']>(row?.totals as string | null) ?? {},
        weekly: json<FeedbackPart['weekly']>(row?.weekly as string | null) ?? [],
        documents: json<FeedbackPart['documents']>(row?.documents as string | null) ?? [],
      },
    };
  }, options.slices);

  // Answers that can be rated: all of them less the failed and the unfinished ones.
  const answersParts = await readInSlices<AnswersPart>(async (after, rows) => {
    if (fewAnswers) {
      const these = keysAfter(fewAnswers, after, rows);
      if (these.length === 0) return { last: null, value: { given: 0, failed: 0, writing: 0 } };
      const [row] = await queryRows<AnswersPart>(
        db,
        sql`select count(*) as given,
                   count(*) filter (where m.status = 'error') as failed,
                   count(*) filter (where m.status = 'streaming') as writing
            from messages m where m.id in ${these} and ${answersOfPeriod}`,
      );
      return { last: these.at(-1)!, value: { given: row?.given ?? 0, failed: row?.failed ?? 0, writing: row?.writing ?? 0 } };
    }
    const afterKey = after === null ? sql`true` : sql`m.created_at > (${after}::timestamp at time zone 'UTC')`;
    const [row] = await queryRows<AnswersPart & { last: string | null }>(
      db,
      sql`with slice as (
            select max(s.created_at) as last
            from (select m.created_at from messages m where ${answersOfPeriod} and ${afterKey} order by m.created_at limit ${rows}) s)
          select to_char((select last from slice) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as last,
                 count(*) as given,
                 count(*) filter (where m.status = 'error') as failed,
                 count(*) filter (where m.status = 'streaming') as writing
          from messages m
          where ${answersOfPeriod} and ${afterKey} and m.created_at <= (select last from slice)
            ${source ? sql`and ${retrievedSourceEach(source, sql`m.id`)}` : sql``}`,
    );
    return { last: row?.last ?? null, value: { given: row?.given ?? 0, failed: row?.failed ?? 0, writing: row?.writing ?? 0 } };
  }, options.slices);

  const n = (v: unknown) => Number(v ?? 0);
  const totals = Object.fromEntries(TOTAL_SUMS.map((key) => [key, feedbackParts.reduce((sum, part) => sum + n(part.totals[key]), 0)])) as Record<(typeof TOTAL_SUMS)[number], number>;
  const weeks = new Map<string, Record<string, unknown>>();
  for (const week of feedbackParts.flatMap((part) => part.weekly)) {
    const key = String(week.week_start);
    const kept = weeks.get(key) ?? { week_start: key, ...Object.fromEntries(WEEK_SUMS.map((k) => [k, 0])) };
    for (const k of WEEK_SUMS) kept[k] = n(kept[k]) + n(week[k]);
    weeks.set(key, kept);
  }
  const documents = new Map<string, { source: string; path: string; cited: number; retrieved: number; titles: string[] }>();
  for (const d of feedbackParts.flatMap((part) => part.documents)) {
    const key = JSON.stringify([d.source, d.path]);
    const kept = documents.get(key) ?? { source: d.source, path: d.path, cited: 0, retrieved: 0, titles: [] };
    kept.cited += n(d.cited);
    kept.retrieved += n(d.retrieved);
    if (!kept.titles.includes(d.title)) kept.titles.push(d.title);
    documents.set(key, kept);
  }
  // The database orders the pages (by its collation, as one statement would) among those that can
  // be in the first 20: those not behind the 20th on counts.
  const byCounts = [...documents.values()].sort((a, b) => b.cited - a.cited || b.retrieved - a.retrieved);
  const twentieth = byCounts[DOWNVOTED_DOCUMENTS - 1];
  const candidates = twentieth ? byCounts.filter((d) => d.cited > twentieth.cited || (d.cited === twentieth.cited && d.retrieved >= twentieth.retrieved)) : byCounts;

  const [row] = await queryRows<{ average_rating: number | string | null; weekly: unknown; documents: unknown }>(
    db,
    sql`select (${totals.rating_sum}::numeric / nullif(${totals.rated}::numeric, 0))::float8 as average_rating,
          (select coalesce(json_agg(json_build_object('week', to_char(w.week_start, 'YYYY-MM-DD'), 'feedback', w.feedback, 'up', w.up,
                    'down', w.down, 'average_rating', (w.rating_sum::numeric / nullif(w.rated, 0)::numeric)::float8) order by w.week_start), '[]'::json)
             from json_to_recordset(${JSON.stringify([...weeks.values()])}::json)
               as w(week_start timestamp, feedback bigint, up bigint, down bigint, rated bigint, rating_sum bigint)) as weekly,
          (select coalesce(json_agg(d), '[]'::json) from (
             select ms.source, ms.path, (select max(t.title) from json_array_elements_text(ms.titles) as t(title)) as title,
                    ms.cited, ms.retrieved, not ${pageIndexed} as page_removed
             from json_to_recordset(${JSON.stringify(candidates)}::json) as ms(source text, path text, cited bigint, retrieved bigint, titles json)
             order by ms.cited desc, ms.retrieved desc, ms.path
             limit ${DOWNVOTED_DOCUMENTS}) d) as documents`,
  );
  const weeklyRows = json<Record<string, number | string | null>[]>(row?.weekly as string | null) ?? [];
  const documentRows = json<Record<string, number | string | boolean>[]>(row?.documents as string | null) ?? [];
  const answers = {
    given: answersParts.reduce((sum, part) => sum + n(part.given), 0),
    failed: answersParts.reduce((sum, part) => sum + n(part.failed), 0),
    writing: answersParts.reduce((sum, part) => sum + n(part.writing), 0),
  };
  const rate = (up: number, down: number) => (up + down === 0 ? null : Math.round((up / (up + down)) * 1000) / 1000);
  const avg = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);
  return {
    totals: {
      feedback: totals.feedback,
      up: totals.up,
      down: totals.down,
      positiveRate: rate(totals.up, totals.down),
      withComment: totals.with_comment,
      rated: totals.rated,
      averageRating: avg(row?.average_rating),
      ratings: { '1': totals.r1, '2': totals.r2, '3': totals.r3, '4': totals.r4, '5': totals.r5 },
      answers: answers.given - answers.failed - answers.writing,
      failedAnswers: answers.failed,
      ratedFailed: totals.rated_failed,
    },
    weekly: weeklyRows.map((w) => ({
      week: String(w.week),
      feedback: n(w.feedback),
      up: n(w.up),
      down: n(w.down),
      positiveRate: rate(n(w.up), n(w.down)),
      averageRating: avg(w.average_rating),
    })),
    downvotedDocuments: documentRows.map((d) => ({
      source: String(d.source),
      path: String(d.path),
      title: String(d.title),
      cited: n(d.cited),
      retrieved: n(d.retrieved),
      pageRemoved: d.page_removed === true || d.page_removed === 't',
    })),
  };
}
