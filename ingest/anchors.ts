/**
 * Heading text and anchor slugs, shared by ingest (citations deep-link to `url#anchor`) and the
 * docs site (which gives each heading the same `id`), so a citation always lands on its heading.
 *
 * Rules: a heading's text is its plain text with raw HTML dropped (`<Badge … /> realm: \`string\``
 * → `realm: string`) and JSX children kept; slugs come from github-slugger, one slugger per
 * document, counting every heading in document order (so repeated headings get `-1`, `-2`, …).
 */
import GithubSlugger from 'github-slugger';
import type { Heading, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';

/** The plain text of a heading, whitespace collapsed. */
export function headingText(heading: Heading): string {
  return toString(heading, { includeHtml: false, includeImageAlt: true }).replace(/\s+/g, ' ').trim();
}

/** Slugs every heading of a document, in document order. */
export function headingAnchors(tree: Root): Map<Heading, string> {
  const slugger = new GithubSlugger();
  const anchors = new Map<Heading, string>();
  visit(tree, 'heading', (node) => {
    anchors.set(node, slugger.slug(headingText(node)));
  });
  return anchors;
}
