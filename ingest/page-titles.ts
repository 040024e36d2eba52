/**
 * The titles of the docs' pages as ingest gives them (`readPageInfo()` of `parse.ts`: frontmatter
 * `title`, else the first h1, else the file name), for what shows another page's title: a MyST
 * `{doc}` role without a text of its own (`myst-syntax.ts`). Ingest and the docs site read them
 * alike, so a role reads the same in the index and on the page.
 */
import { ParseError, readPageInfo, titleFromPath } from './parse';

/**
 * A reader of the title of a page (content path) from its text (`texts`), each read once, when first
 * asked; `undefined` for a page whose text is not known. A page that cannot be read is titled from
 * its file name, as the page would be if it could.
 */
export function pageTitleReader(texts: (page: string) => string | undefined): (page: string) => string | undefined {
  const titles = new Map<string, string | undefined>();
  return (page) => {
    if (!titles.has(page)) {
      const text = texts(page);
      let title: string | undefined;
      try {
        title = text === undefined ? undefined : readPageInfo(text, page).title;
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        title = titleFromPath(page);
      }
      titles.set(page, title);
    }
    return titles.get(page);
  };
}
