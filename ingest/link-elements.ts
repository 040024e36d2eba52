/**
 * Links written as HTML or JSX rather than markdown: an `<a href>` in a markdown page's raw HTML;
 * in an MDX page a JSX `<a href>`, or Docusaurus' `<Link to>` (or `<Link href>`) imported from
 * `@docusaurus/Link`. Ingest keeps each as a markdown link in the chunk's text
 * (`[the Hono docs](https://hono.dev/docs)`), as it keeps links written in markdown, so an answer
 * can quote it; the docs site renders them as links and points them where they lead by the same
 * rules (`site/src/lib/link-elements.ts`).
 */
import type { JsxNode } from './jsx-nodes';
import { type HtmlTag, htmlAttribute, htmlTags } from './html-tags';

/** A JSX attribute's expression that names a path: a string, `useBaseUrl('…')`, `require('…').default` (webpack loader prefixes dropped). */
const JSX_URL_EXPRESSION = /^\s*(?:(['"])([^'"]*)\1|useBaseUrl\(\s*(['"])([^'"]*)\3\s*\)|require\(\s*(['"])(?:[^'"]*!)?([^'"!]*)\5\s*\)\.default)\s*$/;

/**
 * The path a JSX attribute's expression names (`'./a.png'`, `useBaseUrl('/files/a.pdf')`,
 * `require('./a.pdf').default`), or `undefined` for any other expression (a variable, a template).
 */
export function jsxUrlExpression(expression: string): string | undefined {
  const match = JSX_URL_EXPRESSION.exec(expression);
  return match ? (match[2] ?? match[4] ?? match[6]) : undefined;
}

/** The names an MDX page's ESM (`code`) imports Docusaurus' `<Link>` as: the default import of `@docusaurus/Link` (`Link`). */
export function docusaurusLinkImports(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/^import\s+([A-Za-z_$][\w$]*)\s*(?:,[^'"]*)?\s+from\s+(['"])@docusaurus\/Link\2/gm)) names.add(m[1]!);
  return names;
}

/** A JSX link's target: the attribute that holds it (`href`, or a `<Link>`'s `to`) and the path it names. */
export interface JsxLinkTarget {
  attribute: string;
  url: string;
}

/**
 * The target of a JSX `<a href>`, or of a `<Link to>` / `<Link href>` when its name is one of
 * `linkNames` (Docusaurus' `to` first, as it reads them), when it names a path; else `undefined`.
 */
export function jsxLinkTarget(node: JsxNode, linkNames: ReadonlySet<string>): JsxLinkTarget | undefined {
  if (node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') return undefined;
  const names = node.name === 'a' ? ['href'] : node.name && linkNames.has(node.name) ? ['to', 'href'] : [];
  for (const name of names) {
    const attribute = node.attributes?.find((a) => a.type === 'mdxJsxAttribute' && a.name === name);
    if (!attribute || attribute.value == null) continue;
    const value = attribute.value as string | { value?: unknown };
    const url = typeof value === 'string' ? value : typeof value.value === 'string' ? jsxUrlExpression(value.value) : undefined;
    return url === undefined ? undefined : { attribute: name, url };
  }
  return undefined;
}

/**
 * Whether `node` is a link element, {@link jsxLinkTarget} or not: a JSX `<a>`, or a `<Link>` named
 * in `linkNames`. Its `title` is a tooltip, not text of the page.
 */
export function isJsxLinkElement(node: JsxNode, linkNames: ReadonlySet<string>): boolean {
  return (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && (node.name === 'a' || (!!node.name && linkNames.has(node.name)));
}

/** The `href` of `html` when it is exactly one `<a>` start tag (an inline HTML node of a markdown paragraph: `<a href="…">`). */
export function htmlLinkOpening(html: string): string | undefined {
  const tags = htmlTags(html, ['a']);
  const tag = tags.length === 1 ? tags[0]! : undefined;
  return tag && tag.start === 0 && tag.end === html.trimEnd().length ? htmlAttribute(tag, 'href') : undefined;
}

/** Whether `html` is an `</a>` end tag. */
export const isHtmlLinkClosing = (html: string): boolean => /^<\/a\s*>$/i.test(html.trim());

/**
 * `html` (a raw HTML block of a markdown page) with each `<a href="…">text</a>` written as the
 * markdown link {@link markdownLink} makes of its text (`text` reduces HTML to text) and the URL
 * `url` gives for its href. Links in comments, without an `href`, or not closed are left as they are.
 */
export function htmlLinksAsMarkdown(html: string, url: (href: string) => string | undefined, text: (html: string) => string): string {
  let out = '';
  let at = 0;
  const tags: HtmlTag[] = htmlTags(html, ['a']);
  for (const [i, tag] of tags.entries()) {
    if (tag.start < at) continue;
    const href = htmlAttribute(tag, 'href');
    const close = /<\/a\s*>/i.exec(html.slice(tag.end));
    const closeAt = close ? tag.end + close.index : -1;
    // Not closed before the next link starts: left as it is.
    if (href === undefined || !close || (tags[i + 1] && tags[i + 1]!.start < closeAt)) continue;
    const target = url(href);
    if (target === undefined) continue;
    out += html.slice(at, tag.start) + markdownLink(text(html.slice(tag.end, closeAt)), target);
    at = closeAt + close[0].length;
  }
  return at === 0 ? html : out + html.slice(at);
}

/**
 * Whether an HTML or JSX link's `href` is kept as a link: not empty, and not a script
 * (`javascript:`, `vbscript:`) or inline data (`data:`), which the chat would not open.
 */
export function isKeptLinkHref(href: string): boolean {
  return href.trim() !== '' && !/^\s*(javascript|vbscript|data):/i.test(href);
}

/**
 * The markdown link `[text](url)`, its text on one line (spaces collapsed); `''` when the text is
 * empty (a link around an image only, as badges are: nothing to quote), the text alone when it is
 * the URL (`<a href="https://x.dev">https://x.dev</a>`, quoted as it is). Spaces, parentheses and
 * angle brackets in the URL are percent-encoded, so the link stays one link.
 */
export function markdownLink(text: string, url: string): string {
  const words = text.replace(/\s+/g, ' ').trim();
  if (words === '' || words === url) return words;
  const target = url.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${words}](${target})`;
}
