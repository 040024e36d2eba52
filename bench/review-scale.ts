/**
 * `npm run bench:review -- [DIR] [ANSWERS]` — the review page's first load on many rated answers.
 *
 * Seeds a file-backed PGlite database at DIR (default: a temporary directory; an existing seeded
 * DIR is reused as it is) with ANSWERS rated answers (default 100,000): one user per 100, one chat
 * per question, a question and an answer each, 5 sources per answer (40 pages), a third of the
 * votes down, half rated, a quarter commented, `updated_at` spread over a year with ties. Then,
 * through the app with the admin token, times what the page asks for when it opens —
 * `GET /api/review/feedback?limit=25`, then `GET /api/review/stats` once the list has come, as the
 * page asks — on the freshly opened database (cold); then, reopened, both sent together (cold, a
 * page of another tab or an older page); and the median of 5 warm runs of each, unfiltered and with
 * filters (among them three `source` filters: a prefix of 27 % of the answers, one page, no page).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../server/config';
import { migrateDatabase } from '../server/db/migrate';
import { type DatabaseHandle, openDatabase } from '../server/db/open';
import { wholeNumberOption } from '../server/cli/options';
import { scriptArguments } from '../server/cli/script-args';
import { createApp } from '../server/http/app';

const USAGE = `Usage: npm run bench:review -- [DIR] [ANSWERS]

Times the review page's first load (list, then stats) on ANSWERS rated answers (default 100,000)
seeded into an embedded database at DIR (default: a temporary folder, removed afterwards; an
existing seeded DIR is reused as it is, and kept).`;

const { positionals } = scriptArguments({ command: 'bench:review', usage: USAGE, maxPositionals: 2 });
const keep = positionals[0] !== undefined;
const dir = positionals[0] ?? mkdtempSync(join(tmpdir(), 'docent-bench-review-'));
let answers = 100_000;
try {
  if (positionals[1] !== undefined) answers = wholeNumberOption('ANSWERS', positionals[1]);
} catch (error) {
  console.error(`bench:review: ${(error as Error).message.replace(/^--/, '')}\n\n${USAGE}`);
  process.exit(2);
}
const TOKEN = 'bench-review-admin-token-0123456789';

/** Seeds `n` rated answers in SQL (about a minute for 100,000 on two cores). */
async function seed(database: DatabaseHandle, n: number): Promise<void> {
  const { db } = database;
  const id = (prefix: string, g: ReturnType<typeof sql>) => sql`(${prefix} || lpad(to_hex(${g}), 12, '0'))::uuid`;
  const user = id('00000000-0000-4000-8000-', sql`(g - 1) / 100 + 1`);
  const chat = id('00000000-0000-4000-9000-', sql`g`);
  const answer = id('00000000-0000-4000-b000-', sql`g`);
  await db.execute(sql`insert into users (id, display_name) select ${id('00000000-0000-4000-8000-', sql`g`)}, 'u' || g from generate_series(1, ${Math.ceil(n / 100)}) g`);
  await db.execute(sql`insert into chats (id, user_id, client_chat_id, title) select ${chat}, ${user}, 'c' || g, 'Question ' || g from generate_series(1, ${n}) g`);
  await db.execute(sql`insert into messages (id, chat_id, role, content, created_at)
    select ${id('00000000-0000-4000-a000-', sql`g`)}, ${chat}, 'user', 'How do I configure feature number ' || g || ' of the server?',
           timestamptz '2025-01-01' + (g || ' minutes')::interval
    from generate_series(1, ${n}) g`);
  await db.execute(sql`insert into messages (id, chat_id, role, content, status, model, latency_ms, retrieval_settings, citations, created_at)
    select ${answer}, ${chat}, 'assistant', repeat('Set the option in docent.config and restart the server [1]. ', 8), 'complete', 'stub-model', 1200 + g % 700,
           '{"enabled":true,"maxResults":5,"minScore":0.45,"preferredSources":[],"excludedSources":[]}'::jsonb, '{"valid":[1],"invalid":[]}'::jsonb,
           timestamptz '2025-01-01' + (g || ' minutes')::interval + interval '5 seconds'
    from generate_series(1, ${n}) g`);
  await db.execute(sql`insert into message_sources (message_id, rank, score, cited, source, path, title, heading, anchor, url, quote)
    select ${answer}, r, 0.9 - r * 0.05, r = 1, 'content', 'guides/page-' || (g % 40) || '.md', 'Page ' || (g % 40),
           'Page ' || (g % 40) || ' › Section ' || r, 'section-' || r, '/guides/page-' || (g % 40) || '/#section-' || r, 'A quoted sentence from the docs.'
    from generate_series(1, ${n}) g, generate_series(1, 5) r`);
  // One feedback about every 5 minutes over the year; every 10th shares its neighbour's timestamp.
  await db.execute(sql`insert into message_feedback (message_id, user_id, vote, rating, comment, created_at, updated_at)
    select ${answer}, ${user}, (case when g % 3 = 0 then 'down' else 'up' end)::feedback_vote, case when g % 2 = 0 then 1 + g % 5 end,
           case when g % 4 = 0 then 'Comment ' || g end,
           timestamptz '2025-01-01' + ((g - g % 10 / 9) * 5 || ' minutes')::interval, timestamptz '2025-01-01' + ((g - g % 10 / 9) * 5 || ' minutes')::interval
    from generate_series(1, ${n}) g`);
  await db.execute(sql`analyze`);
}

if (!existsSync(join(dir, 'PG_VERSION'))) {
  const database = await openDatabase(dir, { purpose: 'bench' });
  await migrateDatabase(database);
  const started = performance.now();
  await seed(database, answers);
  console.log(`seeded ${answers} rated answers in ${((performance.now() - started) / 1000).toFixed(0)} s at ${dir}`);
  await database.close();
}

/** The app on the database at DIR, freshly opened (its page cache empty). */
const openApp = async () => {
  const database = await openDatabase(dir, { purpose: 'bench' });
  await migrateDatabase(database);
  return { database, app: createApp({ database, config: loadConfig({ ADMIN_TOKEN: TOKEN }), siteDir: false }) };
};
let { database, app } = await openApp();
const get = async (path: string) => {
  const res = await app.request(path, { headers: { authorization: `Bearer ${TOKEN}` } });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
};
const median = async (path: string) => {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await get(path);
    runs.push(performance.now() - started);
  }
  return `${runs.sort((a, b) => a - b)[2]!.toFixed(0)} ms`;
};

let started = performance.now();
const shown = async (path: string) => (await get(path), (performance.now() - started).toFixed(0));
const listFirst = await shown('/api/review/feedback?limit=25');
const statsAfter = await shown('/api/review/stats');
console.log(`first load, cold (as the page asks: list, then stats): list after ${listFirst} ms, stats after ${statsAfter} ms`);
await database.close();
({ database, app } = await openApp());
started = performance.now();
const [listShown, statsShown] = await Promise.all([shown('/api/review/feedback?limit=25'), shown('/api/review/stats')]);
console.log(`first load, cold (list and stats together): list after ${listShown} ms, stats after ${statsShown} ms`);
// Source filters: a path prefix matching 27 % of the answers, one page (2.5 %), a path no answer retrieved.
for (const filter of ['', 'vote=down', 'from=2025-06-01&to=2025-06-30', 'source=guides/page-3', 'source=guides/page-7.md', 'source=guides/none.md']) {
  const and = filter ? `${filter}&` : '';
  console.log(`${filter || 'no filter'}: list ${await median(`/api/review/feedback?${and}limit=25`)}, stats ${await median(`/api/review/stats?${filter}`)}`);
}
await database.close();
if (!keep) rmSync(dir, { recursive: true, force: true });
