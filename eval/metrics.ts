/**
 * Retrieval metrics for question sets like `eval/questions/*.jsonl` (`gold` = `[{path, heading}]`,
 * empty for questions the docs do not answer).
 *
 * A result hits at **section level** when its path equals a gold path and its heading breadcrumb
 * contains the gold heading, markup normalised on both sides (HTML/JSX tags and code marks
 * dropped, links and images reduced to their text, whitespace collapsed, case ignored):
 * `<Badge … /> realm: \`string\`` matches `realm: string`, and `Options ([#2023](https://…))`
 * matches `Options (#2023)`, as ingest renders it; a gold heading copied with its `## ` or an
 * explicit id (`{#options}`) matches too. It hits at **document level** when its path
 * equals a gold path.
 */
import { percentile } from '../bench/search-scale/stats';
import { withoutHeadingId } from '../ingest/heading-ids';
import { SHARED_HEADING_SEPARATOR } from '../ingest/parse';

export interface GoldSection {
  path: string;
  heading: string;
}

export interface EvalQuestion {
  id: string;
  question: string;
  /** Empty: the docs do not answer it, and the right behaviour is to return nothing. */
  gold: GoldSection[];
  /** A short reference answer, written in the set's own words (for {@link EvalMetrics.answerRecall}). */
  answer?: string;
  kind?: string;
}

export interface RankedResult {
  path: string;
  headings: string[];
}

/** One question's ranked results and how long retrieval took. */
export interface QuestionRun {
  id: string;
  results: RankedResult[];
  latencyMs: number;
  /** How much of the reference answer the extractive answer from these results contains (`answer-recall.ts`); absent when not measured. */
  answerRecall?: number | null;
  /** The best source's score before the threshold (0: no source at all); absent when there was no threshold. */
  topScore?: number;
}

export interface EvalMetrics {
  questions: number;
  answerable: number;
  unanswerable: number;
  /**
   * Section level, over answerable questions: share with a hit in the first N results. This and
   * the other metrics over answerable questions are null when there are none (as `abstainRate`
   * is without unanswerable ones): "not measured", never a score of 0.
   */
  hitAt1: number | null;
  hitAt3: number | null;
  hitAt5: number | null;
  hitAt10: number | null;
  /** Section level, over answerable questions: mean reciprocal rank of the first hit in 10 results. */
  mrrAt10: number | null;
  /** Document level (path only), over answerable questions: a gold page in the first 5 results. */
  docHitAt5: number | null;
  /** Share of answerable questions that got at least one result. */
  answerRate: number | null;
  /** Share of unanswerable questions that got no result (null when the set has none). */
  abstainRate: number | null;
  /**
   * Mean share of the reference answer's words (other than the question's) that the extractive
   * answer (no LLM) contains, over the answerable questions where it was measured; 0 for one that
   * got no sources. Null when not measured (no reference answers, or the naive baseline, which
   * builds no answers).
   */
  answerRecall: number | null;
  latencyP50Ms: number;
  latencyP95Ms: number;
}

export function normalizeHeading(heading: string): string {
  // As written in the source, a gold heading may keep its `## ` and an explicit id (`{#id}`).
  return withoutHeadingId(heading.replace(/^\s*#{1,6}\s+/, ''))
    .replace(/!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])/g, '$1')
    .replace(/<[^>]*>/g, ' ')
    .replace(/[`*_]/g, '')
    .replace(/\\(.)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * A breadcrumb's headings, normalised: each entry, and each heading of an entry that several
 * headings share (`A · B`, {@link SHARED_HEADING_SEPARATOR}), so that a gold heading matches either.
 */
export function breadcrumbHeadings(headings: readonly string[]): string[] {
  return headings.flatMap((h) => {
    const parts = h.split(SHARED_HEADING_SEPARATOR);
    return (parts.length > 1 ? [h, ...parts] : [h]).map(normalizeHeading);
  });
}

/** How close to the threshold the questions' best sources are: those within `margin` of it, either side. */
export interface NearThreshold {
  minScore: number;
  margin: number;
  answerable: number;
  unanswerable: number;
}

/**
 * The questions whose best source scores within `margin` of `minScore`: the ones a small change
 * of the model or the threshold moves between answered and abstained. Null when the runs have no
 * `topScore` (no threshold).
 */
export function nearThreshold(questions: readonly EvalQuestion[], runs: readonly QuestionRun[], minScore: number, margin = 0.02): NearThreshold | null {
  if (!runs.some((r) => r.topScore !== undefined)) return null;
  const byId = new Map(questions.map((q) => [q.id, q]));
  const near = runs.filter((r) => r.topScore !== undefined && Math.abs(r.topScore - minScore) <= margin);
  const answerable = near.filter((r) => (byId.get(r.id)?.gold.length ?? 0) > 0).length;
  return { minScore, margin, answerable, unanswerable: near.length - answerable };
}

/** Whether `result` is one of the gold sections. */
export function isSectionHit(result: RankedResult, gold: readonly GoldSection[]): boolean {
  const headings = breadcrumbHeadings(result.headings);
  return gold.some((g) => g.path === result.path && headings.includes(normalizeHeading(g.heading)));
}

/** Whether `result` is on one of the gold pages. */
export function isDocumentHit(result: RankedResult, gold: readonly GoldSection[]): boolean {
  return gold.some((g) => g.path === result.path);
}

/** Rank (0-based) of the first section hit among the first 10 results, or -1. */
export function firstHit(results: readonly RankedResult[], gold: readonly GoldSection[]): number {
  return results.slice(0, 10).findIndex((r) => isSectionHit(r, gold));
}

export function scoreQuestions(questions: readonly EvalQuestion[], runs: readonly QuestionRun[]): EvalMetrics {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const answerable = questions.filter((q) => q.gold.length > 0);
  const unanswerable = questions.filter((q) => q.gold.length === 0);
  const hits = { 1: 0, 3: 0, 5: 0, 10: 0 };
  let rr = 0;
  let docHits = 0;
  let answered = 0;
  for (const q of answerable) {
    const results = byId.get(q.id)?.results ?? [];
    if (results.length > 0) answered++;
    const first = firstHit(results, q.gold);
    if (first >= 0) {
      rr += 1 / (first + 1);
      for (const n of [1, 3, 5, 10] as const) if (first < n) hits[n]++;
    }
    if (results.slice(0, 5).some((r) => isDocumentHit(r, q.gold))) docHits++;
  }
  const abstained = unanswerable.filter((q) => (byId.get(q.id)?.results.length ?? 0) === 0).length;
  const recalls = answerable.flatMap((q) => {
    const recall = byId.get(q.id)?.answerRecall;
    return typeof recall === 'number' ? [recall] : [];
  });
  const latencies = runs.map((r) => r.latencyMs);
  const share = (count: number) => (answerable.length ? round(count / answerable.length) : null);
  return {
    questions: questions.length,
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    hitAt1: share(hits[1]),
    hitAt3: share(hits[3]),
    hitAt5: share(hits[5]),
    hitAt10: share(hits[10]),
    mrrAt10: share(rr),
    docHitAt5: share(docHits),
    answerRate: share(answered),
    abstainRate: unanswerable.length ? round(abstained / unanswerable.length) : null,
    answerRecall: recalls.length ? round(recalls.reduce((a, b) => a + b, 0) / recalls.length) : null,
    latencyP50Ms: latencies.length ? round(percentile(latencies, 50), 1) : 0,
    latencyP95Ms: latencies.length ? round(percentile(latencies, 95), 1) : 0,
  };
}

/**
 * {@link scoreQuestions} for each `kind` of question (howto, keyword, definition, unanswerable…;
 * questions without one count as `other`), in the order the kinds first appear.
 */
export function scoreByKind(questions: readonly EvalQuestion[], runs: readonly QuestionRun[]): Map<string, EvalMetrics> {
  const kinds = new Map<string, EvalQuestion[]>();
  for (const q of questions) {
    const kind = q.kind?.trim() || 'other';
    kinds.set(kind, [...(kinds.get(kind) ?? []), q]);
  }
  const byKind = new Map<string, EvalMetrics>();
  for (const [kind, qs] of kinds) {
    const ids = new Set(qs.map((q) => q.id));
    byKind.set(kind, scoreQuestions(qs, runs.filter((r) => ids.has(r.id))));
  }
  return byKind;
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
