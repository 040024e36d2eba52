/**
 * Turning reviewed answers into regression tests: eval cases in the eval format
 * (`{"id","question","gold":[{"path","heading"}]}`, one per line, as in `eval/*.jsonl`), kept in
 * one JSONL file. Exporting the same id again replaces its line. Writes are atomic (temporary file
 * + rename) and serialised within the process. Gold sections are checked against the index first
 * ({@link unknownGoldPaths}, {@link matchGoldHeadings}): a case whose gold the eval can never hit
 * is refused rather than written.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { and, desc, eq, inArray, lte } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/open';
import { chunks, documents, messages } from '../db/schema';
import { UUID_PATTERN } from '../db/uuid';
import { MAX_QUESTION_CHARS } from '../question-limit';
import { editDistance } from '../retrieval/query-terms';

/** The body of `POST /api/review/eval-cases`. */
export const evalCaseInputSchema = z.strictObject({
  /** The assistant message the case comes from (its question is used unless `question` is given). */
  messageId: z.string().regex(UUID_PATTERN, 'messageId must be a message id'),
  /** The question as it should be asked (default: the user's question). */
  question: z.string().trim().min(1, 'question cannot be empty').max(MAX_QUESTION_CHARS).optional(),
  /** The sections that answer it. */
  gold: z
    .array(
      z.strictObject({
        path: z.string().trim().min(1, 'gold path cannot be empty').max(500),
        heading: z.string().trim().max(500),
      }),
    )
    .min(1, 'mark at least one source as right (gold)')
    .max(20, 'at most 20 gold sections'),
  /** The case's id. Default `review-` + the message id's first 8 characters. */
  id: z
    .string()
    .trim()
    .regex(/^[\w.-]{1,100}$/, 'id may use letters, digits, ".", "-" and "_" (at most 100)')
    .optional(),
});
export type EvalCaseInput = z.infer<typeof evalCaseInputSchema>;

export interface EvalCase {
  id: string;
  question: string;
  gold: { path: string; heading: string }[];
}

/** The user question an assistant message answered, or `undefined` when there is no such message. */
export async function questionOf(db: Database, messageId: string): Promise<string | undefined> {
  const [answer] = await db
    .select({ chatId: messages.chatId, createdAt: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.id, messageId), eq(messages.role, 'assistant')))
    .limit(1);
  if (!answer) return undefined;
  const [question] = await db
    .select({ content: messages.content })
    .from(messages)
    .where(and(eq(messages.chatId, answer.chatId), eq(messages.role, 'user'), lte(messages.createdAt, answer.createdAt)))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  return question?.content;
}

/**
 * The gold paths that are no indexed page: `npm run eval` can never find those sections, so a
 * case naming one could only ever fail (a typo, or a page since deleted).
 */
export async function unknownGoldPaths(db: Database, gold: readonly { path: string }[]): Promise<string[]> {
  const paths = [...new Set(gold.map((g) => g.path))];
  const found = await db.selectDistinct({ path: documents.path }).from(documents).where(inArray(documents.path, paths));
  const known = new Set(found.map((r) => r.path));
  return paths.filter((p) => !known.has(p));
}

/** A gold heading matched against the headings of its page in the index. */
export interface GoldHeadingMatch {
  /** The gold sections, each heading as its page has it (`## set a cookie` → `Set a cookie`). */
  gold: { path: string; heading: string }[];
  /** The gold headings no section of their page has, with the closest one when it is near. */
  unknown: { index: number; path: string; heading: string; closest?: string }[];
}

/**
 * Joins headings that share one section in a breadcrumb entry (`A · B`): ingest's
 * `SHARED_HEADING_SEPARATOR`, which the eval splits on too (server modules never import `ingest/`).
 */
const SHARED_HEADING_SEPARATOR = ' · ';

/**
 * A heading as a person may write it, reduced to its words: case, spacing and punctuation, a
 * leading `## ` or a trailing explicit id (`{#options}`) copied from the source, and markup (tags,
 * code marks, a link's URL) do not count.
 */
function headingKey(heading: string): string {
  return heading
    .replace(/^\s*#{1,6}\s+/, '')
    .replace(/\s*\\?\{:?\s*#[^{}]*\\?\}\s*$/, '')
    .replace(/!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])/g, '$1')
    .replace(/<[^>]*>/g, ' ')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Matches each gold heading with the headings of its page's sections (every entry of their
 * breadcrumbs, page title included, as the eval counts a hit), loosely ({@link headingKey}), and
 * gives it as the page has it: the case then hits in `npm run eval` whatever markup the eval's own
 * matching ignores. A heading the page does not have (a typo, a section since renamed) is
 * `unknown`: the eval could never hit it. Gold paths that are no indexed page are left to
 * {@link unknownGoldPaths} (they are neither matched nor unknown here).
 */
export async function matchGoldHeadings(db: Database, gold: readonly { path: string; heading: string }[]): Promise<GoldHeadingMatch> {
  const paths = [...new Set(gold.map((g) => g.path))];
  const rows = await db
    .select({ path: documents.path, headings: chunks.headings })
    .from(chunks)
    .innerJoin(documents, eq(documents.id, chunks.documentId))
    .where(inArray(documents.path, paths))
    .orderBy(documents.path, chunks.ordinal);
  // Each page's headings in page order, once each.
  const headingsOf = new Map<string, string[]>();
  for (const row of rows) {
    const headings = headingsOf.get(row.path) ?? [];
    for (const entry of row.headings) {
      const parts = entry.split(SHARED_HEADING_SEPARATOR);
      for (const h of parts.length > 1 ? [entry, ...parts] : [entry]) if (!headings.includes(h)) headings.push(h);
    }
    headingsOf.set(row.path, headings);
  }
  const matched: GoldHeadingMatch = { gold: [], unknown: [] };
  gold.forEach((g, index) => {
    const headings = headingsOf.get(g.path);
    if (!headings) {
      matched.gold.push({ ...g });
      return;
    }
    const key = headingKey(g.heading);
    const same = headings.find((h) => h === g.heading) ?? (key === '' ? undefined : headings.find((h) => headingKey(h) === key));
    if (same !== undefined) {
      matched.gold.push({ path: g.path, heading: same });
      return;
    }
    let closest: string | undefined;
    let best = Math.max(2, Math.floor(key.length / 4)) + 1;
    for (const h of headings) {
      const distance = editDistance(key, headingKey(h));
      if (distance < best) [closest, best] = [h, distance];
    }
    matched.gold.push({ ...g });
    matched.unknown.push({ index, path: g.path, heading: g.heading, ...(closest === undefined || key === '' ? {} : { closest }) });
  });
  return matched;
}

let writing: Promise<unknown> = Promise.resolve();

/** Adds `evalCase` to the JSONL file at `file` (replacing a case with the same id). */
export function writeEvalCase(file: string, evalCase: EvalCase): Promise<void> {
  const job = writing.then(() => {
    let lines: string[] = [];
    try {
      lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const kept = lines.filter((line) => {
      try {
        return (JSON.parse(line) as { id?: unknown }).id !== evalCase.id;
      } catch {
        return true; // keep lines we do not understand
      }
    });
    kept.push(JSON.stringify(evalCase));
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${kept.join('\n')}\n`);
    renameSync(tmp, file);
  });
  writing = job.catch(() => {});
  return job;
}
