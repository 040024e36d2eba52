/**
 * The loader of the docs collection (`content.config.ts`): Astro's glob loader over the content
 * folder, kept to exactly the pages ingest indexes, and checking each page on every build.
 *
 * - Only the files `listContentFiles()` lists are pages: the glob loader also follows links to
 *   folders (ingest does not), so every other entry is dropped after it has run.
 * - A file ingest cannot read as text (not UTF-8, a NUL byte) is no page. One whose frontmatter
 *   ingest cannot parse (invalid YAML or TOML, a `title` that is a list) is built without its
 *   frontmatter: ingest skips the file but keeps the version it last read in the index, whose
 *   citations link to it (the site left it out: a 404). One whose frontmatter only Astro's own
 *   parser rejects (a YAML tag such as `!Ref`) is built with the frontmatter as ingest reads it
 *   (`site-frontmatter.ts`): the glob loader parses every file's frontmatter before anything else
 *   and one error stopped the whole site's build, so the files are read through wrapped entry
 *   types that catch it. Each is reported with ingest's message and the line in the file
 *   (`[docent] guides/faq.md:2: invalid frontmatter: …`). So is Docent's own `order` when it is
 *   not a number (the collection's schema failed the whole build on it): it is ignored.
 * - The images of every page are checked (`page-images.ts`) and the ones the site cannot show are
 *   reported, on every build: Astro's content cache skips rendering, and so the remark plugins, for
 *   a page whose text did not change. What the images' files are (found, missing, unreadable) is
 *   part of the page's digest, so a page is rendered again when one of its images is added, fixed
 *   or broken: a cached page kept showing the alt text of an image added since, and kept importing
 *   an image that had since become unreadable, which stopped the build. So are its links to files
 *   (`remark-file-links.ts`): one to a file that does not exist, or that the site does not publish
 *   (outside the content folder, hidden, a draft), is reported, and what each links to
 *   (a published file, nothing, a page and its URL) is part of the digest, so a page linking to a
 *   file or a page added since points at it. So is where each MyST `{ref}` and `{doc}` role leads
 *   (and the heading a `{ref}` shows), which makes it a link or leaves it text.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContentEntryType } from 'astro';
import { glob, type Loader, type LoaderContext } from 'astro/loaders';
import { mystReferenceHrefs } from '../../../ingest/myst-syntax';
import { decodeContent, ParseError, readPageInfo } from '../../../ingest/parse';
import { listContentFiles, maxPageBytesOf, pageSizeAdvice, pageSizeProblem } from '../../../ingest/scan';
import { checkImage, checkPublishedImage, imageNotice, imagesOfPage, reportImage } from './page-images';
import { includeReaders } from './snippets';
import { checkFileLink, linksOfPage, pageLinkUrls, reportFileLink } from './remark-file-links';
import { linkedPageTitles, pagesOf } from './remark-page-links';
import { rememberIngestFrontmatter, withFrontmatterAsJson } from './site-frontmatter';

type EntryInfo = Awaited<ReturnType<ContentEntryType['getEntryInfo']>>;

/** What a left-out file gives the glob loader: its entry is dropped before it is stored. */
const NO_ENTRY: EntryInfo = { data: {}, body: '', slug: '', rawData: '' };

/**
 * How ingest reads the page `id` (content-relative) of the file `file`: the error it reports and
 * skips the file for (`ParseError`), or the frontmatter it stores.
 */
function ingestReading(file: string, id: string, root: string): { error: ParseError } | { frontmatter: Record<string, unknown> | undefined } {
  try {
    // With its includes and snippets in place, as ingest reads it: a page whose included part is
    // past a parse limit is refused by both.
    return { frontmatter: readPageInfo(decodeContent(readFileSync(file), id), id, includeReaders(root)).frontmatter };
  } catch (error) {
    return error instanceof ParseError ? { error } : { frontmatter: undefined };
  }
}

/** The size of `file` in bytes (0 when it cannot be read: reading it reports that). */
function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Where and why Astro's parser rejects a file's frontmatter: its reason and line in the file (`guides/faq.md:3`). */
function siteFrontmatterProblem(id: string, contents: string, error: unknown): string {
  const e = error as { message?: string; mark?: { line?: number }; loc?: { line?: number } };
  // js-yaml counts the lines of the frontmatter block from 0, starting after the opening `---`: its
  // `mark` (the MDX integration's error, whose `loc` counts from 1), else the `loc` Astro copied it to.
  const opening = contents.search(/^(---|\+\+\+)[ \t]*\r?$/m);
  const at = e.mark?.line ?? e.loc?.line;
  const line = at !== undefined && opening >= 0 ? contents.slice(0, opening).split('\n').length + at : undefined;
  const reason = (e.message ?? String(error)).split('\n', 1)[0];
  return `[docent] ${id}${line ? `:${line}` : ''}: frontmatter the docs site's parser cannot read (${reason})`;
}

/** The notice for Docent's own `order` when it is not a number: the sidebar places the page as if it had none. */
function orderNotice(id: string, contents: string, order: unknown): string | undefined {
  if (order === undefined || order === null || (typeof order === 'number' && Number.isFinite(order))) return undefined;
  if (typeof order === 'string' && order.trim() !== '' && Number.isFinite(Number(order))) return undefined;
  const at = contents.split(/\r?\n/).findIndex((text) => /^order[ \t]*[:=]/.test(text));
  return `[docent] ${id}${at >= 0 ? `:${at + 1}` : ''}: order ${JSON.stringify(order)} is not a number: ignored (the sidebar places the page by its other fields)`;
}

/** The docs collection's loader, for the content folder `root` (absolute). */
export function docsLoader(root: string): Loader {
  const files = glob({
    // `_` partials and drafts are left out, not Hugo's `_index.md` (its folder's page).
    pattern: ['**/*.{md,mdx}', '!**/node_modules/**', '!**/_*/**', '!**/_!(index.md|index.mdx)'],
    base: root,
    generateId: ({ entry }) => entry.replace(/\\/g, '/'),
  });
  return {
    name: 'docent-pages',
    load: async (context) => {
      // The largest page ingest reads (INGEST_MAX_PAGE_BYTES): a larger one is neither indexed nor built.
      const maxPageBytes = maxPageBytesOf(process.env);
      const pages = new Set(existsSync(root) ? await listContentFiles(root, { drafts: process.env.DOCENT_SHOW_DRAFTS === '1', maxPageBytes }) : []);
      /** Pages left out: ingest skips them, or Astro cannot read their frontmatter. */
      const leftOut = new Set<string>();
      /** What the images of pages are, by page text: added to the page's digest. */
      const imageStates = new Map<string, Set<string>>();
      const { entryTypes } = context as LoaderContext & { entryTypes: Map<string, ContentEntryType> };

      const entryInfo = async (type: ContentEntryType, contents: string, fileUrl: URL): Promise<EntryInfo> => {
        const file = fileURLToPath(fileUrl);
        const id = relative(root, file).split(sep).join('/');
        let info: EntryInfo | undefined;
        let siteError: unknown;
        try {
          info = await type.getEntryInfo({ contents, fileUrl });
        } catch (error) {
          siteError = error;
        }
        // A file that is no page is dropped after loading; the dev server shows files added later.
        if (!pages.has(id)) {
          if (!info) leftOut.add(id);
          return info ?? NO_ENTRY;
        }
        // Larger than ingest reads: not read further (Astro would take as long as ingest on it).
        const size = fileSize(file);
        if (size > maxPageBytes) {
          leftOut.add(id);
          rememberIngestFrontmatter(file, undefined);
          console.warn(`[docent] ${id}: ${pageSizeProblem(size, maxPageBytes)}: not built, as ingest does not index it. ${pageSizeAdvice(maxPageBytes)}`);
          return NO_ENTRY;
        }
        const reading = ingestReading(file, id, root);
        if ('error' in reading) {
          // Frontmatter ingest cannot parse: ingest keeps the version it last read in the index, and
          // citations of it link here, so the page is built without its frontmatter.
          const withoutFrontmatter = reading.error.reason.startsWith('invalid frontmatter')
            ? await Promise.resolve(withFrontmatterAsJson(contents, {})).then((text) => type.getEntryInfo({ contents: text, fileUrl })).catch(() => undefined)
            : undefined;
          rememberIngestFrontmatter(file, withoutFrontmatter ? {} : undefined);
          if (withoutFrontmatter) {
            console.warn(`[docent] ${reading.error.message}: built without its frontmatter; ingest skips the file (the index keeps the version it last read)`);
            leftOut.delete(id);
            return withoutFrontmatter;
          }
          leftOut.add(id);
          console.warn(`[docent] ${reading.error.message}: not built, as ingest does not index it`);
          return NO_ENTRY;
        }
        // Frontmatter Astro's parser rejects, read by ingest (which indexes the page, so citations
        // link to it): the page is built with the frontmatter as ingest reads it.
        rememberIngestFrontmatter(file, info ? undefined : reading.frontmatter);
        if (!info) {
          const frontmatter = reading.frontmatter;
          if (frontmatter) info = await Promise.resolve(withFrontmatterAsJson(contents, frontmatter)).then((text) => type.getEntryInfo({ contents: text, fileUrl })).catch(() => undefined);
          console.warn(`${siteFrontmatterProblem(id, contents, siteError)}: ${info ? 'built with the frontmatter as ingest reads it' : 'not built, though ingest indexes it'}`);
        }
        if (!info) {
          leftOut.add(id);
          rememberIngestFrontmatter(file, undefined);
          return NO_ENTRY;
        }
        const badOrder = orderNotice(id, contents, info.data.order);
        if (badOrder) {
          console.warn(badOrder);
          delete info.data.order;
        }
        leftOut.delete(id);
        const states: string[] = [];
        for (const image of imagesOfPage(contents, id)) {
          const check = await (image.published ? checkPublishedImage : checkImage)(image.url, file, root);
          states.push(`${image.url}\0${check.kind}\0${check.kind === 'ok' ? check.file : ''}`);
          const notice = imageNotice(id, image.line, image.url, check, { inSrcset: image.inSrcset });
          if (notice) reportImage(id, image.url, notice);
        }
        // Links to files: a notice for one that does not exist; whether each is a file, missing or
        // neither, and the page it leads to, are in the digest, so a page is rendered again when
        // the file or the page it links to is added (`./later` once `later.md` is there).
        const links = linksOfPage(contents, id);
        // MyST's `{ref}` and `{doc}` roles are links where they lead to a page, `{ref}` showing its label's heading.
        const references = mystReferenceHrefs(contents.replace(/\r\n?/g, '\n'));
        const pageUrl = links.length > 0 || references.length > 0 ? await pageLinkUrls(root, id) : () => undefined;
        const isPage = (url: string) => pageUrl(url) !== undefined;
        const mystLabels = links.length > 0 && (await pagesOf(root)).labels.size > 0;
        for (const link of links) {
          const check = checkFileLink(link.url, file, root, isPage, { mystLabels });
          states.push(`${link.url}\0link\0${check.kind}\0${pageUrl(link.url) ?? ''}`);
          if (check.kind === 'missing' || check.kind === 'unpublished') reportFileLink(id, link.line, link.url, check.reason);
        }
        if (references.length > 0) {
          // What each shows: a `{ref}` its label's heading, a `{doc}` its page's title.
          const { labels } = await pagesOf(root);
          const linkedPageTitle = await linkedPageTitles(root, id);
          const shown = (href: string) => (href.startsWith('#') ? labels.get(href.slice(1).toLowerCase())?.title : linkedPageTitle(href)) ?? '';
          for (const href of references) states.push(`${href}\0reference\0${pageUrl(href) ?? ''}\0${shown(href)}`);
        }
        if (states.length > 0) {
          const known = imageStates.get(contents) ?? new Set();
          imageStates.set(contents, known.add(states.join('\0')));
        }
        return info;
      };

      const store: LoaderContext['store'] = {
        ...context.store,
        set: (entry) => {
          if (!leftOut.has(entry.id)) return context.store.set(entry);
          context.store.delete(entry.id);
          return false;
        },
      };
      await files.load({
        ...context,
        store,
        entryTypes: new Map([...entryTypes].map(([extension, type]) => [extension, { ...type, getEntryInfo: ({ contents, fileUrl }: { contents: string; fileUrl: URL }) => entryInfo(type, contents, fileUrl) }])),
        generateDigest: (data) => {
          const states = typeof data === 'string' ? imageStates.get(data) : undefined;
          return context.generateDigest(states ? `${data as string}\0${[...states].sort().join('\0')}` : data);
        },
      } as LoaderContext);
      for (const id of context.store.keys()) if (!pages.has(id) || leftOut.has(id)) context.store.delete(id);
    },
  };
}
