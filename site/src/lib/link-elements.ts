/**
 * The links of a page written as HTML or JSX rather than markdown, for the remark plugins that
 * point links where they lead (`remark-page-links.ts`, `remark-file-links.ts`): an `<a href>` start
 * tag in a markdown page's raw HTML; in an MDX page a JSX `<a href>`, or Docusaurus' `<Link to>`
 * (or `<Link href>`) imported from `@docusaurus/Link`, which the site renders as an `<a>`
 * (`components/DocusaurusLink.astro`). A JSX target may be a string or written as Docusaurus writes
 * paths (`require('./spec.pdf').default`, `useBaseUrl('/docs/intro')`: `jsxUrlExpression()`).
 */
import type { Root } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import { type HtmlTag, htmlAttribute, htmlTags } from '../../../ingest/html-tags';
import { type JsxLinkTarget, jsxLinkTarget } from '../../../ingest/link-elements';
import { docusaurusLinkNames } from './mdx-imports';

// Which elements are links, and their targets, by ingest's rules: ingest keeps them as markdown links.
export { type JsxLinkTarget, jsxLinkTarget };

type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;

/** The names the page (its syntax tree) binds to Docusaurus' `<Link>` ({@link docusaurusLinkNames}). */
export function linkComponentNames(tree: Root): Set<string> {
  const esm = tree.children.flatMap((node) => ((node.type as string) === 'mdxjsEsm' ? [(node as unknown as { value: string }).value] : []));
  return esm.length === 0 ? new Set() : docusaurusLinkNames(esm.join('\n'));
}

/** Sets the attribute {@link jsxLinkTarget} found to the string `url`. */
export function setJsxLinkTarget(node: JsxElement, target: JsxLinkTarget, url: string): void {
  node.attributes = node.attributes.map((a) => (a.type === 'mdxJsxAttribute' && a.name === target.attribute ? { type: 'mdxJsxAttribute', name: target.attribute, value: url } : a));
}

/**
 * `html` (a raw HTML node's text) with the `href` of each `<a>` start tag replaced by what
 * `pointed` gives for it (other attributes kept; tags in comments left alone), or as it was where
 * `pointed` gives `undefined`.
 */
export function withHtmlHrefs(html: string, pointed: (href: string, tag: HtmlTag) => string | undefined): string {
  let out = '';
  let at = 0;
  for (const tag of htmlTags(html, ['a'])) {
    const href = htmlAttribute(tag, 'href');
    const url = href === undefined ? undefined : pointed(href, tag);
    if (url === undefined) continue;
    out += html.slice(at, tag.start) + withHref(tag, url);
    at = tag.end;
  }
  return at === 0 ? html : out + html.slice(at);
}

/** An HTML start tag as written again, its `href` set to `href`. */
function withHref(tag: HtmlTag, href: string): string {
  const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  const attributes = tag.attributes.map(([name, value]) => {
    const set = name === 'href' ? href : value;
    return set === null ? name : `${name}="${escape(set)}"`;
  });
  return `<${tag.name}${attributes.map((a) => ` ${a}`).join('')}>`;
}
