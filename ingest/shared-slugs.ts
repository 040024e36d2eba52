/**
 * Pages that claim one URL through their Docusaurus frontmatter: two pages with the same
 * `slug: /install`, or a `slug:` (or `id:`) naming the URL another page has by its file's path
 * (`slug: /install` beside `install.md`). Links written to that URL (`/docs/install`) can open only
 * one of them: the page there by its path, else none, as `pageLinkUrl()` reads them in chunks and
 * on the docs site (`page-links.ts`). Docusaurus itself stops on such duplicate routes; Docent
 * picked one without a word. Ingest warns on every page of such a claim, naming the others.
 */
import { frontmatterBlock } from './frontmatter-block';
import { andList } from './format';
import { type DocusaurusClaim, docusaurusClaim, pageAtPath } from './page-links';
import type { IngestIssue } from './types';
import { documentUrl } from './urls';

/** One page's claim on a URL: by its frontmatter (`slug:`, `id:`), or by its file's path. */
interface Claim {
  page: string;
  /** The frontmatter field and its line in the page; none for a claim by the file's path. */
  frontmatter?: DocusaurusClaim & { line: number | null };
}

/**
 * A warning on each page of every URL that more than one page claims, a frontmatter `slug:` or
 * `id:` being one of the claims ({@link docusaurusClaim}), naming the other pages and which of
 * them links to that URL open. `sources` gives each page's text; `pages` are all the pages (as
 * links find them); `baseUrl` as {@link documentUrl} takes it. Sorted by path.
 */
export function sharedSlugWarnings(
  sources: Iterable<readonly [page: string, source: string]>,
  pages: ReadonlySet<string>,
  baseUrl = '/',
): IngestIssue[] {
  const claimsByPath = new Map<string, Claim[]>();
  for (const [page, source] of sources) {
    const claim = docusaurusClaim(page, source);
    if (!claim) continue;
    const claims = claimsByPath.get(claim.path) ?? [];
    claims.push({ page, frontmatter: { ...claim, line: fieldLine(source, claim.field) } });
    claimsByPath.set(claim.path, claims);
  }
  // The slugs links find, as `docusaurusPaths()` gives them: the paths only one page claims.
  const slugs = new Map([...claimsByPath].filter(([, claims]) => claims.length === 1).map(([path, [claim]]) => [path, claim!.page]));
  const warnings: IngestIssue[] = [];
  for (const [path, frontmatterClaims] of claimsByPath) {
    const byFile = pageAtPath(path, pages);
    const claims = byFile === undefined || frontmatterClaims.some((c) => c.page === byFile) ? frontmatterClaims : [{ page: byFile }, ...frontmatterClaims];
    if (claims.length < 2) continue;
    const opened = pageAtPath(path, pages, slugs);
    const url = documentUrl(path === '' ? 'index.md' : `${path}.md`, baseUrl);
    for (const claim of claims) {
      const others = claims.filter((c) => c !== claim);
      const outcome =
        opened === claim.page
          ? `this page, never ${andList(others.map((c) => c.page))}`
          : opened !== undefined
            ? `${opened}, never this page`
            : `${others.length === 1 ? 'neither page' : 'none of these pages'} (they are left as written, and lead nowhere)`;
      // At the docs' root, the page there by its file is the home page, as retrieval finds it too (`server/retrieval/home-pages.ts`).
      const home =
        path === '' && byFile !== undefined && opened === byFile
          ? `; ${opened === claim.page ? 'this page' : opened} is the home page (the docs site serves it at ${url}, and answers to "What is …?" start from it)`
          : '';
      warnings.push({
        path: claim.page,
        line: claim.frontmatter?.line ?? null,
        message:
          `claims the URL ${url} (${how(claim)}), as ${andList(others.map((c) => `${c.page} (${how(c)})`))} ${others.length === 1 ? 'does' : 'do'}: ` +
          `links to ${url} open ${outcome}${home}. Give each page its own URL: change a slug, or rename a file.`,
      });
    }
  }
  return warnings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** How a page claims a URL: `slug: /install`, `id: tutorial`, or `its file's path`. */
const how = (claim: Claim) => (claim.frontmatter ? `${claim.frontmatter.field}: ${claim.frontmatter.value}` : "its file's path");

/** The 1-based line of the frontmatter field `field` (`slug: …`, TOML's `slug = …`) in the page, if found. */
function fieldLine(source: string, field: string): number | null {
  const block = frontmatterBlock(source);
  if (!block) return null;
  const lines = source.slice(block.start, block.end).split(/\r?\n/);
  const at = lines.findIndex((line, i) => i > 0 && new RegExp(`^["']?${field}["']?[ \\t]*[:=]`).test(line));
  return at < 0 ? null : at + 1;
}
