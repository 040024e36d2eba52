/**
 * VitePress includes (`<!--@include: ./parts/basics.md-->`, `<<< @/snippets/a.ts`) and MkDocs
 * snippets (`--8<-- "includes/note.md"`) on the docs site: a page's text with them in place, read
 * as ingest reads them (`ingest/vitepress-includes.ts`, `ingest/snippets.ts`), before the page is
 * parsed. Ingest names the ones it cannot put in place in its warnings.
 */
import { relative, resolve, sep } from 'node:path';
import { expandSnippets, mayHaveSnippets, type SnippetReader, snippetBasePaths, snippetFileReader } from '../../../ingest/snippets';
import { expandIncludes, mayHaveIncludes } from '../../../ingest/vitepress-includes';

/**
 * `source`, the page at `file` (an absolute path, when known: includes are read relative to it),
 * with its includes and snippets in place (read afresh each time, so the dev server shows edits).
 */
export function withSnippets(source: string, file?: string): string {
  const contentRoot = resolve(process.env.DOCENT_CONTENT_ROOT ?? 'content');
  const page = file === undefined ? undefined : relative(contentRoot, file).split(sep).join('/');
  const hasIncludes = page !== undefined && !page.startsWith('../') && mayHaveIncludes(source);
  if (!hasIncludes && !mayHaveSnippets(source)) return source;
  let text = source.replace(/\r\n?/g, '\n');
  if (hasIncludes) text = expandIncludes(text, page, snippetFileReader([contentRoot])).text;
  if (mayHaveSnippets(text)) text = expandSnippets(text, snippetFileReader(snippetBasePaths(contentRoot))).text;
  return text;
}

/**
 * The readers ingest reads the includes and snippets of a page of the content folder `root`
 * (absolute) with: `readPageInfo()`'s options, so the site reads a page's title and parse limits
 * with its included parts in place, as ingest does.
 */
export function includeReaders(root: string): { includes: SnippetReader; snippets: SnippetReader } {
  return { includes: snippetFileReader([root]), snippets: snippetFileReader(snippetBasePaths(root)) };
}
