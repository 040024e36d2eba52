/**
 * A page with nothing to index: an empty file, or one with only frontmatter, headings or
 * comments. It is still indexed (its title is a page of the site), but no question can find it,
 * so ingest warns about it. Left alone, as empty on purpose:
 * - a folder's page (`_index.md`, `index.md`, `README.md`) with frontmatter only: site generators
 *   build it as a list of the folder's pages (Hugo's section pages);
 * - an MDX page that shows components (`<DocCardList />`, a `<CardGrid>` of `<LinkCard href>`s, a
 *   `<Hero />`): the docs site renders its content from their code, a landing page of cards or a
 *   category's list of pages, which is no text missing from the page. (Text written in it, and the
 *   prose attributes of its components, `title="Install"`, are indexed as usual.)
 */
import { folderOfPage } from './folder-page';
import type { ParsedDocument } from './parse';
import type { IngestIssue } from './types';

/** The warning for the page at `path` when `parsed` has no text to index, else `undefined`. */
export function nothingToIndexWarning(path: string, parsed: Pick<ParsedDocument, 'sections' | 'frontmatter' | 'components'>): IngestIssue | undefined {
  if (parsed.sections.some((section) => section.blocks.length > 0)) return undefined;
  if (folderOfPage(path) !== undefined && Object.keys(parsed.frontmatter).length > 0) return undefined;
  if (parsed.components.length > 0) return undefined;
  return { path, line: null, message: NOTHING_TO_INDEX };
}

const NOTHING_TO_INDEX =
  'nothing to index: the page has no text and shows no components (only frontmatter or headings, or none at all), so no question can find it. ' +
  'Write its text, or delete it if it is not meant to be a page.';

/**
 * The warning's message before MDX pages that show components were left alone: stored with an
 * unchanged page by an earlier version, it may no longer hold, so that page is read again, once,
 * for its warnings ({@link isOutdatedWarning}).
 */
const NOTHING_TO_INDEX_BEFORE_COMPONENTS =
  'nothing to index: the page has no text (only frontmatter or headings, or none at all), so no question can find it. ' +
  'Write its text, or delete it if it is not meant to be a page.';

/** Whether a warning stored with a page was found by an earlier rule, which this version has changed. */
export function isOutdatedWarning(warning: Pick<IngestIssue, 'message'>): boolean {
  return warning.message === NOTHING_TO_INDEX_BEFORE_COMPONENTS;
}
