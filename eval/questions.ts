/**
 * Reads an evaluation question set: JSON Lines, one
 * `{"id", "question", "gold": [{"path", "heading"}], "answer"?, "kind"?}` per line.
 * Bad lines throw `FILE:line: message`.
 */
import { readFileSync } from 'node:fs';
import type { EvalQuestion, GoldSection } from './metrics';

export class QuestionFileError extends Error {}

export function readEvalQuestions(file: string): EvalQuestion[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new QuestionFileError(`${file}: cannot read the questions file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const questions: EvalQuestion[] = [];
  const ids = new Set<string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new QuestionFileError(`${where}: not valid JSON (${(error as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new QuestionFileError(`${where}: expected a JSON object {"id","question","gold"}`);
    }
    const q = value as { id?: unknown; question?: unknown; gold?: unknown; kind?: unknown };
    if (typeof q.id !== 'string' && typeof q.id !== 'number') throw new QuestionFileError(`${where}: "id" must be a string`);
    if (typeof q.question !== 'string' || q.question.trim() === '') throw new QuestionFileError(`${where}: "question" must be a non-empty string`);
    if (!Array.isArray(q.gold)) throw new QuestionFileError(`${where}: "gold" must be an array of {"path","heading"} ([] for a question the docs do not answer)`);
    const gold: GoldSection[] = q.gold.map((g: unknown, j: number) => {
      const s = g as { path?: unknown; heading?: unknown };
      if (typeof s !== 'object' || s === null || typeof s.path !== 'string' || typeof s.heading !== 'string') {
        throw new QuestionFileError(`${where}: gold[${j}] must be {"path": string, "heading": string}`);
      }
      return { path: s.path, heading: s.heading };
    });
    const id = String(q.id);
    if (ids.has(id)) throw new QuestionFileError(`${where}: duplicate id "${id}"`);
    ids.add(id);
    questions.push({ id, question: q.question, gold, ...(typeof q.kind === 'string' ? { kind: q.kind } : {}) });
  });
  if (questions.length === 0) throw new QuestionFileError(`${file}: no questions`);
  return questions;
}
