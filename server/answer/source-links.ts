/**
 * A source's markdown with its links pointed where they lead on the source's own page, so they
 * still lead there when the text is shown elsewhere: quoted in an answer in the widget on another
 * docs page or on another site, or in the terminal.
 *
 * Ingest points links to another page at that page's URL (`ingest/page-links.ts`), but leaves
 * the rest as written: a same-page `#anchor`, and relative links to no page (`./faq.md` when there
 * is none, `../img/a.png`). Shown on another page, they resolve against that page. Reference
 * links (`[text][ref]`) have lost their definition at ingest (definitions are not text), and
 * `[text][1]` reads as a citation of source 1: they become their text.
 *
 * A link to a file the docs site publishes (`./spec.pdf` of `guides/page.md`: the site serves it
 * at `/_docent/files/content/guides/spec.pdf`) leads there instead, when the caller knows where
 * the site serves it ({@link SourceFileUrl}, `site-files.ts`): resolved against the page's URL, it
 * led nowhere (`/guides/page/spec.pdf`).
 */

/**
 * Where the docs site serves the file the link `href` of the page `page` names, or `undefined`
 * when it serves none there (the link is then resolved against the page's URL).
 */
export type SourceFileUrl = (href: string, page: { source: string; path: string }) => string | undefined;

/** A scheme (`https:`, `mailto:`): the link is already absolute. */
const SCHEME = /^[a-z][a-z\d+.-]*:/i;

/**
 * `href` as written on the page at `pageUrl` (a source's URL, site-relative as `/guides/x/#h` or
 * absolute), resolved as a browser resolves it there: same-page anchors and relative paths get
 * the page's path, absolute URLs and (with a site-relative page) site-absolute paths are kept.
 */
export function resolveSourceLink(href: string, pageUrl: string): string {
  if (href === '' || href.startsWith('//') || SCHEME.test(href)) return href;
  if (href.startsWith('#')) return `${pageUrl.replace(/#.*$/, '')}${href}`;
  const absolutePage = SCHEME.test(pageUrl);
  if (href.startsWith('/') && !absolutePage) return href;
  try {
    const url = new URL(href, absolutePage ? pageUrl : new URL(pageUrl, 'http://site.invalid'));
    return absolutePage ? url.href : `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return href;
  }
}

/** Fenced code blocks (closed or running to the end) and code spans (within a paragraph): their text is never a link. */
const CODE = /^[ \t]*(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^[ \t]*\1[ \t]*$|(?![\s\S]))|(?<!`)(`+)(?!`)(?:[^\n]|\n(?![ \t]*\n))*?(?<!`)\2(?!`)/gm;
/** The target of an inline link or image: `](target` or `](<target>`. */
const INLINE_TARGET = /(\]\(\s*)(?:<([^>\n]*)>|([^\s)]+))/g;
/** A full or collapsed reference link (`[text][ref]`, `[text][]`), not an index (`a[i][j]`). */
const REFERENCE_LINK = /(?<![\w\]\\!])\[([^\][\n]+)\]\[[^\][\n]*\](?![(:[])/g;

/**
 * `markdown` (a source's text, or a passage of it) with each inline link's and image's target
 * resolved against `pageUrl` ({@link resolveSourceLink}), or pointed at the file it names where
 * `fileUrl` says the docs site serves it, and reference links reduced to their text. Code is left
 * as written.
 */
export function resolveSourceLinks(markdown: string, pageUrl: string, fileUrl?: (href: string) => string | undefined): string {
  const resolveLink = (href: string) => fileUrl?.(href) ?? resolveSourceLink(href, pageUrl);
  let out = '';
  let at = 0;
  for (const code of markdown.matchAll(CODE)) {
    out += resolveProse(markdown.slice(at, code.index), resolveLink) + code[0];
    at = code.index + code[0].length;
  }
  return out + resolveProse(markdown.slice(at), resolveLink);
}

/**
 * The text of `source` (or `text`, a passage of it) with its links resolved
 * ({@link resolveSourceLinks}), files it links to pointed where `fileUrl` says the site serves them.
 */
export function resolveLinksOf(source: { url: string; source: string; path: string; text: string }, fileUrl?: SourceFileUrl, text = source.text): string {
  return resolveSourceLinks(text, source.url, fileUrl && ((href) => fileUrl(href, source)));
}

function resolveProse(text: string, resolveLink: (href: string) => string): string {
  return text
    .replace(INLINE_TARGET, (_, open: string, bracketed: string | undefined, bare: string | undefined) =>
      bracketed !== undefined ? `${open}<${resolveLink(bracketed)}>` : `${open}${resolveLink(bare!)}`,
    )
    .replace(REFERENCE_LINK, '$1');
}
