/**
 * A remark plugin for the docs site: a link to a file of the content folder that is not a page
 * (`[the spec](./spec.pdf)`, `[examples](../files/examples.zip)`, or from the site root,
 * `[logo](/img/logo.svg)`, looked up as images are: in the content folder, then in a Docusaurus
 * `static/` folder inside or beside it) points at the file, published under `/_docent/files/`
 * (`published-images.ts`), its `#fragment` kept (`./spec.pdf#page=3`). Astro copies only pages and
 * images into the site, so such a link, as written, was a 404 (MkDocs and Docusaurus publish these
 * files). So does an `<a href>` in a markdown page's raw HTML (`<a href="./spec.pdf">`, alone or in
 * other HTML such as `<p align="center">…</p>`) and a JSX `<a href>` of an MDX page, its `href` a
 * string or written as Docusaurus writes it (`href={require('./spec.pdf').default}`,
 * `href={useBaseUrl('/files/spec.pdf')}`): Astro leaves both as written.
 *
 * It runs after `remark-page-links.ts`, which points links to pages at their URLs. Links to the
 * web, to no file, to a page's source (`./draft.md`: a draft or a left-out page) and to a hidden
 * file (`./.env`) are left as written.
 */
import { statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { Nodes, Root } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import { type HtmlTag, htmlAttribute, htmlTags, jsxUrlExpression } from './page-images';
import { publishedFileUrl } from './published-images';

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Where the site serves the file the link `url` of the page `pageFile` (absolute) names, its
 * fragment kept; `undefined` when the site publishes no such file (see the module comment).
 */
export function linkedFileUrl(url: string, pageFile: string, root: string): string | undefined {
  if (url === '' || url.startsWith('#') || url.startsWith('//') || /^[a-z][a-z\d+.-]*:/i.test(url)) return undefined;
  const fragment = /#.*$/.exec(url)?.[0] ?? '';
  let path = url.replace(/[?#].*$/, '');
  if (path === '' || path.endsWith('/')) return undefined;
  try {
    path = decodeURI(path);
  } catch {
    /* read as written */
  }
  let file: string | undefined;
  if (path.startsWith('/')) {
    file = [root, join(root, 'static'), join(dirname(root), 'static')]
      .map((folder) => ({ folder, file: join(folder, path) }))
      .find(({ folder, file }) => file.startsWith(folder + sep) && isFile(file))?.file;
  } else {
    file = resolve(dirname(pageFile), path);
    if (!isFile(file)) file = undefined;
  }
  const published = file && publishedFileUrl(file, root);
  return published ? `${published}${fragment}` : undefined;
}

type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;

/** The `href` of a JSX `<a>` of an MDX page, when it names a path ({@link jsxUrlExpression}); `undefined` otherwise. */
function jsxHref(node: Nodes | JsxElement): string | undefined {
  if ((node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') || node.name !== 'a') return undefined;
  const href = node.attributes.find((attribute) => attribute.type === 'mdxJsxAttribute' && attribute.name === 'href');
  if (!href || href.type !== 'mdxJsxAttribute' || href.value == null) return undefined;
  return typeof href.value === 'string' ? href.value : jsxUrlExpression(href.value.value);
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

export function remarkFileLinks() {
  return (tree: Root, file: { path?: string }) => {
    const root = process.env.DOCENT_CONTENT_ROOT;
    if (!root || !file.path) return;
    const pageFile = file.path;
    const visit = (node: Root | Root['children'][number]): void => {
      if ((node.type === 'link' || node.type === 'definition') && typeof node.url === 'string') {
        const url = linkedFileUrl(node.url, pageFile, root);
        if (url !== undefined) node.url = url;
      } else if (node.type === 'html') {
        let html = '';
        let at = 0;
        for (const tag of htmlTags(node.value, ['a'])) {
          const href = htmlAttribute(tag, 'href');
          const url = href === undefined ? undefined : linkedFileUrl(href, pageFile, root);
          if (url === undefined) continue;
          html += node.value.slice(at, tag.start) + withHref(tag, url);
          at = tag.end;
        }
        if (at > 0) node.value = html + node.value.slice(at);
      } else {
        const href = jsxHref(node);
        const url = href === undefined ? undefined : linkedFileUrl(href, pageFile, root);
        if (url !== undefined) {
          const element = node as JsxElement;
          element.attributes = element.attributes.map((attribute) => (attribute.type === 'mdxJsxAttribute' && attribute.name === 'href' ? { type: 'mdxJsxAttribute', name: 'href', value: url } : attribute));
        }
      }
      if ('children' in node) for (const child of node.children) visit(child as Root['children'][number]);
    };
    visit(tree);
  };
}
