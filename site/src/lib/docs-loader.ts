/**
 * The loader of the docs collection (`content.config.ts`): Astro's glob loader over the content
 * folder, kept to exactly the pages ingest indexes, and checking each page on every build.
 *
 * - Only the files `listContentFiles()` lists are pages: the glob loader also follows links to
 *   folders (ingest does not), so every other entry is dropped after it has run.
 * - A file ingest reports and skips (invalid frontmatter YAML or TOML, a `title` that is a list,
 *   text that is not UTF-8 or holds a NUL byte) is no page either, and neither is one whose
 *   frontmatter Astro's own parser rejects: the glob loader parses every file's frontmatter before
 *   anything else and one error stopped the whole site's build, so the files are read through
 *   wrapped entry types that catch it. The build prints one notice per such file, with ingest's
 *   message and the line in the file (`[docent] guides/faq.md:2: invalid frontmatter: …`).
 * - The images of every page are checked (`page-images.ts`) and the ones the site cannot show are
 *   reported, on every build: Astro's content cache skips rendering, and so the remark plugins, for
 *   a page whose text did not change. What the images' files are (found, missing, unreadable) is
 *   part of the page's digest, so a page is rendered again when one of its images is added, fixed
 *   or broken: a cached page kept showing the alt text of an image added since, and kept importing
 *   an image that had since become unreadable, which stopped the build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContentEntryType } from 'astro';
import { glob, type Loader, type LoaderContext } from 'astro/loaders';
import { decodeContent, ParseError, readPageInfo } from '../../../ingest/parse';
import { listContentFiles } from '../../../ingest/scan';
import { checkImage, imageNotice, imagesOfPage, reportImage } from './page-images';

type EntryInfo = Awaited<ReturnType<ContentEntryType['getEntryInfo']>>;

/** What a left-out file gives the glob loader: its entry is dropped before it is stored. */
const NO_ENTRY: EntryInfo = { data: {}, body: '', slug: '', rawData: '' };

/**
 * Why ingest skips the page `id` (content-relative) of the file `file`: the error it reports
 * (`ParseError`), or `undefined` when ingest reads it.
 */
function ingestError(file: string, id: string): ParseError | undefined {
  try {
    readPageInfo(decodeContent(readFileSync(file), id), id);
    return undefined;
  } catch (error) {
    return error instanceof ParseError ? error : undefined;
  }
}

/** The notice for a file whose frontmatter Astro's parser rejects though ingest reads it: its reason and line in the file. */
function siteFrontmatterNotice(id: string, contents: string, error: unknown): string {
  const e = error as { message?: string; loc?: { line?: number } };
  // js-yaml counts the lines of the frontmatter block from 0, starting after the opening `---`.
  const opening = contents.search(/^(---|\+\+\+)[ \t]*\r?$/m);
  const line = e.loc?.line !== undefined && opening >= 0 ? contents.slice(0, opening).split('\n').length + e.loc.line : undefined;
  const reason = (e.message ?? String(error)).split('\n', 1)[0];
  return `[docent] ${id}${line ? `:${line}` : ''}: frontmatter the docs site cannot read (${reason}): not built, though ingest indexes it`;
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
      const pages = new Set(existsSync(root) ? await listContentFiles(root, { drafts: process.env.DOCENT_SHOW_DRAFTS === '1' }) : []);
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
        const skipped = ingestError(file, id);
        if (skipped || !info) {
          leftOut.add(id);
          console.warn(skipped ? `[docent] ${skipped.message}: not built, as ingest does not index it` : siteFrontmatterNotice(id, contents, siteError));
          return NO_ENTRY;
        }
        leftOut.delete(id);
        const states: string[] = [];
        for (const image of imagesOfPage(contents, id)) {
          const check = await checkImage(image.url, file, root);
          states.push(`${image.url}\0${check.kind}\0${check.kind === 'ok' ? check.file : ''}`);
          const notice = imageNotice(id, image.line, image.url, check);
          if (notice) reportImage(id, image.url, notice);
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
