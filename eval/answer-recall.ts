/**
 * Offline answer quality: how much of a question's reference answer (the set's `answer` field)
 * the answer Docent gives without a language model contains. That answer quotes passages of the
 * sources retrieval found (`server/answer/extractive.ts`), so this measures retrieval and passage
 * choice together, end to end, with no model to call.
 *
 * The score is the share of the reference answer's words (stemmed as the extractive answer stems
 * them, stopwords left out) found in the extractive answer, leaving out the words the question
 * already has: an answer that repeats the question scores nothing for it. Word overlap with a
 * reference written in other words is a rough measure: compare runs of one set, not sets.
 */
import { EXTRACTIVE_LABEL, extractiveAnswer, terms } from '../server/answer/extractive';
import { toAnswerSource } from '../server/chats/sources';
import type { SearchResult } from '../server/retrieval/types';

/**
 * The share (0–1) of `reference`'s words, other than `question`'s, that `answer` contains; null
 * when the reference has no such word (nothing to measure).
 */
export function referenceRecall(question: string, reference: string, answer: string): number | null {
  const asked = new Set(terms(question));
  const wanted = new Set(terms(reference).filter((t) => !asked.has(t)));
  if (wanted.size === 0) return null;
  // Not the label, the citation markers ("[10]") or link targets: only what the answer says.
  const said = new Set(terms(answer.replace(EXTRACTIVE_LABEL, '').replace(/\[\d+\]/g, ' ').replace(/\]\([^)]*\)/g, '] ')));
  let found = 0;
  for (const t of wanted) if (said.has(t)) found++;
  return found / wanted.size;
}

/** {@link referenceRecall} of the extractive answer built from `results` (0 with no results: nothing is said). */
export function extractiveAnswerRecall(question: string, reference: string, results: readonly SearchResult[]): number | null {
  const answer = results.length ? extractiveAnswer(question, results.map(toAnswerSource)) : '';
  return referenceRecall(question, reference, answer);
}
