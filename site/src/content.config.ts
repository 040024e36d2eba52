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
  // The sidebar's fields, Docent's and other generators' (`sidebar`, `weight`, `menu`,
  // `sidebar_position`, `sidebar_label`), are read by lib/sidebar-fields.ts, leniently: only
  // Docent's own `order` must be a number.
  schema: z
    .object({
      order: z.coerce.number().optional(),
    })
    .passthrough(),
});

export const collections = { docs };
