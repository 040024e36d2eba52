/**
 * Section-level retrieval metrics for question sets like `../shared/eval/hono-dev.jsonl`
 * (`gold` = `[{path, heading}]`). A result hits when its path equals a gold path and its heading
 * breadcrumb contains the gold heading, markup normalised (HTML tags and code marks dropped,
 * whitespace collapsed, case ignored): `<Badge … /> realm: \`string\`` matches `realm: string`.
 */
export interface GoldSection {
  path: string;
  heading: string;
}

export interface EvalQuestion {
  id: string;
  question: string;
  gold: GoldSection[];
}

export interface RankedResult {
  path: string;
  headings: string[];
}

export function normalizeHeading(heading: string): string {
  return heading
    .replace(/<[^>]*>/g, ' ')
    .replace(/[`*_]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export function isHit(result: RankedResult, gold: readonly GoldSection[]): boolean {
  const headings = result.headings.map(normalizeHeading);
  return gold.some((g) => g.path === result.path && headings.includes(normalizeHeading(g.heading)));
}

export interface Metrics {
  questions: number;
  /** Share of questions with a hit in the first 5 results. */
  hitAt5: number;
  /** Mean reciprocal rank of the first hit within 10 results. */
  mrrAt10: number;
  /** Share of questions with no results at all (Docent would abstain). */
  empty: number;
}

export function scoreRuns(questions: readonly EvalQuestion[], results: ReadonlyMap<string, readonly RankedResult[]>): Metrics {
  let hits = 0;
  let rr = 0;
  let empty = 0;
  for (const q of questions) {
    const ranked = (results.get(q.id) ?? []).slice(0, 10);
    if (ranked.length === 0) empty++;
    const first = ranked.findIndex((r) => isHit(r, q.gold));
    if (first >= 0 && first < 5) hits++;
    if (first >= 0) rr += 1 / (first + 1);
  }
  const n = questions.length || 1;
  return { questions: questions.length, hitAt5: round(hits / n), mrrAt10: round(rr / n), empty };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
