/**
 * The docs collection: every `.md`/`.mdx` file of CONTENT_DIR (resolved in astro.config.mjs).
 * Entry ids are the file paths relative to that folder (`guide/quick-start.md`), exactly the
 * `path` ingest stores, so `documentUrl(id)` gives the same URL everywhere.
 */
import { glob } from 'astro/loaders';
import { defineCollection, z } from 'astro:content';

const docs = defineCollection({
  loader: glob({
    pattern: ['**/*.{md,mdx}', '!**/node_modules/**', '!**/_*/**', '!**/_*'],
    base: process.env.DOCENT_CONTENT_ROOT ?? 'content',
    generateId: ({ entry }) => entry.replace(/\\/g, '/'),
  }),
  schema: z
    .object({
      title: z.coerce.string().optional(),
      description: z.coerce.string().optional(),
      order: z.coerce.number().optional(),
      /** `sidebar: false` keeps a page out of the sidebar (it is still built). */
      sidebar: z.boolean().optional(),
    })
    .passthrough(),
});

export const collections = { docs };
