/**
 * Heading text and anchor slugs, shared by ingest (citations deep-link to `url#anchor`) and the
 * docs site (which gives each heading the same `id`), so a citation always lands on its heading.
 *
 * Rules: a heading's text is its plain text with raw HTML dropped (`<Badge … /> realm: \`string\``
 * → `realm: string`), JSX children kept and an explicit id (`{#id}`, `heading-ids.ts`) left out;
 * its anchor is that id when it has one, else a slug from github-slugger, one slugger per
 * document, counting every heading in document order (so repeated headings get `-1`, `-2`, …);
 * a heading with nothing to slug (only emoji or punctuation) gets `section`, `section-1`, ….
 */
import GithubSlugger from 'github-slugger';
import type { Heading, Nodes, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { splitHeadingId } from './heading-ids';

/** The plain text of a heading, whitespace collapsed, without its explicit id. */
export function headingText(heading: Heading): string {
  return splitHeadingId(fullText(heading)).text;
}

/** The id written after a heading's text (`## Options {#options}`), if it has one. */
export function explicitHeadingId(heading: Heading): string | undefined {
  return splitHeadingId(fullText(heading)).id;
}

function fullText(heading: Heading): string {
  return plainText(heading).replace(/\s+/g, ' ').trim();
}

/** A node's text, without raw HTML and without MDX comments (`{/* … *\/}`, which show nothing). */
function plainText(node: Nodes): string {
  if (node.type === 'mdxTextExpression' && /^\s*\/\*[\s\S]*\*\/\s*$/.test(node.value)) return '';
  if ('children' in node) return node.children.map((child) => plainText(child)).join('');
  return toString(node, { includeHtml: false, includeImageAlt: true });
}

/** Slugs every heading of a document, in document order. */
export function headingAnchors(tree: Root): Map<Heading, string> {
  const slugger = new GithubSlugger();
  const anchors = new Map<Heading, string>();
  visit(tree, 'heading', (node) => {
    const { text, id } = splitHeadingId(fullText(node));
    // An explicit id is kept as written; slugging it too keeps a later heading from reusing it.
    // A heading with nothing to slug (`## 🚀`) gets `section` (`section-1`, …): an empty id
    // is no link target.
    const slug = slugger.slug(id ?? text);
    anchors.set(node, id ?? (slug === '' || /^-\d+$/.test(slug) ? slugger.slug('section') : slug));
  });
  return anchors;
}
