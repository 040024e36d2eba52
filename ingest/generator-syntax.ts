/**
 * What other site generators write in markdown that CommonMark reads differently, made markdown
 * that ingest and the docs site read alike, before a page is parsed:
 * - Hugo shortcodes and Liquid tags (`{{< note >}}`, `{{% alert %}}`, `{% hint %}`,
 *   `{% highlight ruby %}`): `template-tags.ts`;
 * - MkDocs admonitions, content tabs and blocks (`!!! warning`, `=== "npm"`, `/// tip`):
 *   `mkdocs-blocks.ts`;
 * - abbreviation definitions (`*[HTML]: Hyper Text Markup Language`), shown by their sites only
 *   as tooltips, are left out: `abbreviations.ts`;
 * - MkDocs cross-references (`[App][textual.app.App]`) and keys (`++ctrl+p++`):
 *   `mkdocs-inline.ts`;
 * - MyST directives, roles and labels (```` ```{note} ````, `` {ref}`install` ``, `(install)=`),
 *   first, since a directive is written as a fence the others leave alone: `myst-syntax.ts`;
 * - before all, VitePress' `{{ packageName }}` of a string constant the page's `<script setup>`
 *   declares, as its value: `vue-interpolation.ts`.
 * Callouts and tabs become `:::` containers (`containers.ts`). A page with none of them is
 * returned as is.
 */
import { withoutAbbreviationDefinitions } from './abbreviations';
import { templateTagsAsMarkdown } from './template-tags';
import { type MkdocsBlocksOptions, mkdocsBlocksAsContainers } from './mkdocs-blocks';
import { mkdocsInlineAsMarkdown } from './mkdocs-inline';
import { type MystSyntaxOptions, mystAsMarkdown } from './myst-syntax';
import { vueInterpolationsAsText } from './vue-interpolation';

export type GeneratorSyntaxOptions = MkdocsBlocksOptions & MystSyntaxOptions;

/**
 * `source` (a page's text, line endings normalised) with other generators' syntax made markdown.
 * Without `close` (ingest) every line keeps its number; with it (the docs site) containers get
 * closing markers and blank lines around them.
 */
export function generatorSyntaxAsMarkdown(source: string, options: GeneratorSyntaxOptions = {}): string {
  return mkdocsBlocksAsContainers(mkdocsInlineAsMarkdown(withoutAbbreviationDefinitions(templateTagsAsMarkdown(mystAsMarkdown(vueInterpolationsAsText(source), options)))), options);
}
