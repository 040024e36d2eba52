/**
 * The images of the docs site's pages: which file an image shows, and whether the site can show it.
 *
 * Astro imports every local image a page shows (`![Diagram](./diagram.png)`) and reads its size,
 * and one it cannot find or read stopped the whole site build, naming no page: a missing file, a
 * Git LFS pointer (what a checkout without `git lfs pull` leaves), a truncated PNG, a link to a text
 * file, a file of another kind (`![Spec](./spec.pdf)` left a broken `<img>`). Such an image is shown
 * as its alt text instead (`remark-missing-images.ts`), with a notice naming the page and line,
 * printed on every build (`docs-loader.ts` checks each page as it loads it; Astro's content cache
 * skips the remark plugins for pages that did not change).
 *
 * A path from the site root (`/img/logo.png`, the Docusaurus convention) is looked up in the
 * content folder, then in a `static/` folder inside it or beside it (Docusaurus' `static/` beside
 * `docs/`, whose files its site serves from `/`), then in the site's own `site/public`.
 *
 * In MDX, a JSX `<img>` is one of the page's images as well, its `src` written as a string
 * (`<img src="/img/logo.png" />`) or as Docusaurus writes it (`src={useBaseUrl('/img/logo.png')}`,
 * `src={require('./logo.png').default}`): {@link jsxImageSource}. In a markdown page, an HTML
 * `<img>` is one too (`<img src="/img/logo.png" width="200">`, `<p align="center"><img …></p>`):
 * {@link htmlImages}, and so is each image of its `srcset` and of a `<picture>`'s `<source srcset>`
 * (`<img src="a.png" srcset="a.png 1x, a@2x.png 2x">`): {@link srcsetCandidates}; in MDX, so is each
 * image of a JSX `<img>` or `<source>` `srcSet` (or `srcset`): {@link jsxSrcset}. An image of a
 * `srcset`, and the `src` of an HTML `<img>` with one, is published (`published-images.ts`), which
 * only a file of the content folder (or of a Docusaurus `static/` folder beside it) can be:
 * {@link checkPublishedImage}.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { imageMetadata } from 'astro/assets/utils';
import type { Definition, Nodes, Root } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { generatorSyntaxAsMarkdown } from '../../../ingest/generator-syntax';
import { type HtmlTag, htmlAttribute, htmlTags } from '../../../ingest/html-tags';
import { jsxUrlExpression } from '../../../ingest/link-elements';
import { mdxAsMarkdown, readMdxSource, unwrapMdxCodeBlocks } from '../../../ingest/mdx-source';
import { publishedImageUrl } from './published-images';

/** What the site does with an image of a page. */
export type ImageCheck =
  /** A web image (`https:`, `//`, `data:`), or one from `site/public`: shown as written. */
  | { kind: 'as-written' }
  /** A local image the site can show; `url`, when set, is where the page must point (a path from the site root, resolved). */
  | { kind: 'ok'; file: string; url?: string }
  /** No such file: shown as its alt text. */
  | { kind: 'missing' }
  /** A file the site cannot show as an image (`reason` says why): shown as its alt text. */
  | { kind: 'unreadable'; file: string; reason: string };

/** The extensions Astro's image pipeline reads (its `VALID_INPUT_FORMATS`); it leaves an `<img>` without `src` for others. */
const IMAGE_EXTENSIONS = new Set(['.jpeg', '.jpg', '.png', '.tiff', '.webp', '.gif', '.svg', '.avif']);

/** The first line of a Git LFS pointer file. */
const LFS_POINTER = 'version https://git-lfs.github.com/spec/';

/** The content folder (absolute), as astro.config.mjs sets it. */
function contentRoot(): string {
  return resolve(process.env.DOCENT_CONTENT_ROOT ?? 'content');
}

/** The site's own static files (`site/public`), served from `/`. */
export function publicDir(): string {
  return process.env.DOCENT_SITE_PUBLIC ?? fileURLToPath(new URL('../../public', import.meta.url));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false; // missing, a broken link, or a link loop
  }
}

/** `child` of `folder`, when the path stays inside it (`/../../etc/x.png` does not). */
function inside(folder: string, path: string): string | undefined {
  const file = join(folder, path);
  return file.startsWith(folder + sep) ? file : undefined;
}

/** Where a path from the site root may be found: the content folder, then a Docusaurus `static/` folder inside or beside it. */
export function siteRootFolders(root: string): string[] {
  return [root, join(root, 'static'), join(dirname(root), 'static')];
}

/**
 * What the site does with the image `url` of the page at `pageFile` (absolute): Astro reads a
 * relative path from the page's folder, as this does.
 */
export async function checkImage(url: string, pageFile: string, root = contentRoot()): Promise<ImageCheck> {
  if (url === '' || url.startsWith('#') || url.startsWith('//') || /^[a-z][a-z\d+.-]*:/i.test(url)) return { kind: 'as-written' };
  let path = url.replace(/[?#].*$/, '');
  try {
    path = decodeURI(path);
  } catch {
    /* read as written */
  }
  let file: string | undefined;
  let rewritten: string | undefined;
  if (path.startsWith('/')) {
    file = siteRootFolders(root).flatMap((folder) => inside(folder, path) ?? []).find(isFile);
    if (!file) return inside(publicDir(), path) && isFile(inside(publicDir(), path)!) ? { kind: 'as-written' } : { kind: 'missing' };
    const fromPage = relative(dirname(pageFile), file).split(sep).join('/');
    rewritten = encodeURI(fromPage.startsWith('.') ? fromPage : `./${fromPage}`);
  } else {
    file = resolve(dirname(pageFile), path);
    if (!isFile(file)) return { kind: 'missing' };
  }
  const reason = await unreadableImage(file);
  if (reason) return { kind: 'unreadable', file, reason };
  return rewritten === undefined ? { kind: 'ok', file } : { kind: 'ok', file, url: rewritten };
}

/**
 * What the site does with the image `url` of the page at `pageFile` when it publishes the image
 * (an image of a `srcset`; `published-images.ts`) rather than letting Astro import it: as
 * {@link checkImage} says, but a local one is `ok` only when it is in a folder images are published
 * from, with `url` its published URL; a file outside them (`../../shared/logo.png`) is one the
 * site cannot show, which the build's notice names.
 */
export async function checkPublishedImage(url: string, pageFile: string, root = contentRoot()): Promise<ImageCheck> {
  const check = await checkImage(url, pageFile, root);
  if (check.kind !== 'ok') return check;
  const published = publishedImageUrl(check.file, root);
  if (published === undefined) return { kind: 'unreadable', file: check.file, reason: 'is outside the content folder, so the site does not serve it' };
  return { kind: 'ok', file: check.file, url: published };
}

/** Why the site cannot show the image file `file`, or `undefined` when it can (Astro reads its size as it will). */
async function unreadableImage(file: string): Promise<string | undefined> {
  const extension = extname(file).toLowerCase();
  if (!IMAGE_EXTENSIONS.has(extension)) return `is not an image the site can show (${extension || 'no extension'}; it shows ${[...IMAGE_EXTENSIONS].join(' ')})`;
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (error) {
    return `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  if (data.subarray(0, LFS_POINTER.length).toString('latin1') === LFS_POINTER) return 'is a Git LFS pointer, not the image (fetch it with git lfs pull)';
  try {
    // A copy the exact length of the file: Astro's reader looks through the whole ArrayBuffer, and a
    // small file's Buffer is a slice of a shared pool, so a truncated image could read as whole.
    await imageMetadata(new Uint8Array(data), file);
    return undefined;
  } catch {
    return 'cannot be read as an image (damaged, or not an image)';
  }
}

/**
 * The build's notice about an image shown as its alt text, or, `inSrcset`, left out of the
 * `srcset` it is one of (`line` of the page, when known).
 */
export function imageNotice(page: string, line: number | undefined, url: string, check: ImageCheck, { inSrcset = false }: { inSrcset?: boolean } = {}): string | undefined {
  const where = `[docent] ${page}${line ? `:${line}` : ''}: image ${url}`;
  const instead = inSrcset ? 'left out of its srcset' : 'shown as its alt text';
  if (check.kind === 'missing') return `${where} not found, ${instead}`;
  if (check.kind === 'unreadable') return `${where} ${check.reason}: ${instead}`;
  return undefined;
}

/**
 * Notices printed so far in this build, so the remark plugin does not repeat what the content
 * loader said (both run in the Astro process; the loader runs first).
 */
const reported: Set<string> = ((globalThis as { __docentImageNotices?: Set<string> }).__docentImageNotices ??= new Set());

/** Prints `notice` once per build. */
export function reportImage(page: string, url: string, notice: string): void {
  reportOnce(`${page}\0${url}`, notice);
}

/** Prints `notice` once per build for `key` (a page and what the notice is about). */
export function reportOnce(key: string, notice: string): void {
  if (reported.has(key)) return;
  reported.add(key);
  console.warn(notice);
}

const markdown = unified().use(remarkParse).use(remarkFrontmatter, ['yaml', 'toml']).use(remarkGfm);

/**
 * The image path a JSX `<img>` of an MDX page shows, when its `src` names one the site can look up
 * (see the module comment); `undefined` for any other element or `src` (a variable, a template).
 */
export function jsxImageSource(node: Nodes | MdxJsxFlowElement | MdxJsxTextElement): string | undefined {
  if ((node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') || node.name !== 'img') return undefined;
  const src = node.attributes.find((attribute) => attribute.type === 'mdxJsxAttribute' && attribute.name === 'src');
  if (!src || src.type !== 'mdxJsxAttribute' || src.value == null) return undefined;
  return typeof src.value === 'string' ? src.value : jsxUrlExpression(src.value.value);
}

/** A JSX `srcSet` (or `srcset`) attribute of an MDX page: the attribute's name as written, and its value. */
export interface JsxSrcset {
  name: string;
  value: string;
}

/** A `srcSet={…}` that is one string: `'…'`, `"…"` or a template without `${`. */
const JSX_STRING_EXPRESSION = /^\s*(?:(['"])([^'"]*)\1|`([^`$]*)`)\s*$/;

/**
 * The `srcSet` (React's name) or `srcset` of a JSX `<img>` or `<source>` of an MDX page, when it is
 * a string (`srcSet="./a.png 1x, ./a@2x.png 2x"`, `srcSet={'…'}`); `undefined` for any other
 * element or value (a variable).
 */
export function jsxSrcset(node: Nodes | MdxJsxFlowElement | MdxJsxTextElement): JsxSrcset | undefined {
  if ((node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') || (node.name !== 'img' && node.name !== 'source')) return undefined;
  for (const attribute of node.attributes) {
    if (attribute.type !== 'mdxJsxAttribute' || attribute.name.toLowerCase() !== 'srcset' || attribute.value == null) continue;
    if (typeof attribute.value === 'string') return { name: attribute.name, value: attribute.value };
    const match = JSX_STRING_EXPRESSION.exec(attribute.value.value);
    return match ? { name: attribute.name, value: match[2] ?? match[3]! } : undefined;
  }
  return undefined;
}

// Read by ingest's rules (which reads the links of such HTML and JSX as well).
export { type HtmlTag, htmlAttribute, htmlTags, jsxUrlExpression };

/** An HTML `<img>` (or `<source>`) tag in a markdown page's raw HTML. */
export type HtmlImage = HtmlTag;

/**
 * The `<img>` tags of `html` (raw HTML of a markdown page; those in comments are not shown, and not
 * listed), and with `sources` the `<source>` tags of its `<picture>` elements too.
 */
export function htmlImages(html: string, { sources = false }: { sources?: boolean } = {}): HtmlImage[] {
  return htmlTags(html, sources ? ['img', 'source'] : ['img']);
}

/** One image of a `srcset`: its URL and what follows it (`2x`, `480w`; `''` for none). */
export interface SrcsetCandidate {
  url: string;
  descriptor: string;
}

/**
 * The images of a `srcset` value (`a.png 1x, b.png 2x`), split as browsers split it: a URL runs to
 * the next space (commas at its end close the candidate), its descriptor to the next comma.
 */
export function srcsetCandidates(value: string): SrcsetCandidate[] {
  const candidates: SrcsetCandidate[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /[\s,]/.test(value[i]!)) i++;
    if (i >= value.length) break;
    let end = i;
    while (end < value.length && !/\s/.test(value[end]!)) end++;
    let url = value.slice(i, end);
    let descriptor = '';
    i = end;
    if (url.endsWith(',')) url = url.replace(/,+$/, '');
    else {
      let depth = 0;
      while (end < value.length && !(value[end] === ',' && depth === 0)) {
        if (value[end] === '(') depth++;
        else if (value[end] === ')') depth = Math.max(0, depth - 1);
        end++;
      }
      descriptor = value.slice(i, end).trim();
      i = end + 1;
    }
    if (url !== '') candidates.push({ url, descriptor });
  }
  return candidates;
}

/** A `srcset` value of `candidates` (`a.png 1x, b.png 2x`). */
export function srcsetValue(candidates: readonly SrcsetCandidate[]): string {
  return candidates.map((c) => (c.descriptor ? `${c.url} ${c.descriptor}` : c.url)).join(', ');
}

/**
 * The syntax tree of the page `path` (content-relative) whose text is `source`, as the site reads
 * it (other generators' syntax made markdown; includes and snippets are not put in place), with
 * the lines of the file's own text.
 */
export function pageTree(source: string, path: string): Root {
  const text = generatorSyntaxAsMarkdown(source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
  if (!path.toLowerCase().endsWith('.mdx')) return markdown.parse(text);
  return readMdxSource(unwrapMdxCodeBlocks(text)).tree ?? markdown.parse(mdxAsMarkdown(text));
}

/** An image of a page, as {@link imagesOfPage} lists it. */
export interface PageImage {
  url: string;
  /** Its line in the page's file, when known. */
  line: number | undefined;
  /** One of a `srcset`: left out of it when the site cannot show it. */
  inSrcset?: true;
  /** Published by the site rather than imported by Astro: check it with {@link checkPublishedImage}. */
  published?: true;
}

/**
 * The images the page `path` shows (`![alt](url)` and `![alt][ref]` with its definition, as Astro
 * collects them, in MDX a JSX `<img>` ({@link jsxImageSource}) and each image of a JSX `srcSet`
 * ({@link jsxSrcset}), in markdown an HTML `<img>` with a `src` ({@link htmlImages}) and each image
 * of a `srcset` of an `<img>` or a `<source>`), with their lines in the file:
 * read from the file's own text, other generators' syntax made markdown as the site does (includes
 * and snippets are not put in place).
 */
export function imagesOfPage(source: string, path: string): PageImage[] {
  if (!source.includes('![') && !source.includes('<img') && !source.includes('<source')) return [];
  const tree = pageTree(source, path);
  const definitions = new Map<string, Definition>();
  const images: PageImage[] = [];
  const walk = (nodes: readonly Nodes[], collect: boolean) => {
    for (const node of nodes) {
      if (!collect && node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node);
      if (collect && node.type === 'image') images.push({ url: node.url, line: node.position?.start.line });
      const jsxImage = collect ? jsxImageSource(node) : undefined;
      if (jsxImage !== undefined) images.push({ url: jsxImage, line: node.position?.start.line });
      const srcset = collect ? jsxSrcset(node) : undefined;
      for (const candidate of srcsetCandidates(srcset?.value ?? '')) images.push({ url: candidate.url, line: node.position?.start.line, inSrcset: true, published: true });
      if (collect && node.type === 'html') {
        for (const image of htmlImages(node.value, { sources: true })) {
          const src = image.name === 'img' ? htmlAttribute(image, 'src') : undefined;
          const line = node.position ? node.position.start.line + (node.value.slice(0, image.start).match(/\n/g)?.length ?? 0) : undefined;
          const srcset = htmlAttribute(image, 'srcset');
          if (src !== undefined) images.push(srcset === undefined ? { url: src, line } : { url: src, line, published: true });
          for (const candidate of srcsetCandidates(srcset ?? '')) images.push({ url: candidate.url, line, inSrcset: true, published: true });
        }
      }
      if (collect && node.type === 'imageReference') {
        const definition = definitions.get(node.identifier);
        if (definition) images.push({ url: definition.url, line: node.position?.start.line });
      }
      if ('children' in node) walk(node.children as Nodes[], collect);
    }
  };
  walk(tree.children, false);
  walk(tree.children, true);
  return images;
}
