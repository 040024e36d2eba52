/**
 * Reads a docs folder the way ingest does (remark-parse + GFM + frontmatter, remark-mdx for
 * `.mdx` only) into sections split at headings, with the anchors ingest stores
 * (`headingAnchors`) and the page URLs (`documentUrl`). Site tests check the built pages against
 * these anchors; browser tests answer from these sections.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Heading, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { parse as parseYaml } from 'yaml';
import { headingAnchors, headingText } from '../../ingest/anchors';
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

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(full);
    return /\.mdx?$/i.test(entry.name) ? [full] : [];
  });
}

export function parseDoc(path: string, source: string): FixtureDoc {
  const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']);
  if (path.endsWith('.mdx')) processor.use(remarkMdx);
  const tree = processor.parse(source) as Root;
  const yamlNode = tree.children.find((n) => n.type === 'yaml');
  const frontmatter = (yamlNode && 'value' in yamlNode ? parseYaml(String(yamlNode.value)) : {}) ?? {};
  const anchors = headingAnchors(tree);
  const h1 = tree.children.find((n): n is Heading => n.type === 'heading' && n.depth === 1);
  const title = typeof frontmatter.title === 'string' ? frontmatter.title : h1 ? headingText(h1) : path;

  const sections: FixtureSection[] = [];
  let current: FixtureSection = { heading: '', headings: [title], anchor: '', text: '' };
  const trail: { depth: number; text: string }[] = [];
  const flush = () => {
    if (current.text.trim() || current.heading) sections.push({ ...current, text: current.text.trim() });
  };
  for (const node of tree.children as RootContent[]) {
    if (node.type === 'yaml') continue;
    if (node.type === 'heading' && node.depth >= 2) {
      flush();
      while (trail.length && trail.at(-1)!.depth >= node.depth) trail.pop();
      const text = headingText(node);
      trail.push({ depth: node.depth, text });
      current = { heading: text, headings: [title, ...trail.map((t) => t.text)], anchor: anchors.get(node) ?? '', text: '' };
      continue;
    }
    if (node.type === 'heading') continue;
    current.text += `${toString(node)}\n`;
  }
  flush();

  return {
    path,
    title,
    url: documentUrl(path),
    frontmatter,
    anchors: [...anchors].map(([node, anchor]) => ({ text: headingText(node), depth: node.depth, anchor })),
    sections,
  };
}

/** Every `.md`/`.mdx` file under `dir`, parsed. */
export function readFixtureDocs(dir: string): FixtureDoc[] {
  return listFiles(dir)
    .map((file) => parseDoc(relative(dir, file).split('\\').join('/'), readFileSync(file, 'utf8')))
    .sort((a, b) => a.path.localeCompare(b.path));
}
