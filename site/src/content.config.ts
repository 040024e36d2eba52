/**
 * The docs collection: exactly the files ingest indexes (`listContentFiles()` of CONTENT_DIR,
 * resolved in astro.config.mjs, less the files ingest cannot parse), so every citation opens a page
 * that exists and every page is indexed. Entry ids are the file paths relative to that folder
 * (`guide/quick-start.md`), exactly the `path` ingest stores, so `documentUrl(id)` gives the same
 * URL everywhere. The loader (`lib/docs-loader.ts`) also reports, on every build, the files it
 * leaves out and the images the site cannot show.
 * Drafts (`draft: true`, `published: false`) are no pages, as ingest does not index them; the dev
 * server (`npm run dev:site`) shows them, as the site generators' dev servers do.
 */
import { defineCollection, z } from 'astro:content';
import { docsLoader } from './lib/docs-loader';

const docs = defineCollection({
  loader: docsLoader(process.env.DOCENT_CONTENT_ROOT ?? 'content'),
  // `title` and `description` are not read from here: lib/content.ts takes them from the file by
  // ingest's rules (`readPageInfo()`), as citations show them (`title:` left empty is no title).
  // The sidebar's fields, Docent's and other generators' (`sidebar`, `weight`, `menu`,
  // `sidebar_position`, `sidebar_label`), are read by lib/sidebar-fields.ts, leniently: Docent's
  // own `order` must be a number, and one that is not is reported and left out by the loader
  // (it failed the whole build, though ingest indexes the page).
  schema: z
    .object({
      order: z.coerce.number().optional(),
    })
    .passthrough(),
});

export const collections = { docs };
