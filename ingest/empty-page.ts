/**
 * A page with nothing to index: an empty file, or one with only frontmatter, headings or
 * comments. It is still indexed (its title is a page of the site), but no question can find it,
 * so ingest warns about it. A folder's page (`_index.md`, `index.md`, `README.md`) with
 * frontmatter only is left alone: site generators build it as a list of the folder's pages
 * (Hugo's section pages), so it is empty on purpose.
 */
import { folderOfPage } from './folder-page';
import type { ParsedDocument } from './parse';
import type { IngestIssue } from './types';

/** The warning for the page at `path` when `parsed` has no text to index, else `undefined`. */
export function nothingToIndexWarning(path: string, parsed: Pick<ParsedDocument, 'sections' | 'frontmatter'>): IngestIssue | undefined {
  if (parsed.sections.some((section) => section.blocks.length > 0)) return undefined;
  if (folderOfPage(path) !== undefined && Object.keys(parsed.frontmatter).length > 0) return undefined;
  return {
    path,
    line: null,
    message:
      'nothing to index: the page has no text (only frontmatter or headings, or none at all), so no question can find it. ' +
      'Write its text, or delete it if it is not meant to be a page.',
  };
}
