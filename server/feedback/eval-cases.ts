/**
 * Turning reviewed answers into regression tests: eval cases in the eval format
 * (`{"id","question","gold":[{"path","heading"}]}`, one per line, as in `eval/*.jsonl`), kept in
 * one JSONL file. Exporting the same id again replaces its line. Writes are atomic (temporary file
 * + rename) and serialised within the process.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { and, desc, eq, inArray, lte } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/open';
import { documents, messages } from '../db/schema';
import { UUID_PATTERN } from '../db/uuid';

/** The body of `POST /api/review/eval-cases`. */
export const evalCaseInputSchema = z.strictObject({
  /** The assistant message the case comes from (its question is used unless `question` is given). */
  messageId: z.string().regex(UUID_PATTERN, 'messageId must be a message id'),
  /** The question as it should be asked (default: the user's question). */
  question: z.string().trim().min(1, 'question cannot be empty').max(4000).optional(),
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
