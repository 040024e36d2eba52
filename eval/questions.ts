/**
 * Reads an evaluation question set: JSON Lines, one
 * `{"id", "question", "gold": [{"path", "heading"}], "answer"?, "kind"?}` per line.
 * Bad lines throw `FILE:line: message` ({@link QuestionFileError}).
 */
import { QuestionFileError, readQuestionLines } from '../server/retrieval/questions';
import type { EvalQuestion, GoldSection } from './metrics';

export { QuestionFileError };

export function readEvalQuestions(file: string): EvalQuestion[] {
  return readQuestionLines(file, '{"id","question","gold"}').map(({ id, question, value, where }) => {
    if (!Array.isArray(value.gold)) throw new QuestionFileError(`${where}: "gold" must be an array of {"path","heading"} ([] for a question the docs do not answer)`);
    const gold: GoldSection[] = value.gold.map((g: unknown, j: number) => {
      const s = g as { path?: unknown; heading?: unknown };
      if (typeof s !== 'object' || s === null || typeof s.path !== 'string' || typeof s.heading !== 'string') {
        throw new QuestionFileError(`${where}: gold[${j}] must be {"path": string, "heading": string}`);
      }
      return { path: s.path, heading: s.heading };
    });
    for (const field of ['answer', 'kind'] as const) {
      if (value[field] !== undefined && typeof value[field] !== 'string') {
        throw new QuestionFileError(`${where}: "${field}" must be a string (got ${JSON.stringify(value[field])})`);
      }
    }
    return {
      id,
      question,
      gold,
      ...(typeof value.answer === 'string' && value.answer.trim() ? { answer: value.answer } : {}),
      ...(typeof value.kind === 'string' ? { kind: value.kind } : {}),
    };
  });
}
