/**
 * Reads a docs folder with ingest's own parser (`parseDocument`: sections, titles, anchors) and
 * lists every heading's anchor (`headingAnchors`) and page URL (`documentUrl`). Site tests check the built pages against
 * these anchors; browser tests answer from these sections.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { headingAnchors, headingText } from '../../ingest/anchors';
import { prepareMdxSource, unwrapMdxCodeBlocks } from '../../ingest/mdx-source';
import { partialImports, readPartials } from '../../ingest/partials';
import { parseDocument } from '../../ingest/parse';
import { listContentFiles } from '../../ingest/scan';
import { type SnippetReader, snippetFileReader } from '../../ingest/snippets';
import { expandIncludes } from '../../ingest/vitepress-includes';
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

export function parseDoc(path: string, source: string, partials: ReadonlyMap<string, string> = new Map(), includes?: SnippetReader): FixtureDoc {
  // Ingest's own parser: the sections, titles and anchors Docent stores.
  const parsed = parseDocument(source, path, { partials, includes });
  return {
    path,
    title: parsed.title,
    url: documentUrl(path),
    frontmatter: parsed.frontmatter,
    // The page as the site compiles it: its VitePress includes in place.
    anchors: headingsOf(path, includes ? expandIncludes(source.replace(/\r\n?/g, '\n'), path, includes).text : source, partials),
    sections: parsed.sections.map((section) => ({
      heading: section.headings.length > 1 ? section.headings.at(-1)! : '',
      headings: section.headings,
      anchor: section.anchor,
      text: section.blocks.map((b) => b.text).join('\n\n'),
    })),
  };
}

/**
 * Every heading of a page and its anchor, in page order, the headings of the partials it
 * includes where it includes them (ingest slugs each file's headings in order, with one slugger
 * per file, as the site compiles each file).
 */
function headingsOf(path: string, source: string, partials: ReadonlyMap<string, string>): FixtureDoc['anchors'] {
  const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']);
  if (path.endsWith('.mdx')) processor.use(remarkMdx);
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const tree = processor.parse(path.endsWith('.mdx') ? prepareMdxSource(unwrapMdxCodeBlocks(text)) : text) as Root;
  const anchors = headingAnchors(tree);
  const imported = new Map<string, string>();
  const out: FixtureDoc['anchors'] = [];
  visit(tree, (node) => {
    if (node.type === 'mdxjsEsm') for (const [name, partial] of partialImports(node.value, path)) imported.set(name, partial);
    if (node.type === 'heading') out.push({ text: headingText(node), depth: node.depth, anchor: anchors.get(node)! });
    if (node.type === 'mdxJsxFlowElement' && imported.has(node.name ?? '')) {
      const partial = imported.get(node.name!)!;
      if (partials.has(partial)) out.push(...headingsOf(partial, partials.get(partial)!, partials));
    }
  });
  return out;
}

/** Every page under `dir` (the files ingest lists, which are the pages the site builds), parsed. */
export async function readFixtureDocs(dir: string): Promise<FixtureDoc[]> {
  const docs: FixtureDoc[] = [];
  const includes = snippetFileReader([resolve(dir)]);
  for (const path of await listContentFiles(dir)) {
    const source = readFileSync(join(dir, ...path.split('/')), 'utf8');
    docs.push(parseDoc(path, source, await readPartials(dir, path, source), includes));
  }
  return docs.sort((a, b) => a.path.localeCompare(b.path));
}
