/**
 * Reads the docs collection for the pages (Astro-only: imports `astro:content`).
 * Everything that can be pure lives in `nav.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CollectionEntry, getCollection } from 'astro:content';
import { decodeContent, type PageInfo, readPageInfo, titleFromPath } from '../../../ingest/parse';
import { folderOfPage } from '../../../ingest/folder-page';
import { sharedUrls } from '../../../ingest/page-links';
import { documentUrl, urlPath } from '../../../ingest/urls';
import { includeReaders } from './snippets';
import { isLanguageTag, languageTagOf } from '../../../server/retrieval/languages';
import { buildNav, type NavNode, type NavPage } from './nav';
import { reportOnce } from './page-images';
import { sidebarFields } from './sidebar-fields';
import { readFolderFiles } from './sidebar-folders';
import { withIngestFrontmatter } from './site-frontmatter';

export type DocEntry = CollectionEntry<'docs'>;

export interface DocPage {
  entry: DocEntry;
  path: string;
  url: string;
  title: string;
  description: string | undefined;
  /**
   * The page's language tag for `<html lang>`: its frontmatter `lang`, else the language its text
   * is written in (`languageTagOf`), else undefined (the site's default, `en`). The chat widget
   * sends it with each question, so a keyword question gets pages in the page's language.
   */
  language: string | undefined;
}

let cached: Promise<{ pages: DocPage[]; nav: NavNode[]; siteTitle: string }> | undefined;

/**
 * A page's title and description, read from its file by ingest's own rules (`readPageInfo()`), so
 * the page carries the title its citations show. A file whose frontmatter ingest cannot parse (a
 * `title` that is a list, say) is built without it (`docs-loader.ts`), its title read the same way;
 * one that stopped parsing since the collection was loaded is still built, under a title made from
 * its file name.
 */
function pageInfo(id: string): PageInfo {
  const root = contentRoot();
  try {
    const file = join(root, ...id.split('/'));
    // With the frontmatter it is built with, when it is not the file's own (lib/site-frontmatter.ts).
    // Its includes and snippets in place, as ingest reads it (a title may come from one).
    return readPageInfo(withIngestFrontmatter(decodeContent(readFileSync(file), id), file), id, includeReaders(root));
  } catch (error) {
    console.warn(`[docent] ${error instanceof Error ? error.message : String(error)}: the page is built, but not indexed`);
    return { title: titleFromPath(id), description: undefined, frontmatter: {} };
  }
}

/** The content folder (absolute), as astro.config.mjs resolves CONTENT_DIR. */
function contentRoot(): string {
  const root = process.env.DOCENT_CONTENT_ROOT;
  if (!root) throw new Error('DOCENT_CONTENT_ROOT is not set (astro.config.mjs sets it from CONTENT_DIR)');
  return root;
}

/** The folders a page is in, from the root (`''`) down (`a/b/c.md` → `''`, `a`, `a/b`). */
function foldersOf(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  return ['', ...parts.map((_, i) => parts.slice(0, i + 1).join('/'))];
}

/** See {@link DocPage.language}. */
function pageLanguage(entry: DocEntry): string | undefined {
  const lang = (entry.data as Record<string, unknown>).lang;
  if (typeof lang === 'string' && isLanguageTag(lang.trim())) return lang.trim();
  return languageTagOf(entry.body ?? '');
}

/**
 * The pages of the collection the site builds: of pages whose files give them one URL
 * (`guide.md` and `guide/index.md`), only the one links to that URL open (`sharedUrls()`, by
 * ingest's rule); the others are left out, with a notice, as ingest warns of them. Astro built the
 * last of them in the collection's order, the order in which their files happened to load.
 */
function servedEntries(entries: DocEntry[]): DocEntry[] {
  const left = new Set<string>();
  for (const { pages, served } of sharedUrls(new Set(entries.map((e) => e.id)))) {
    for (const page of pages.filter((p) => p !== served)) {
      left.add(page);
      reportOnce(`shared-url\0${page}`, `[docent] ${page}: not built: ${served} has the same URL (${documentUrl(served)}), and the site shows it there. Rename one of them.`);
    }
  }
  return left.size === 0 ? entries : entries.filter((e) => !left.has(e.id));
}

async function load() {
  const entries = servedEntries(await getCollection('docs'));
  const pages: DocPage[] = entries.map((entry) => ({ entry, path: entry.id, url: documentUrl(entry.id), ...pageInfo(entry.id), language: pageLanguage(entry) }));
  const navPages: NavPage[] = pages.map((p) => {
    const { order, label, hidden } = sidebarFields(p.entry.data);
    return { path: p.path, title: p.title, order, label, sidebar: hidden ? false : undefined };
  });
  const home = entries.find((e) => folderOfPage(e.id) !== undefined && urlPath(e.id) === '');
  const siteTitle = typeof home?.data.siteTitle === 'string' && home.data.siteTitle.trim() ? home.data.siteTitle.trim() : 'Docent';
  // Other generators' folder files (Fumadocs' meta.json, Docusaurus' _category_.json), of every folder with pages.
  const { folders, notices } = readFolderFiles(contentRoot(), pages.flatMap((p) => foldersOf(p.path)));
  for (const notice of notices) console.warn(notice);
  return { pages, nav: buildNav(navPages, folders, { onNotice: (notice) => console.warn(notice) }), siteTitle };
}

/** Every page, the sidebar and the site's name (frontmatter `siteTitle` of the root index, default "Docent"). */
export function loadSite() {
  cached ??= load();
  return cached;
}
