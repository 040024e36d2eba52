/**
 * Question files: JSON Lines, one `{"id", "question", …}` per line, as read by
 * `npm run search -- --questions` and `npm run eval` (which also needs `gold`).
 * Bad lines throw {@link QuestionFileError} with `FILE:line: message`.
 */
import { readFileSync } from 'node:fs';

export class QuestionFileError extends Error {}

export interface QuestionLine {
  id: string;
  question: string;
  /** The whole JSON object, for callers that read more fields. */
  value: Record<string, unknown>;
  /** `FILE:line`, to prefix a caller's own error messages. */
  where: string;
}

/**
 * Reads every non-empty line, checking that it is a JSON object with an `id` (a non-empty string
 * or a whole number, unique) and a non-empty `question`. `shape` names the expected object in
 * error messages. Lines may end in `\n`, `\r\n` or a lone `\r` (old Mac files).
 */
export function readQuestionLines(file: string, shape = '{"id","question"}'): QuestionLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new QuestionFileError(`${file}: cannot read the questions file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const lines: QuestionLine[] = [];
  const ids = new Set<string>();
  // A lone CR cannot be inside a JSON line (it would have to be escaped), so it ends one.
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new QuestionFileError(`${where}: not valid JSON (${(error as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new QuestionFileError(`${where}: expected a JSON object ${shape}`);
    const q = value as Record<string, unknown>;
    if (!((typeof q.id === 'string' && q.id.trim() !== '') || (typeof q.id === 'number' && Number.isSafeInteger(q.id)))) {
      throw new QuestionFileError(`${where}: "id" must be a non-empty string or a whole number (got ${JSON.stringify(q.id) ?? 'none'})`);
    }
    if (typeof q.question !== 'string' || q.question.trim() === '') throw new QuestionFileError(`${where}: "question" must be a non-empty string`);
    const id = String(q.id);
    if (ids.has(id)) throw new QuestionFileError(`${where}: duplicate id "${id}"`);
    ids.add(id);
    lines.push({ id, question: q.question, value: q, where });
  });
  if (lines.length === 0) throw new QuestionFileError(`${file}: no questions`);
  return lines;
}
