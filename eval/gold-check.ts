/**
 * Checks a question set's gold sections against the corpus it is run on, before any question is
 * asked: a gold path that is not a page, or a heading no section of its page has, can never be
 * hit, and would silently count as a retrieval miss.
 *
 * One mistake is common enough to fix: gold paths written from another folder than `--content`
 * (`docs/api/context.md` with `--content corpus/docs`, whose pages are `api/context.md`, or the
 * other way round). When one prefix, dropped from or added to every gold path that is not a page,
 * makes each of them a page, the paths are read that way and a note says so. Another: a gold
 * heading that is a page's `# Title` when the page's frontmatter `title` is what its breadcrumb
 * shows (`# \`embedMany()\`` under `title: embedMany`): it is read as that title.
 */
import { type EvalQuestion, breadcrumbHeadings, normalizeHeading } from './metrics';

/** A section of the corpus: its page and heading breadcrumb. */
export interface CorpusSection {
  path: string;
  headings: string[];
}

export interface GoldCheck {
  /** The questions, gold paths re-read with the prefix when one was found. */
  questions: EvalQuestion[];
  /** How the gold paths were re-read (empty when they were not). */
  notes: string[];
  /** Gold sections that cannot be hit, one line each (`id: …`). */
  problems: string[];
}

type PrefixFix = { drop: string } | { add: string };

/**
 * @param titleHeadingOf a page's `# Title` heading, when its breadcrumb shows another title (from
 * the frontmatter); asked only for gold headings not found otherwise. Default: none.
 */
export function checkGold(
  questions: readonly EvalQuestion[],
  sections: readonly CorpusSection[],
  titleHeadingOf: (path: string) => string | undefined = () => undefined,
): GoldCheck {
  const pages = new Set(sections.map((s) => s.path));
  const missing = [...new Set(questions.flatMap((q) => q.gold.map((g) => g.path)).filter((p) => !pages.has(p)))];
  const fix = missing.length ? commonPrefixFix(missing, pages) : undefined;
  const notes: string[] = [];
  let checked = questions.map((q) => ({ ...q, gold: q.gold.map((g) => ({ ...g })) }));
  if (fix) {
    const reread = (path: string) => (pages.has(path) ? path : 'drop' in fix ? path.slice(fix.drop.length) : fix.add + path);
    checked = checked.map((q) => ({ ...q, gold: q.gold.map((g) => ({ ...g, path: reread(g.path) })) }));
    notes.push(
      `gold paths are written from another folder than --content: ${missing.length} of them read with ${'drop' in fix ? `"${fix.drop}" dropped` : `"${fix.add}" added`} in front (e.g. ${missing[0]} → ${reread(missing[0]!)})`,
    );
  }
  const headingsOf = new Map<string, Set<string>>();
  for (const s of sections) {
    const set = headingsOf.get(s.path) ?? new Set<string>();
    for (const h of breadcrumbHeadings(s.headings)) set.add(h);
    headingsOf.set(s.path, set);
  }
  const titleOf = new Map(sections.map((s) => [s.path, s.headings[0] ?? '']));
  const problems: string[] = [];
  let titles = 0;
  for (const q of checked) {
    for (const g of q.gold) {
      const headings = headingsOf.get(g.path);
      if (!headings) problems.push(`${q.id}: gold path "${g.path}" is not a page of the corpus`);
      else if (headings.has(normalizeHeading(g.heading))) continue;
      else if (titleOf.get(g.path) && normalizeHeading(titleHeadingOf(g.path) ?? '') === normalizeHeading(g.heading)) {
        g.heading = titleOf.get(g.path)!;
        titles++;
      } else problems.push(`${q.id}: "${g.heading}" is not a heading of ${g.path}`);
    }
  }
  if (titles) notes.push(`${titles} gold heading(s) are a page's # Title, which its frontmatter title replaces in breadcrumbs: read as that title`);
  return { questions: checked, notes, problems };
}

/** The one prefix that, dropped or added, makes every missing path a page (undefined if none or several). */
function commonPrefixFix(missing: readonly string[], pages: ReadonlySet<string>): PrefixFix | undefined {
  let common: Set<string> | undefined;
  for (const path of missing) {
    const fixes = new Set<string>();
    for (const page of pages) {
      if (path.endsWith(`/${page}`)) fixes.add(`drop:${path.slice(0, path.length - page.length)}`);
      else if (page.endsWith(`/${path}`)) fixes.add(`add:${page.slice(0, page.length - path.length)}`);
    }
    common = common ? new Set([...common].filter((f) => fixes.has(f))) : fixes;
    if (common.size === 0) return undefined;
  }
  if (!common || common.size !== 1) return undefined;
  const [kind, prefix] = [...common][0]!.split(/:(.*)/s) as ['drop' | 'add', string];
  return kind === 'drop' ? { drop: prefix } : { add: prefix };
}
