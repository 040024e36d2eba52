/**
 * MyST targets (Sphinx sites with myst-parser, Jupyter Book): a label line `(netpol)=` names the
 * heading or block after it, and a markdown link written to the label's name
 * (`[network policies](netpol)`) leads there, as MyST reads a link that names no file: a reference
 * to a target of the whole project. Docent's pages give headings their own anchors (the label
 * line is left out: `myst-syntax.ts`), so such a link leads to the label's page, at the heading
 * after the label (`/administrator/security/#kubernetes-network-policies`), or to the page alone
 * when the label is set on its title (the leading h1) or on another block. `pageLinkUrl()` reads links with these
 * ({@link PageLinkOptions.labels}).
 */
import type { Heading } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { headingAnchors, headingText } from './anchors';
import { fencedLines } from './fences';
import { mystAsMarkdown } from './myst-syntax';

/** Where a MyST label leads: its page (a content path) and the anchor of the heading it is set on (`''`: none). */
export interface LabelTarget {
  page: string;
  anchor: string;
  /** The text of the heading it is set on, which a `{ref}` role without a text of its own shows; none for another block. */
  title?: string;
}

/** A label line: `(install-guide)=`. */
const LABEL = /^[ \t]*\(([^)\s]+)\)=[ \t]*$/;
/** A cheap test before reading a page's lines. */
const HAS_LABEL = /^[ \t]*\([^)\s]+\)=[ \t]*$/m;

/**
 * The MyST labels of the pages (`sources`: each page's path and text), by name in lower case (as
 * Sphinx matches them). A label two pages set leads to neither; labels in fenced code are none.
 */
export function mystLabels(sources: Iterable<readonly [page: string, source: string]>): Map<string, LabelTarget> {
  const labels = new Map<string, LabelTarget | null>();
  for (const [page, source] of sources) {
    if (!HAS_LABEL.test(source)) continue;
    const lines = source.split(/\r?\n/);
    const fenced = fencedLines(lines);
    const anchors = headingAnchorsByLine(lines, fenced);
    // The block the labels are set on: the next line that is neither blank nor another label (the
    // same line for each label of a run, found once for the run).
    let next = -1;
    for (let i = 0; i < lines.length; i++) {
      const name = fenced[i] ? undefined : LABEL.exec(lines[i]!)?.[1]?.toLowerCase();
      if (name === undefined) continue;
      if (next <= i) {
        next = i + 1;
        while (next < lines.length && (lines[next]!.trim() === '' || LABEL.test(lines[next]!))) next++;
      }
      const heading = anchors.get(next + 1);
      const target: LabelTarget = heading ? { page, anchor: heading.anchor, title: heading.title } : { page, anchor: '' };
      labels.set(name, labels.has(name) ? null : target);
    }
  }
  return new Map([...labels].filter((entry): entry is [string, LabelTarget] => entry[1] !== null));
}

/** An ATX heading line (`## Network policies`), at most three spaces in. */
const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;

/**
 * The anchors the docs site gives the page's headings, and their text, by 1-based line: its heading lines alone,
 * with MyST syntax made markdown (`myst-syntax.ts`, line for line), slugged in page order as
 * `anchors.ts` slugs a page's headings. Reading only these lines is much cheaper than reading the
 * page, and gives the same anchors for the ATX headings MyST pages use.
 */
function headingAnchorsByLine(lines: readonly string[], fenced: readonly boolean[]): Map<number, { anchor: string; title: string }> {
  const markdown = mystAsMarkdown(lines.join('\n')).split('\n');
  const frontmatterEnd = markdown[0] === '---' || markdown[0] === '+++' ? markdown.indexOf(markdown[0], 1) : -1;
  const headingLines: number[] = [];
  for (let i = frontmatterEnd + 1; i < markdown.length; i++) if (!fenced[i] && ATX_HEADING.test(markdown[i]!)) headingLines.push(i);
  if (headingLines.length === 0) return new Map();
  const tree = unified().use(remarkParse).parse(headingLines.map((i) => markdown[i]!.trim()).join('\n\n'));
  const anchors = headingAnchors(tree);
  const headings = tree.children.filter((node): node is Heading => node.type === 'heading');
  // The page's leading h1 is its title, shown atop the page: a label on it leads to the page.
  return new Map(headings.map((heading, n) => [headingLines[n]! + 1, { anchor: n === 0 && heading.depth === 1 ? '' : (anchors.get(heading) ?? ''), title: headingText(heading) }] as const));
}
