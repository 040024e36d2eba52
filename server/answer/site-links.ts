/**
 * Checks the site-relative links a model writes (`[the guide](/guides/x/#y)`) while its answer
 * streams: a link to a page that is not indexed (a path the model made up) is shown as its text,
 * without the link. Links to other sites, `#anchors` and links inside code are left alone (the
 * widget opens other sites in a new tab, `rel="noopener noreferrer nofollow"`).
 *
 * Text is held back from a `[` only until it is clear whether it is such a link (a link's text
 * and URL are short), so the stream stays live.
 */
import { createMarkdownLocator } from './markdown-place';

export interface SiteLinkFilter {
  /** Feeds a text delta; resolves to the text that is safe to show now. */
  push(delta: string): Promise<string>;
  /** Ends the text; resolves to whatever was still held back. */
  flush(): Promise<string>;
}

/** Longest link (text and URL) held back; past it, the `[` is plain text. */
const MAX_LINK_CHARS = 400;

type Found = { end: number; text: string; url: string } | 'partial' | undefined;

/** The inline link `[text](url "title")` at `i` of `s`; `partial` when `s` ends before it could. */
function linkAt(s: string, i: number): Found {
  let depth = 0;
  let j = i;
  for (; j < s.length; j++) {
    const c = s[j];
    if (j - i > MAX_LINK_CHARS || (c === '\n' && s[j + 1] === '\n')) return undefined;
    if (c === '\\') j++;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) break;
  }
  if (j + 1 >= s.length) return 'partial';
  if (s[j + 1] !== '(') return undefined;
  let parens = 0;
  let k = j + 1;
  for (; k < s.length; k++) {
    const c = s[k];
    if (k - i > MAX_LINK_CHARS || c === '\n') return undefined;
    if (c === '\\') k++;
    else if (c === '(') parens++;
    else if (c === ')' && --parens === 0) break;
  }
  if (k >= s.length) return 'partial';
  const inside = s.slice(j + 2, k).trim();
  const url = inside.startsWith('<') ? inside.slice(1, inside.indexOf('>')) : (inside.split(/\s/)[0] ?? '');
  return { end: k + 1, text: s.slice(i + 1, j), url };
}

/** The page path of a site-relative URL (`/guides/x/#y` → `/guides/x/`); undefined for any other URL. */
export function sitePagePath(url: string): string | undefined {
  if (!/^\/(?!\/)/.test(url)) return undefined;
  return url.replace(/[?#].*$/, '') || '/';
}

/** The page paths of the site-relative links in markdown `text` (`[x](/guides/y/#z)` → `/guides/y/`). */
export function siteLinkPaths(text: string): string[] {
  return [...text.matchAll(/\]\(\s*<?(\/(?!\/)[^\s)>]*)/g)].map((m) => sitePagePath(m[1]!)!);
}

/**
 * Creates a filter; `pageExists` tells whether a page path (`/guides/x/`, as the model wrote it:
 * with or without its trailing slash) is an indexed page.
 */
export function createSiteLinkFilter(pageExists: (path: string) => Promise<boolean>): SiteLinkFilter {
  const locator = createMarkdownLocator();
  let consumed = '';
  let pending = '';

  const scan = async (final: boolean): Promise<string> => {
    const s = pending;
    let out = '';
    let i = 0;
    while (i < s.length) {
      const open = s.indexOf('[', i);
      if (open === -1) {
        out += s.slice(i);
        i = s.length;
        break;
      }
      out += s.slice(i, open);
      i = open;
      const found = linkAt(s, i);
      if (found === 'partial' && !final) break;
      const image = (i > 0 ? s[i - 1] : consumed.at(-1)) === '!';
      const path = found && found !== 'partial' && !image ? sitePagePath(found.url) : undefined;
      if (!path || found === 'partial' || found === undefined) {
        out += '[';
        i++;
        continue;
      }
      const inCode = locator.at(consumed + s.slice(0, found.end), consumed.length + i) === 'code';
      out += inCode || (await pageExists(path)) ? s.slice(i, found.end) : found.text;
      i = found.end;
    }
    consumed += s.slice(0, i);
    pending = s.slice(i);
    return out;
  };

  return {
    push(delta) {
      pending += delta;
      return scan(false);
    },
    flush() {
      return scan(true);
    },
  };
}
