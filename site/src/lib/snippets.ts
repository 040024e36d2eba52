/**
 * MkDocs snippets on the docs site (`--8<-- "includes/note.md"`): a page's text with its snippets
 * in place, read as ingest reads them (`ingest/snippets.ts`), before the page is parsed. Ingest
 * names the snippets it cannot include in its warnings.
 */
import { expandSnippets, mayHaveSnippets, snippetBasePaths, snippetFileReader } from '../../../ingest/snippets';

/** `source` with its snippets in place (read afresh each time, so the dev server shows edits). */
export function withSnippets(source: string): string {
  if (!mayHaveSnippets(source)) return source;
  const read = snippetFileReader(snippetBasePaths(process.env.DOCENT_CONTENT_ROOT ?? 'content'));
  return expandSnippets(source.replace(/\r\n?/g, '\n'), read).text;
}
