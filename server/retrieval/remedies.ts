/**
 * Troubleshooting pages laid out as a problem and its remedy: sibling sections headed "Issue" (or
 * "Problem", "Symptoms", "Error") and "Solution" (or "Fix", "Workaround", "Resolution"), often
 * with a "Background" or "Cause" between them. A question describing the symptom matches the
 * problem section best, since it says what the reader already knows, in the reader's words; the
 * remedy is what the reader came for, and it rarely repeats the symptom. So when a problem
 * section is ranked, its remedy is ranked just before it, with its score.
 */

/** A heading that states the problem. */
const PROBLEM = /^(?:the\s+)?(?:issues?|problems?|symptoms?|errors?|error messages?)$/i;
/** A heading that gives the remedy. */
const REMEDY = /^(?:the\s+)?(?:solutions?|fix(?:es)?|workarounds?|resolution|remedy|how to fix(?: it)?)$/i;

export interface RemedyItem {
  documentId: string;
  /** Breadcrumb: page title, then the enclosing headings down to this section's. */
  headings: readonly string[];
  score: number;
}

/** Whether `headings` is a problem section's breadcrumb (its own heading states the problem). */
export function isProblemSection(headings: readonly string[]): boolean {
  return headings.length > 1 && PROBLEM.test(headings.at(-1)!.trim());
}

/** Whether `item` is in a remedy section of the page and parent of `problem` (or in a subsection of one). */
export function isRemedyOf(item: RemedyItem, problem: RemedyItem): boolean {
  const level = problem.headings.length - 1;
  if (item.documentId !== problem.documentId || item.headings.length <= level) return false;
  for (let i = 0; i < level; i++) if (item.headings[i] !== problem.headings[i]) return false;
  return REMEDY.test(item.headings[level]!.trim());
}

/**
 * `ranked` (best first) with, for each problem section, the best-ranked remedy of its page and
 * parent moved just before it and given its score. A remedy already ranked above it stays.
 * Returns a new array; the moved items are copies.
 */
export function remedyBeforeProblem<T extends RemedyItem>(ranked: readonly T[]): T[] {
  const out = [...ranked];
  for (let i = 0; i < out.length; i++) {
    const problem = out[i]!;
    if (!isProblemSection(problem.headings)) continue;
    if (out.slice(0, i).some((earlier) => isRemedyOf(earlier, problem))) continue;
    const r = out.findIndex((item, j) => j > i && isRemedyOf(item, problem));
    if (r < 0) continue;
    const [remedy] = out.splice(r, 1);
    out.splice(i, 0, { ...remedy!, score: Math.max(remedy!.score, problem.score) });
    i++; // past the problem, now one further down
  }
  return out;
}
