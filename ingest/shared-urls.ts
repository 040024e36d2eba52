/**
 * Pages whose files give them one URL: `guide.md` and `guide/index.md` at `/guide/`, `a.md` and
 * `a.mdx` at `/a/`. The docs site can serve only one of them there, the one links to that URL open
 * (`sharedUrls()` of `page-links.ts`), so links to the others and their citations open it instead.
 * Ingest warns on every such page, naming the others and the page served.
 */
import { sharedUrls } from './page-links';
import { andList } from './format';
import type { IngestIssue } from './types';
import { documentUrl } from './urls';

/**
 * A warning on each page that shares its URL with other pages by its file's path, naming them and
 * the page the docs site serves there. `baseUrl` as {@link documentUrl} takes it. Sorted by path.
 */
export function sharedUrlWarnings(pages: ReadonlySet<string>, baseUrl = '/'): IngestIssue[] {
  const warnings: IngestIssue[] = [];
  for (const { pages: sharing, served } of sharedUrls(pages)) {
    const url = documentUrl(served, baseUrl);
    for (const page of sharing) {
      const others = sharing.filter((p) => p !== page);
      const outcome =
        page === served
          ? `the docs site serves this page there, so links to ${others.length === 1 ? 'the other page and its citations' : 'the others and their citations'} open this page`
          : `the docs site serves ${served} there, never this page, so links to this page and its citations open ${served}`;
      warnings.push({ path: page, line: null, message: `has the same URL as ${andList(others)} (${url}): ${outcome}. Rename one of them.` });
    }
  }
  return warnings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
