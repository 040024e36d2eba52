/**
 * Finds the markdown and MDX files of a content folder and reads them.
 *
 * Paths are relative to the folder with `/` separators (`api/routing.md`), sorted, so runs are
 * reproducible on every OS. Pages are the files ending in `.md` or `.mdx`, in lower case (Astro
 * picks a file's renderer by its exact extension, so the site has no `.MD` page); a file that
 * only differs by the case of its extension (`README.MD`, `Guide.Mdx`) is no page, but
 * {@link scanContentFolder} names it so that ingest can say why it is not indexed. Skipped: hidden
 * files and folders (`.git`, `.vitepress`), files and folders whose name starts with `_`
 * (partials and drafts: `_snippet.mdx`, `_drafts/`; not Hugo's `_index.md`, its folder's page) and
 * `node_modules`. Symbolic links to files are followed, links to folders are not (no cycles); a
 * link is a page only when the file it leads to is a page file itself (`docs/setup.md` →
 * `../README.md`), so a link named like a page cannot publish another file (`config.md` → `.env`).
 * A link named like a page that leads to no file (a missing target, a loop, a folder) is named
 * with why, as a link to another file is.
 * Pages whose frontmatter makes them drafts (`draft: true`, `published: false`: `drafts.ts`) are
 * no pages either, unless asked for ({@link ScanOptions.drafts}); ingest names them. So are the
 * files the folder's `.docentignore` leaves out (`ignore-file.ts`: other languages, a changelog),
 * a `README.md` beside its folder's `index.md` (a README is the folder's page only where there is
 * no index page: `folder-page.ts`), a file another page includes (a VitePress part,
 * `<!--@include: ./parts/basics.md-->`: indexed and shown in that page), and a GitBook or mdBook
 * `SUMMARY.md` (the book's table of contents) at the root.
 *
 * `listContentFiles()` is the one definition of which files are pages: the docs site builds
 * exactly these (site/src/content.config.ts), so citations never lead to a missing page.
 */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { open, readFile, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { isDraft } from './drafts';
import { readmesBesideIndexes } from './folder-page';
import { readIgnoreFile } from './ignore-file';
import { CONTENT_EXTENSIONS } from './parse';
import { includeTargets } from './vitepress-includes';

export interface ContentFile {
  /** Relative to the content folder, `/` separators. */
  path: string;
  absolutePath: string;
  content: Buffer;
  /** Why the file could not be read (then `content` is empty): that file fails, the others go on. */
  readError?: string;
  /** Set, with `readError`, when the file was not read for its size: its size in bytes. */
  tooLarge?: number;
}

/** Largest page file ingest reads by default, in bytes (`IngestOptions.maxPageBytes`). */
export const DEFAULT_MAX_PAGE_BYTES = 2_000_000;

/**
 * The largest page file read by the docs site's build, as ingest reads it: `INGEST_MAX_PAGE_BYTES`
 * of `env` when it is a whole number above 0 (the server and the ingest command refuse any other
 * value, 0 being the default), else {@link DEFAULT_MAX_PAGE_BYTES}.
 */
export function maxPageBytesOf(env: Record<string, string | undefined>): number {
  const value = env.INGEST_MAX_PAGE_BYTES?.trim() ?? '';
  return /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : DEFAULT_MAX_PAGE_BYTES;
}

/** Why a page file of `size` bytes is not read: `the file is 5.4 MB, more than the 2 MB a page may have (…)`. */
export function pageSizeProblem(size: number, maxBytes: number): string {
  return `the file is ${megabytes(size)}, more than the ${megabytes(maxBytes)} a page may have (a generated or misnamed file?)`;
}

/** What to do about a page file larger than `maxBytes`. */
export function pageSizeAdvice(maxBytes: number): string {
  return `Split it into smaller pages, or raise INGEST_MAX_PAGE_BYTES (now ${maxBytes})`;
}

/** Whether a file or folder is left out: hidden, a partial or draft (`_`), or `node_modules`. */
const isSkipped = (name: string) => name.startsWith('.') || (name.startsWith('_') && !isSectionPage(name)) || name === 'node_modules';
/** Hugo's section page, `_index.md`: a page (the folder's), not a partial. */
const isSectionPage = (name: string) => /^_index\.mdx?$/.test(name);
/** The table of contents of a GitBook or mdBook book (its sidebar), at the root: no page. */
const BOOK_SUMMARY = 'SUMMARY.md';
/** Whether a file name is a page's: `.md` or `.mdx`, in lower case. */
const isContentFile = (name: string) => CONTENT_EXTENSIONS.some((ext) => name.endsWith(ext));
/** Whether a file name would be a page's but for the case of its extension (`README.MD`, `Guide.Mdx`). */
const hasMiscasedExtension = (name: string) =>
  !isContentFile(name) && CONTENT_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext));

/** A file that looks like a page but is not one, and why. */
export interface IgnoredFile {
  /** Relative to the content folder, `/` separators. */
  path: string;
  /** E.g. `not indexed: page files must end in lower-case .md or .mdx (rename it to Guide.md)`. */
  reason: string;
}

export interface ScanOptions {
  /**
   * Count draft pages (`draft: true`, `published: false` in their frontmatter) as pages, as a
   * docs site's dev server shows them. Default false: like the site generators' builds, drafts
   * are neither indexed nor built.
   */
  drafts?: boolean;
  /**
   * Largest page file read whole to find drafts and includes, in bytes: of a larger one, which
   * ingest does not read ({@link readContentFiles}), only the start is read, for its frontmatter.
   * Default {@link DEFAULT_MAX_PAGE_BYTES}.
   */
  maxPageBytes?: number;
}

/**
 * Lists the content files under `dir`, sorted by path. Throws when `dir` is not a readable folder,
 * or has a folder that cannot be read (its pages would be missing).
 */
export async function listContentFiles(dir: string, options: ScanOptions = {}): Promise<string[]> {
  const { pages, unreadable } = await scanContentFolder(dir, options);
  if (unreadable[0]) throw new Error(`Cannot read the folder ${join(dir, unreadable[0].path)}: ${unreadable[0].reason}`);
  return pages;
}

/** A folder inside the content folder that could not be listed. */
/** A page whose scan (draft? includes?) failed unexpectedly: still a page; ingest fails it alone with `error`. */
export interface FailedPage {
  path: string;
  error: unknown;
}

export interface UnreadableFolder {
  /** Relative to the content folder, `/` separators, with a trailing `/` (`guides/locked/`). */
  path: string;
  /** E.g. `EACCES: permission denied, scandir '…'`. */
  reason: string;
}

/**
 * Throws, with a message naming `dir`, when it is not a folder that can be listed: missing, a
 * file, or unreadable (`chmod 000`).
 */
export async function assertReadableFolder(dir: string): Promise<void> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      error.code === 'ENOENT' ? `Content folder not found: ${dir}` : `Cannot read the content folder ${dir}: ${error.message}`,
    );
  });
  if (!info.isDirectory()) throw new Error(`Not a folder: ${dir} (the content folder holds your markdown/MDX files)`);
  await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`Cannot read the content folder ${dir}: ${error.code === 'EACCES' || error.code === 'EPERM' ? 'permission denied' : error.message}`);
  });
}

/**
 * The content files under `dir` ({@link listContentFiles}); the files that look like pages but
 * are not by mistake (an extension in the wrong case, a link to no page file, a README beside an
 * index page), in `ignored`; and those that are not pages by the docs' own design (a draft, a part
 * other pages include, a book's `SUMMARY.md`), in `notPages`; each sorted by path. Files skipped
 * on purpose by their name (hidden, `_` partials and drafts, `node_modules`) are in no list.
 * A folder inside `dir` that cannot be listed is in `unreadable` (its pages are in no list: the
 * caller decides); `dir` itself must be readable ({@link assertReadableFolder}).
 */
export async function scanContentFolder(
  dir: string,
  options: ScanOptions = {},
): Promise<{ pages: string[]; ignored: IgnoredFile[]; notPages: IgnoredFile[]; unreadable: UnreadableFolder[]; failed: FailedPage[] }> {
  await assertReadableFolder(dir);
  const isIgnored = (await readIgnoreFile(dir)) ?? (() => false);
  const relativePath = (f: string) => relative(dir, f).split(sep).join('/');
  const found: string[] = [];
  const miscased: string[] = [];
  const linksToOtherFiles: IgnoredFile[] = [];
  const unreadable: UnreadableFolder[] = [];
  const isFile = async (entry: Dirent, full: string) =>
    entry.isFile() || (entry.isSymbolicLink() && (await stat(full).catch(() => undefined))?.isFile() === true);
  const walk = async (folder: string) => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (folder === dir) throw error;
      unreadable.push({ path: `${relativePath(folder)}/`, reason: (error as Error).message });
      return;
    }
    for (const entry of entries) {
      if (isSkipped(entry.name)) continue;
      const full = join(folder, entry.name);
      const path = relativePath(full);
      if (entry.isDirectory()) {
        if (!isIgnored(`${path}/`)) await walk(full);
        continue;
      }
      if (isIgnored(path)) continue;
      if (isContentFile(entry.name)) {
        if (!(await isFile(entry, full))) {
          if (entry.isSymbolicLink()) linksToOtherFiles.push({ path, reason: await linkToNoFileReason(full) });
          continue;
        }
        const target = entry.isSymbolicLink() ? basename(await realpath(full)) : entry.name;
        if (isContentFile(target)) found.push(full);
        else linksToOtherFiles.push({ path, reason: `not indexed: a link to ${target}, which is no .md or .mdx file (a page may link only to a page file); the docs site does not build it either` });
      } else if (hasMiscasedExtension(entry.name) && (await isFile(entry, full))) miscased.push(full);
    }
  };
  await walk(dir);
  const summary = found.find((f) => relativePath(f) === BOOK_SUMMARY);
  if (summary) found.splice(found.indexOf(summary), 1);
  const { drafts, included, failed } = await readPageMarks(found, relativePath, options.drafts ?? false, options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES);
  // A file another page includes (VitePress' `<!--@include: ./parts/a.md-->`) is a part, shown there.
  const parts = new Set(found.filter((f) => included.has(relativePath(f)) && !drafts.has(f)));
  const ignored: IgnoredFile[] = [
    ...linksToOtherFiles,
    ...miscased.map((f) => {
      const path = relativePath(f);
      return { path, reason: `not indexed: page files must end in lower-case .md or .mdx (rename it to ${lowerCaseExtension(path)})` };
    }),
  ];
  // Not problems: what the docs' authors meant not to be pages (a site with many included parts
  // listed them all as warnings on every run, before any warning worth fixing).
  const notPages: IgnoredFile[] = [
    ...[...drafts].map((f) => ({
      path: relativePath(f),
      reason: 'not indexed: a draft (`draft: true` or `published: false` in its frontmatter); the docs site does not build it either',
    })),
    ...[...parts].map((f) => ({
      path: relativePath(f),
      reason: `not indexed as a page: a part that ${included.get(relativePath(f))} includes (<!--@include: …-->), indexed there; the docs site does not build it either`,
    })),
  ];
  if (summary) notPages.push({ path: BOOK_SUMMARY, reason: 'not indexed: SUMMARY.md is the table of contents of a GitBook or mdBook book, not a page' });
  const pages = found.filter((f) => !drafts.has(f) && !parts.has(f)).map(relativePath);
  // A README beside an index page is not the folder's page, nor any page (as MkDocs does).
  const readmes = readmesBesideIndexes(pages);
  for (const [readme, index] of readmes) {
    ignored.push({ path: readme, reason: `not indexed: ${index} is this folder's page (a README is the folder's page only where there is no index page)` });
  }
  return {
    pages: pages.filter((p) => !readmes.has(p)).sort(),
    ignored: ignored.sort(byPath),
    notPages: notPages.sort(byPath),
    unreadable: unreadable.sort(byPath),
    failed: failed.sort(byPath),
  };
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * Why a link named like a page, which leads to no file, is not indexed: its target is missing
 * (a file not checked out, a moved folder), it leads back to itself, or it is a folder.
 */
async function linkToNoFileReason(link: string): Promise<string> {
  const target = await readlink(link).catch(() => '?');
  const problem = await stat(link).then(
    () => 'which is a folder (links to folders are not followed)',
    (error: NodeJS.ErrnoException) =>
      error.code === 'ELOOP' ? 'which leads back to itself (a loop of links)' : error.code === 'ENOENT' ? 'which does not exist' : `which cannot be read (${error.code ?? error.message})`,
  );
  return `not indexed: a link to ${target}, ${problem}; fix or remove the link`;
}

/**
 * Among `files`, the drafts by their frontmatter (unless `keepDrafts`), and the files that the
 * others include with `@include:`, each with the first page that includes it. A file that cannot be read
 * is neither: ingest reports it. Of a file larger than `maxBytes` (not indexed, not built) only the
 * start is read, for a draft's frontmatter: it includes nothing.
 */
async function readPageMarks(
  files: string[],
  relativePath: (file: string) => string,
  keepDrafts: boolean,
  maxBytes: number,
): Promise<{ drafts: Set<string>; included: Map<string, string>; failed: FailedPage[] }> {
  const drafts = new Set<string>();
  const failed: FailedPage[] = [];
  const includes: [page: string, targets: string[]][] = new Array(files.length);
  await eachConcurrently(files, async (file, i) => {
    const tooLarge = await stat(file).then(({ size }) => size > maxBytes, () => false);
    const text = tooLarge ? await readStart(file, FRONTMATTER_READ_BYTES) : await readFile(file, 'utf8').catch(() => '');
    if (tooLarge) {
      if (!keepDrafts && isDraft(text)) drafts.add(file);
      includes[i] = [relativePath(file), []];
      return;
    }
    const page = relativePath(file);
    try {
      const draft = !keepDrafts && isDraft(text);
      if (draft) drafts.add(file);
      // A draft is no page, so what it includes is no part of a page.
      includes[i] = [page, draft ? [] : includeTargets(text, page)];
    } catch (error) {
      // A page this scan fails on unexpectedly (a bug, a generated page past what it expects) does
      // not stop the scan of the others: it stays a page, including nothing, in `failed`.
      drafts.delete(file);
      includes[i] = [page, []];
      failed.push({ path: page, error });
    }
  });
  const included = new Map<string, string>();
  for (const [page, targets] of includes) for (const target of targets) if (target !== page && !included.has(target)) included.set(target, page);
  return { drafts, included, failed };
}

/** How much of a page file too large to read is read for its frontmatter (a draft's `draft: true`). */
const FRONTMATTER_READ_BYTES = 64 * 1024;

/** The first `bytes` of a file, as UTF-8 text (`''` when it cannot be read). */
async function readStart(file: string, bytes: number): Promise<string> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return '';
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch {
    return '';
  } finally {
    await handle.close();
  }
}

/** Runs `work` on every item, a few at a time. */
async function eachConcurrently<T>(items: readonly T[], work: (item: T, index: number) => Promise<void>): Promise<void> {
  const CONCURRENCY = 32;
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

/** `guide/Setup.MDX` → `Setup.mdx`. */
function lowerCaseExtension(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return `${name.slice(0, dot)}${name.slice(dot).toLowerCase()}`;
}

/**
 * Reads the files (a few at a time). A file that cannot be read gets `readError` instead of
 * stopping the others, and so does one larger than `maxBytes`, which is not read at all (`tooLarge`).
 */
export async function readContentFiles(dir: string, paths: readonly string[], maxBytes = DEFAULT_MAX_PAGE_BYTES): Promise<ContentFile[]> {
  const out: ContentFile[] = new Array(paths.length);
  await eachConcurrently(paths, async (path, i) => {
    const absolutePath = join(dir, ...path.split('/'));
    try {
      const { size } = await stat(absolutePath);
      if (size > maxBytes) {
        out[i] = { path, absolutePath, content: Buffer.alloc(0), readError: `larger than ${megabytes(maxBytes)}`, tooLarge: size };
        return;
      }
      out[i] = { path, absolutePath, content: await readFile(absolutePath) };
    } catch (error) {
      out[i] = { path, absolutePath, content: Buffer.alloc(0), readError: (error as Error).message };
    }
  });
  return out;
}

/** Hex SHA-256 of the parts, separated so that `["ab", "c"]` and `["a", "bc"]` differ. */
export function sha256(...parts: (string | Buffer)[]): string {
  return sha256Of(parts);
}

/** {@link sha256} of a list of parts of any length (a page's 200,000 `{doc}` roles are more than a call may pass). */
export function sha256Of(parts: readonly (string | Buffer)[]): string {
  const hash = createHash('sha256');
  parts.forEach((part, i) => {
    if (i > 0) hash.update('\0');
    hash.update(part);
  });
  return hash.digest('hex');
}

/** `2000000` → `2 MB`, `52428800` → `52.4 MB`. */
export function megabytes(bytes: number): string {
  const mb = bytes / 1_000_000;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}
