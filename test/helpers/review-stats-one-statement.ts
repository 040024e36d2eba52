/**
 * The review statistics as one statement, as `feedbackStats` read them before they were read in
 * slices (server/feedback/review.ts at beca8e9): the reference the sliced statistics must equal.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../server/db/open';
import type { FeedbackStats, ReviewFilters, ReviewStatsQuery } from '../../server/feedback/review';

const json = <T>(v: T | string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

function endOfDay(value: string): Date {
  // A bare date means the whole day.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000);
  return new Date(Date.parse(value) + 1);
}

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

/** SQL: the page of source `ms` (message_sources) is still indexed. */
const pageIndexed = sql`exists (select 1 from documents d where d.source = ms.source and d.path = ms.path)`;

export async function feedbackStatsInOneStatement(db: Database, filters: Partial<ReviewStatsQuery> = {}): Promise<FeedbackStats> {
  const timeZone = filters.timeZone ?? 'UTC';
  const { source } = filters;
  const where = whereClause({ ...filters, source: undefined, limit: undefined, offset: undefined, cursor: undefined });
  const matching = source ? sql`${where} and f.message_id in (select message_id from retrieved)` : where;
  const answerWhere: SQL[] = [sql`m.role = 'assistant'`];
  if (filters.from) answerWhere.push(sql`m.created_at >= ${new Date(Date.parse(filters.from)).toISOString()}::timestamptz`);
  if (filters.to) answerWhere.push(sql`m.created_at < ${endOfDay(filters.to).toISOString()}::timestamptz`);
  if (source) answerWhere.push(sql`m.id in (select message_id from retrieved)`);
  const totals = sql`select count(*) as feedback,
         count(*) filter (where f.vote = 'up') as up,
         count(*) filter (where f.vote = 'down') as down,
         count(*) filter (where coalesce(f.comment, '') <> '') as with_comment,
         count(f.rating) as rated,
         avg(f.rating)::float8 as average_rating,
         count(*) filter (where f.rating = 1) as r1, count(*) filter (where f.rating = 2) as r2,
         count(*) filter (where f.rating = 3) as r3, count(*) filter (where f.rating = 4) as r4,
         count(*) filter (where f.rating = 5) as r5,
         count(*) filter (where f.message_id in (select id from messages where status = 'error')) as rated_failed
    from message_feedback f
    where ${matching}`;
  // Grouped by the week's start, then formatted: formatting 100k timestamps before grouping costs more than the grouping.
  const weekly = sql`select date_trunc('week', f.updated_at at time zone ${timeZone}) as week_start,
         count(*) as feedback,
         count(*) filter (where f.vote = 'up') as up,
         count(*) filter (where f.vote = 'down') as down,
         avg(f.rating)::float8 as average_rating
    from message_feedback f
    where ${matching}
    group by 1`;
  // One row per answer and page first (several sections of a page, several readers' down-votes of
  // an answer), then counted per page: two hash aggregates, where count(distinct) sorted every row.
  // Each down-voted answer's sources are looked up by its id: joined, the planner read every
  // answer's sources, rated or not, which grows with the chats rather than the votes (`offset 0`
  // keeps the lateral subquery from being turned back into that join).
  const documents = sql`with per_answer as (
      select ms.source, ms.path, f.message_id, bool_or(ms.cited) as cited, max(ms.title) as title
      from message_feedback f
      cross join lateral (select s.source, s.path, s.cited, s.title from message_sources s where s.message_id = f.message_id offset 0) ms
      where f.vote = 'down' and ${matching}
      group by ms.source, ms.path, f.message_id)
    select ms.source, ms.path, max(ms.title) as title,
           count(*) filter (where ms.cited) as cited,
           count(*) as retrieved,
           not ${pageIndexed} as page_removed
    from per_answer ms
    group by ms.source, ms.path
    order by cited desc, retrieved desc, ms.path
    limit 20`;
  const answers = sql.join(answerWhere, sql` and `);
  // Answers that can be rated: all of them less the failed and the unfinished ones, which are few
  // and found by the status index; counting by status would read every answer's row, where the
  // count of all answers reads only the partial index on their dates (0.25 s against 0.06 s at 200,000).
  const [row] = await queryRows<{ totals: unknown; answers: unknown; weekly: unknown; documents: unknown }>(
    db,
    sql`${source ? sql`with retrieved as materialized (select distinct ms.message_id from message_sources ms where ${sourceMatches(source)}) ` : sql``}
        select (select row_to_json(t) from (${totals}) t) as totals,
               (select row_to_json(a) from (select (select count(*) from messages m where ${answers}) as given,
                         (select count(*) from messages m where ${answers} and m.status = 'error') as failed,
                         (select count(*) from messages m where ${answers} and m.status = 'streaming') as writing) a) as answers,
               (select coalesce(json_agg(json_build_object('week', to_char(w.week_start, 'YYYY-MM-DD'), 'feedback', w.feedback, 'up', w.up,
                         'down', w.down, 'average_rating', w.average_rating) order by w.week_start), '[]'::json)
                  from (${weekly}) w) as weekly,
               (select coalesce(json_agg(d), '[]'::json) from (${documents}) d) as documents`,
  );
  const totalsRow = json<Record<string, number | string | null>>(row?.totals as string | null) ?? {};
  const answerRow = json<Record<string, number | string>>(row?.answers as string | null) ?? {};
  const weeklyRows = json<Record<string, number | string | null>[]>(row?.weekly as string | null) ?? [];
  const documentRows = json<Record<string, number | string | boolean>[]>(row?.documents as string | null) ?? [];
  const n = (v: unknown) => Number(v ?? 0);
  const rate = (up: number, down: number) => (up + down === 0 ? null : Math.round((up / (up + down)) * 1000) / 1000);
  const avg = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);
  return {
    totals: {
      feedback: n(totalsRow.feedback),
      up: n(totalsRow.up),
      down: n(totalsRow.down),
      positiveRate: rate(n(totalsRow.up), n(totalsRow.down)),
      withComment: n(totalsRow.with_comment),
      rated: n(totalsRow.rated),
      averageRating: avg(totalsRow.average_rating),
      ratings: { '1': n(totalsRow.r1), '2': n(totalsRow.r2), '3': n(totalsRow.r3), '4': n(totalsRow.r4), '5': n(totalsRow.r5) },
      answers: n(answerRow.given) - n(answerRow.failed) - n(answerRow.writing),
      failedAnswers: n(answerRow.failed),
      ratedFailed: n(totalsRow.rated_failed),
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
