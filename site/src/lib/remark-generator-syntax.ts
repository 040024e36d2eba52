/**
 * A remark plugin for the docs site: what other site generators write in markdown (Hugo
 * shortcodes such as `{{< note >}}`; MkDocs admonitions and content tabs, `!!! warning "Title"`,
 * `=== "npm"`, whose content is indented by four spaces; `/// tip | Title` … `///`) is made
 * markdown as ingest reads it (`ingest/generator-syntax.ts`): callouts and tabs become `:::`
 * containers, which `remarkContainers` then renders as callouts. Without it the shortcodes were
 * shown as text and the indented content as a code block. VitePress includes and MkDocs snippets
 * (`<!--@include: ./part.md-->`, `--8<-- "note.md"`) are put in place first (`snippets.ts`). A page that has such syntax is parsed
 * again from the converted text; any other page is left as parsed. It runs first among the site's
 * remark plugins. MyST's `{ref}` and `{doc}` roles become links where they lead to a page
 * (`pageLinkTest`), as ingest makes them (a `{doc}` without a text showing its page's title). A `.md` page written as MDX, opening with `import` lines
 * (`isMarkdownWrittenAsMdx()`, which ingest reads as MDX), is shown without its `import`/`export`
 * lines; its components are read as HTML, showing the text inside them. (`.mdx` pages are converted before the MDX compiler, in `astro.config.mjs`, so
 * this finds nothing left to convert in them.)
 */
import { relative, sep } from 'node:path';
import type { Root } from 'mdast';
import type { Processor } from 'unified';
import { type GeneratorSyntaxOptions, generatorSyntaxAsMarkdown } from '../../../ingest/generator-syntax';
import { isMarkdownWrittenAsMdx, mdxAsMarkdown } from '../../../ingest/mdx-source';
import { pageLinkTest } from './remark-file-links';
import { linkedPageTitles, pagesOf } from './remark-page-links';
import { withSnippets } from './snippets';

export function remarkGeneratorSyntax(this: Processor) {
  const processor = this;
  return async (tree: Root, file: { value: unknown; path?: string }) => {
    const source = String(file.value);
    const markdown = generatorSyntaxAsMarkdown(withSnippets(source, file.path), { close: true, ...(await mystReferences(file.path)) });
    // A `.md` page written as MDX (`import Tabs from '@theme/Tabs'` atop it, as Docusaurus reads
    // `.md`), which ingest reads as MDX: shown without its import/export lines, its components as HTML.
    const converted = /\.md$/i.test(file.path ?? '') && isMarkdownWrittenAsMdx(markdown) ? mdxAsMarkdown(markdown) : markdown;
    if (converted === source) return;
    tree.children = (processor.parse(converted) as Root).children;
  };
}

/**
 * How MyST's `{ref}` and `{doc}` roles of the page at `file` (absolute) are read, as ingest reads
 * them: links where they lead to a page of the site (`pageLinkTest`), a `{ref}` showing its label's
 * heading and a `{doc}` its page's title when they have no text of their own. None for a file
 * outside the content folder (every role stays its text).
 */
export async function mystReferences(file: string | undefined): Promise<Pick<GeneratorSyntaxOptions, 'leadsToPage' | 'labels' | 'linkedPageTitle'>> {
  const root = process.env.DOCENT_CONTENT_ROOT;
  if (!root || !file) return {};
  const page = relative(root, file).split(sep).join('/');
  if (page.startsWith('..')) return {};
  return { leadsToPage: await pageLinkTest(root, page), labels: (await pagesOf(root)).labels, linkedPageTitle: await linkedPageTitles(root, page) };
}
