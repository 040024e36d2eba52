/**
 * Reads the docs collection for the pages (Astro-only: imports `astro:content`).
 * Everything that can be pure lives in `nav.ts`.
 */
import { type CollectionEntry, getCollection } from 'astro:content';
import { documentUrl } from '../../../ingest/urls';
import { buildNav, type NavNode, type NavPage, pageTitle } from './nav';

export type DocEntry = CollectionEntry<'docs'>;

export interface DocPage {
  entry: DocEntry;
  path: string;
  url: string;
  title: string;
  description: string | undefined;
}

let cached: Promise<{ pages: DocPage[]; nav: NavNode[]; siteTitle: string }> | undefined;

async function load() {
  const entries = await getCollection('docs');
  const pages: DocPage[] = entries.map((entry) => ({
    entry,
    path: entry.id,
    url: documentUrl(entry.id),
    title: pageTitle(entry.id, entry.data.title, entry.body),
    description: entry.data.description,
  }));
  const navPages: NavPage[] = pages.map((p) => ({
    path: p.path,
    title: p.title,
    order: p.entry.data.order,
    sidebar: p.entry.data.sidebar,
  }));
  const home = entries.find((e) => /^index\.mdx?$/i.test(e.id));
  const siteTitle = typeof home?.data.siteTitle === 'string' && home.data.siteTitle.trim() ? home.data.siteTitle.trim() : 'Docent';
  return { pages, nav: buildNav(navPages), siteTitle };
}

/** Every page, the sidebar and the site's name (frontmatter `siteTitle` of the root index, default "Docent"). */
export function loadSite() {
  cached ??= load();
  return cached;
}
