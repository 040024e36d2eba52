/**
 * The docs collection: exactly the files ingest indexes (`listContentFiles()` of CONTENT_DIR,
 * resolved in astro.config.mjs), so every citation opens a page that exists and every page is
 * indexed. Entry ids are the file paths relative to that folder (`guide/quick-start.md`), exactly
 * the `path` ingest stores, so `documentUrl(id)` gives the same URL everywhere.
 *
 * Astro's glob loader reads and renders the files; its pattern only spares it the files ingest
 * skips anyway. It also follows links to folders (ingest does not), so every entry ingest does
 * not list is dropped afterwards: `listContentFiles()` is the one definition of what is a page.
 * Drafts (`draft: true`, `published: false`) are no pages, as ingest does not index them; the dev
 * server (`npm run dev:site`) shows them, as the site generators' dev servers do.
 */
import { existsSync } from 'node:fs';
import { glob } from 'astro/loaders';
import { defineCollection, z } from 'astro:content';
import { listContentFiles } from '../../ingest/scan';

const root = process.env.DOCENT_CONTENT_ROOT ?? 'content';

const files = glob({
  // `_` partials and drafts are left out, not Hugo's `_index.md` (its folder's page).
  pattern: ['**/*.{md,mdx}', '!**/node_modules/**', '!**/_*/**', '!**/_!(index.md|index.mdx)'],
  base: root,
  generateId: ({ entry }) => entry.replace(/\\/g, '/'),
});

/** A number, or nothing when the field is absent or not a number (another generator's field: never a build error). */
const toNumber = (v: unknown) => {
  const n = typeof v === 'number' || (typeof v === 'string' && v.trim() !== '') ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};
const looseNumber = z.unknown().transform(toNumber);
/** Text, or nothing when the field is absent, blank or not text. */
const toText = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/**
 * `sidebar`: `false` hides the page from the sidebar (Docent, VitePress); Starlight's object
 * (`sidebar: { label: "Intro", order: 2, hidden: true }`) gives its label, order and whether it is
 * hidden. Any other value is ignored, never a build error: a Starlight docs folder failed the
 * whole build on it when only `true`/`false` was accepted.
 */
const sidebarField = z.unknown().transform((v): { hidden: boolean; label?: string; order?: number } | undefined => {
  if (typeof v === 'boolean') return { hidden: !v };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const fields = v as Record<string, unknown>;
  return { hidden: fields.hidden === true, label: toText(fields.label), order: toNumber(fields.order) };
});

const docs = defineCollection({
  loader: {
    name: 'docent-pages',
    load: async (context) => {
      await files.load(context);
      const pages = new Set(existsSync(root) ? await listContentFiles(root, { drafts: process.env.DOCENT_SHOW_DRAFTS === '1' }) : []);
      for (const id of context.store.keys()) if (!pages.has(id)) context.store.delete(id);
    },
  },
  // `title` and `description` are not read from here: lib/content.ts takes them from the file by
  // ingest's rules (`readPageInfo()`), as citations show them (`title:` left empty is no title).
  schema: z
    .object({
      order: z.coerce.number().optional(),
      /** Hugo's `weight` and Docusaurus' `sidebar_position`: the order when `order` is not set (ignored when not a number). */
      weight: looseNumber,
      sidebar_position: looseNumber,
      /** `sidebar: false` keeps a page out of the sidebar (it is still built); Starlight's `sidebar: { label, order, hidden }` too. */
      sidebar: sidebarField,
      /** Docusaurus' label for the page in the sidebar, when it is not the title. */
      sidebar_label: z.unknown().transform(toText),
    })
    .passthrough(),
});

export const collections = { docs };
