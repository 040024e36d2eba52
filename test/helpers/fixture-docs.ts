/**
 * Reads a docs folder with ingest's own parser (`parseDocument`: sections, titles, anchors) and
 * lists every heading's anchor (`headingAnchors`) and page URL (`documentUrl`). Site tests check the built pages against
 * these anchors; browser tests answer from these sections.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { headingAnchors, headingText } from '../../ingest/anchors';
import { prepareMdxSource } from '../../ingest/mdx-source';
import { parseDocument } from '../../ingest/parse';
import { listContentFiles } from '../../ingest/scan';
import { documentUrl } from '../../ingest/urls';

export interface FixtureSection {
  /** The section's own heading (`''` for the page's introduction). */
  heading: string;
  /** Heading breadcrumb, page title first. */
  headings: string[];
  anchor: string;
  text: string;
}

export interface FixtureDoc {
  path: string;
  title: string;
  url: string;
  frontmatter: Record<string, unknown>;
  /** Every heading's anchor, in document order. */
  anchors: { text: string; depth: number; anchor: string }[];
  sections: FixtureSection[];
}

export function parseDoc(path: string, source: string): FixtureDoc {
  // Ingest's own parser: the sections, titles and anchors Docent stores.
  const parsed = parseDocument(source, path);
  // Every heading's anchor (ingest slugs them all, in order, with one slugger per document).
  const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']);
  if (path.endsWith('.mdx')) processor.use(remarkMdx);
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const tree = processor.parse(path.endsWith('.mdx') ? prepareMdxSource(text) : text) as Root;
  const anchors = headingAnchors(tree);
  return {
    path,
    title: parsed.title,
    url: documentUrl(path),
    frontmatter: parsed.frontmatter,
    anchors: [...anchors].map(([node, anchor]) => ({ text: headingText(node), depth: node.depth, anchor })),
    sections: parsed.sections.map((section) => ({
      heading: section.headings.length > 1 ? section.headings.at(-1)! : '',
      headings: section.headings,
      anchor: section.anchor,
      text: section.blocks.map((b) => b.text).join('\n\n'),
    })),
  };
}

/** Every page under `dir` (the files ingest lists, which are the pages the site builds), parsed. */
export async function readFixtureDocs(dir: string): Promise<FixtureDoc[]> {
  return (await listContentFiles(dir))
    .map((path) => parseDoc(path, readFileSync(join(dir, ...path.split('/')), 'utf8')))
    .sort((a, b) => a.path.localeCompare(b.path));
}
