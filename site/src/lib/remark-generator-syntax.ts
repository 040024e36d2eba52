/**
 * A remark plugin for the docs site: what other site generators write in markdown (Hugo
 * shortcodes such as `{{< note >}}`; MkDocs admonitions and content tabs, `!!! warning "Title"`,
 * `=== "npm"`, whose content is indented by four spaces; `/// tip | Title` … `///`) is made
 * markdown as ingest reads it (`ingest/generator-syntax.ts`): callouts and tabs become `:::`
 * containers, which `remarkContainers` then renders as callouts. Without it the shortcodes were
 * shown as text and the indented content as a code block. VitePress includes and MkDocs snippets
 * (`<!--@include: ./part.md-->`, `--8<-- "note.md"`) are put in place first (`snippets.ts`). A page that has such syntax is parsed
 * again from the converted text; any other page is left as parsed. It runs first among the site's
 * remark plugins. (`.mdx` pages are converted before the MDX compiler, in `astro.config.mjs`, so
 * this finds nothing left to convert in them.)
 */
import type { Root } from 'mdast';
import type { Processor } from 'unified';
import { generatorSyntaxAsMarkdown } from '../../../ingest/generator-syntax';
import { withSnippets } from './snippets';

export function remarkGeneratorSyntax(this: Processor) {
  const processor = this;
  return (tree: Root, file: { value: unknown; path?: string }) => {
    const source = String(file.value);
    const converted = generatorSyntaxAsMarkdown(withSnippets(source, file.path), { close: true });
    if (converted === source) return;
    tree.children = (processor.parse(converted) as Root).children;
  };
}
