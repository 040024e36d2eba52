/**
 * A remark plugin for the docs site: an image the site cannot show (its file is missing, as in
 * docs copied without their `resources/`; or it is not an image Astro can read: a Git LFS pointer,
 * a damaged file, a link to a text file) is shown as its alt text instead of stopping the whole
 * site build. Astro imports every local image a page shows, and one it cannot find or read failed
 * the build ("Could not find requested image", "NoImageMetadata"), naming no page.
 *
 * A path from the site root (`![Logo](/img/logo.png)`, as Docusaurus docs write it) is pointed at
 * the file it names in the content folder or in a Docusaurus `static/` folder (`page-images.ts`),
 * so Astro copies it into the site like any other image. Web images (`https:`, `//`, `data:`) and
 * files of `site/public` are left as written. It runs before Astro collects a page's images.
 *
 * A JSX `<img>` of an MDX page (`<img src="/img/logo.png" width="200" />`, `src={useBaseUrl(…)}`,
 * `src={require('./logo.png').default}`: `jsxImageSource`) is found the same way, and points at its
 * file through an import (its other attributes kept), which Astro copies as it copies the others:
 * Astro leaves a JSX `<img>` as written, and the file it names is not on the site.
 *
 * In a markdown page, an HTML `<img>` (`<img src="/img/logo.png" width="200">`, alone or in other
 * HTML such as `<p align="center">…</p>`) is found the same way, and becomes a markdown image with
 * its other attributes (so Astro copies its file as it copies the others); the HTML around it stays
 * as written. Astro leaves raw HTML as written, and its `src` pointed at nothing on the site.
 *
 * Each image of a `srcset` (`<img src="a.png" srcset="a.png 1x, a@2x.png 2x">`, `<source srcset>`
 * in a `<picture>`) is found the same way and published (`published-images.ts`), as is the `src`
 * of an `<img>` with a `srcset`, which stays HTML (Astro drops the `srcset` of a markdown image);
 * one the site cannot show (also a file outside the content folder, which is not published) is left
 * out of the `srcset` with the same notice, and a `<source>` left with none is removed. In MDX, so
 * is each image of a JSX `<img>` or `<source>` `srcSet` (React's name) or `srcset`: the JSX `src`
 * is imported as above.
 *
 * A JSX `<img>` whose `src` is an import the site cannot resolve (`import diagram from
 * './diagram.png'`, a file that is not there: `src={diagram}`, `src={diagram.src}`) is shown as its
 * alt text too; the import's notice names the file (`mdx-imports.ts`).
 *
 * The build's notice naming the page and line is printed by the content loader on every build
 * (`docs-loader.ts`); this prints one only for an image the loader did not see (one in a file a
 * page includes).
 */
import { dirname, relative, sep } from 'node:path';
import type { Definition, Html, Image, ImageReference, Parent, PhrasingContent, Root, RootContent } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import type { MdxjsEsm } from 'mdast-util-mdxjs-esm';
import { standInValueNames } from './mdx-imports';
import { checkImage, checkPublishedImage, type HtmlImage, htmlAttribute, htmlImages, imageNotice, jsxImageSource, jsxSrcset, reportImage, type SrcsetCandidate, srcsetCandidates, srcsetValue } from './page-images';

type JsxImage = MdxJsxFlowElement | MdxJsxTextElement;

export function remarkMissingImages() {
  return async (tree: Root, file: { path?: string }) => {
    if (!file.path) return;
    const pageFile = file.path;
    const root = process.env.DOCENT_CONTENT_ROOT;
    const page = root ? relative(root, pageFile).split(sep).join('/') : pageFile;
    const definitions = new Map<string, Definition>();
    const images: { node: Image | ImageReference; parent: Parent; url: string }[] = [];
    const jsxImages: { node: JsxImage; parent: Parent; url: string }[] = [];
    const jsxSrcsets: { node: JsxImage; parent: Parent }[] = [];
    const htmlNodes: { node: Html; parent: Parent }[] = [];
    const collect = (parent: Parent, definitionsOnly: boolean): void => {
      for (const node of parent.children) {
        if (definitionsOnly && node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node);
        if (!definitionsOnly && node.type === 'image') images.push({ node, parent, url: node.url });
        if (!definitionsOnly && node.type === 'imageReference') {
          const definition = definitions.get(node.identifier);
          if (definition) images.push({ node, parent, url: definition.url });
        }
        if (!definitionsOnly && node.type === 'html' && htmlImages(node.value, { sources: true }).length > 0) htmlNodes.push({ node, parent });
        const jsxUrl = definitionsOnly ? undefined : jsxImageSource(node);
        if (jsxUrl !== undefined) jsxImages.push({ node: node as JsxImage, parent, url: jsxUrl });
        if (!definitionsOnly && jsxSrcset(node) !== undefined) jsxSrcsets.push({ node: node as JsxImage, parent });
        if ('children' in node) collect(node as Parent, definitionsOnly);
      }
    };
    collect(tree, true);
    collect(tree, false);
    // An <img> of an import the site cannot resolve (its stand-in is no image): its alt text.
    const esm = tree.children.flatMap((node) => (node.type === 'mdxjsEsm' ? [node.value] : []));
    const missingImports = standInValueNames(esm.join('\n'));
    if (missingImports.size > 0) {
      const unresolved: { node: JsxImage; parent: Parent; name: string }[] = [];
      const find = (parent: Parent): void => {
        for (const node of parent.children) {
          const name = jsxImageImport(node);
          if (name !== undefined && missingImports.has(name)) unresolved.push({ node: node as JsxImage, parent, name });
          if ('children' in node) find(node as Parent);
        }
      };
      find(tree);
      for (const { node, parent, name } of unresolved) {
        const i = parent.children.indexOf(node as RootContent);
        const text = jsxAltText(node, name);
        if (i >= 0) parent.children[i] = (node.type === 'mdxJsxFlowElement' ? { type: 'paragraph', children: [text], position: node.position } : text) as RootContent;
      }
    }
    for (const { node, parent, url } of images) {
      const check = await checkImage(url, pageFile);
      const i = parent.children.indexOf(node as RootContent);
      if (i < 0) continue;
      if (check.kind === 'ok' && check.url !== undefined) {
        // A path from the site root, found: the page points at the file, which Astro copies.
        parent.children[i] = { type: 'image', url: check.url, alt: node.alt, title: node.type === 'image' ? node.title : definitions.get(node.identifier)?.title, position: node.position } as RootContent;
      } else if (check.kind === 'missing' || check.kind === 'unreadable') {
        parent.children[i] = altText(node, url);
        reportImage(page, url, imageNotice(page, node.position?.start.line, url, check)!);
      }
    }
    const imports: MdxjsEsm[] = [];
    for (const { node, parent, url } of jsxImages) {
      const check = await checkImage(url, pageFile);
      if (check.kind === 'ok') {
        const name = `__docentImage${imports.length}`;
        const specifier = relative(dirname(pageFile), check.file).split(sep).join('/');
        imports.push(importDefault(name, specifier.startsWith('.') ? specifier : `./${specifier}`));
        node.attributes = node.attributes.map((attribute) => (attribute.type === 'mdxJsxAttribute' && attribute.name === 'src' ? srcOf(name) : attribute));
      } else if (check.kind === 'missing' || check.kind === 'unreadable') {
        const i = parent.children.indexOf(node as RootContent);
        if (i < 0) continue;
        const text = jsxAltText(node, url);
        parent.children[i] = (node.type === 'mdxJsxFlowElement' ? { type: 'paragraph', children: [text], position: node.position } : text) as RootContent;
        reportImage(page, url, imageNotice(page, node.position?.start.line, url, check)!);
      }
    }
    for (const { node, parent } of jsxSrcsets) {
      const i = parent.children.indexOf(node as RootContent);
      if (i < 0) continue; // an <img> shown as its alt text
      const srcset = jsxSrcset(node)!;
      const candidates = await resolvedSrcset(srcset.value, pageFile, page, node.position?.start.line);
      if (candidates.length === 0 && node.name === 'source') {
        parent.children.splice(i, 1);
        continue;
      }
      node.attributes = node.attributes.flatMap((attribute) => {
        if (attribute.type !== 'mdxJsxAttribute' || attribute.name !== srcset.name) return [attribute];
        return candidates.length === 0 ? [] : [{ type: 'mdxJsxAttribute', name: srcset.name, value: srcsetValue(candidates) }];
      });
    }
    for (const { node, parent } of htmlNodes) {
      const pieces: RootContent[] = [];
      let at = 0;
      for (const image of htmlImages(node.value, { sources: true })) {
        const url = image.name === 'img' ? htmlAttribute(image, 'src') : undefined;
        const srcset = htmlAttribute(image, 'srcset');
        if (url === undefined && srcset === undefined) continue;
        const check = url === undefined ? undefined : await (srcset === undefined ? checkImage : checkPublishedImage)(url, pageFile);
        const line = node.position ? node.position.start.line + (node.value.slice(0, image.start).match(/\n/g)?.length ?? 0) : undefined;
        let replacement: RootContent | PhrasingContent;
        if (url !== undefined && (check?.kind === 'missing' || check?.kind === 'unreadable')) {
          replacement = htmlAltText(image, url);
          reportImage(page, url, imageNotice(page, line, url, check)!);
        } else if (srcset !== undefined) {
          // Astro would drop a srcset of the markdown image it makes: the tag stays HTML, its images published.
          const candidates = await resolvedSrcset(srcset, pageFile, page, line);
          const src = check?.kind === 'ok' ? check.url : url;
          replacement = { type: 'html', value: image.name === 'source' && candidates.length === 0 ? '' : htmlTag(image, { src, srcset: candidates.length ? srcsetValue(candidates) : undefined }) };
        } else if (check?.kind === 'ok') {
          replacement = htmlImageAsMarkdown(image, check.url ?? url!);
        } else continue;
        if (image.start > at) pieces.push({ type: 'html', value: node.value.slice(at, image.start) });
        at = image.end;
        pieces.push(replacement as RootContent);
      }
      if (pieces.length === 0) continue;
      if (at < node.value.length) pieces.push({ type: 'html', value: node.value.slice(at) });
      const i = parent.children.indexOf(node as RootContent);
      if (i >= 0) parent.children.splice(i, 1, ...(pieces as never[]));
    }
    tree.children.unshift(...imports);
  };
}

/**
 * The images of a `srcset` the site can show, each pointed at its file: a local one published
 * (`published-images.ts`), a web one as written. One it cannot show (missing, unreadable, outside
 * the folders images are published from) is left out, with the notice a missing `src` gets.
 */
async function resolvedSrcset(srcset: string, pageFile: string, page: string, line: number | undefined): Promise<SrcsetCandidate[]> {
  const kept: SrcsetCandidate[] = [];
  for (const candidate of srcsetCandidates(srcset)) {
    const check = await checkPublishedImage(candidate.url, pageFile);
    if (check.kind === 'as-written') kept.push(candidate);
    else if (check.kind === 'ok') kept.push({ ...candidate, url: check.url ?? candidate.url });
    else reportImage(page, candidate.url, imageNotice(page, line, candidate.url, check, { inSrcset: true })!);
  }
  return kept;
}

/** An HTML tag as written again, with `src` and `srcset` set to `values` (an undefined one left out). */
function htmlTag(image: HtmlImage, values: { src: string | undefined; srcset: string | undefined }): string {
  const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  const attributes = image.attributes.flatMap(([name, value]) => {
    const set = name === 'src' || name === 'srcset' ? values[name] : value;
    if ((name === 'src' || name === 'srcset') && set === undefined) return [];
    return [set === null ? name : `${name}="${escape(set!)}"`];
  });
  return `<${image.name}${attributes.map((a) => ` ${a}`).join('')}>`;
}

/** An HTML `<img>` as a markdown image of `url`, its other attributes kept (`class` as hast's `className`). */
function htmlImageAsMarkdown(image: HtmlImage, url: string): Image {
  const hProperties: Record<string, string> = {};
  for (const [name, value] of image.attributes) {
    if (name === 'src' || name === 'alt' || name === 'title') continue;
    hProperties[name === 'class' ? 'className' : name] = value ?? '';
  }
  return { type: 'image', url, alt: htmlAttribute(image, 'alt') ?? '', title: htmlAttribute(image, 'title') ?? null, data: { hProperties } };
}

/** What stands in for an HTML `<img>` the site cannot show: its `alt` text (else its file name), in italics. */
function htmlAltText(image: HtmlImage, url: string): PhrasingContent {
  const text = htmlAttribute(image, 'alt')?.trim() || url.replace(/[?#].*$/, '').split('/').pop() || url;
  return { type: 'emphasis', children: [{ type: 'text', value: `[${text}]` }] };
}

/** `import name from "specifier"`, as an MDX ESM node (MDX compiles its estree, not its text). */
function importDefault(name: string, specifier: string): MdxjsEsm {
  return {
    type: 'mdxjsEsm',
    value: `import ${name} from ${JSON.stringify(specifier)};`,
    data: {
      estree: moduleOf({
        type: 'ImportDeclaration',
        attributes: [],
        specifiers: [{ type: 'ImportDefaultSpecifier', local: { type: 'Identifier', name } }],
        source: { type: 'Literal', value: specifier, raw: JSON.stringify(specifier) },
      }),
    },
  };
}

/** The attribute `src={name.src}`: the URL of the image imported as `name` (Astro's image metadata). */
function srcOf(name: string): MdxJsxFlowElement['attributes'][number] {
  return {
    type: 'mdxJsxAttribute',
    name: 'src',
    value: {
      type: 'mdxJsxAttributeValueExpression',
      value: `${name}.src`,
      data: {
        estree: moduleOf({
          type: 'ExpressionStatement',
          expression: { type: 'MemberExpression', object: { type: 'Identifier', name }, property: { type: 'Identifier', name: 'src' }, computed: false, optional: false },
        }),
      },
    },
  };
}

/** The name whose value a JSX `<img>`'s `src` is (`src={diagram}`, `src={diagram.src}`, `src={diagram.default}`), if it is one. */
function jsxImageImport(node: RootContent | PhrasingContent): string | undefined {
  if ((node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') || node.name !== 'img') return undefined;
  const src = node.attributes.find((attribute) => attribute.type === 'mdxJsxAttribute' && attribute.name === 'src');
  if (!src || src.type !== 'mdxJsxAttribute' || src.value == null || typeof src.value === 'string') return undefined;
  return /^\s*([A-Za-z_$][\w$]*)(?:\.(?:src|default))?\s*$/.exec(src.value.value)?.[1];
}

/** What stands in for a JSX `<img>` the site cannot show: its `alt` text (else its file name), in italics. */
function jsxAltText(image: JsxImage, url: string): RootContent {
  const alt = image.attributes.find((attribute) => attribute.type === 'mdxJsxAttribute' && attribute.name === 'alt')?.value;
  const text = (typeof alt === 'string' ? alt.trim() : '') || url.replace(/[?#].*$/, '').split('/').pop() || url;
  return { type: 'emphasis', children: [{ type: 'text', value: `[${text}]` }], position: image.position };
}

/** What stands in for an image the site cannot show: its alt text (else its file name), in italics. */
function altText(image: Image | ImageReference, url: string): RootContent {
  const text = image.alt?.trim() || url.replace(/[?#].*$/, '').split('/').pop() || url;
  return { type: 'emphasis', children: [{ type: 'text', value: `[${text}]` }], position: image.position };
}

type EsProgram = NonNullable<NonNullable<MdxjsEsm['data']>['estree']>;

/** A module program of one statement: the estree MDX compiles for an ESM node or an attribute expression. */
function moduleOf(statement: EsProgram['body'][number]): EsProgram {
  return { type: 'Program', sourceType: 'module', comments: [], body: [statement] };
}
