// Docent's docs site: renders CONTENT_DIR (default `content/`) at the URLs ingest links to, with
// the chat widget on every page and the /review page. Static output in `site/dist`, served by the
// Docent server on the same origin as the API.
//
// Build-time environment (also read from `.env` in the project root, like the server):
//   CONTENT_DIR      the docs folder, relative to the project root (default `content`)
//   SITE_OUT_DIR     where the built site goes (default `site/dist`; site/build.ts sets it to the
//                    folder it builds in, beside the one asked for)
//   SITE_URL         the public URL, for canonical links (optional)
//   SITE_CACHE_DIR   Astro's cache (rendered content); default `site/node_modules/.astro`
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mdx from '@astrojs/mdx';
import react from '@astrojs/react';
import { defineConfig, passthroughImageService } from 'astro/config';
import { prepareMdxSource, unwrapMdxCodeBlocks } from '../ingest/mdx-source.ts';
import { toParseError } from '../ingest/parse.ts';
import { DEV_SITE_PORT } from './dev-port.ts';
import { remarkCodeMagicComments } from './src/lib/remark-code-magic-comments.ts';
import { remarkContainers } from './src/lib/remark-containers.ts';
import { standInGeneratorGlobals, standInUnresolvedImports, unresolvableImport, unresolvedImportNotices } from './src/lib/mdx-imports.ts';
import { guardMdxRendering } from './src/lib/mdx-render-guard.ts';
import { remarkHeadingIds } from './src/lib/remark-heading-ids.ts';
import { remarkMissingImages } from './src/lib/remark-missing-images.ts';
import { copyPublishedFiles, publishedFilesMiddleware } from './src/lib/published-images.ts';
import { remarkFileLinks } from './src/lib/remark-file-links.ts';
import { remarkPageLinks } from './src/lib/remark-page-links.ts';
import { remarkUnknownComponents } from './src/lib/remark-unknown-components.ts';
import { shikiCodeMeta } from './src/lib/shiki-code-meta.ts';
import { CODE_THEMES } from './src/lib/code-themes.ts';
import { mystReferences, remarkGeneratorSyntax } from './src/lib/remark-generator-syntax.ts';
import { withSnippets } from './src/lib/snippets.ts';
import { withIngestFrontmatter } from './src/lib/site-frontmatter.ts';
import { devApiTarget } from './src/lib/dev-api.ts';
import { generatorSyntaxAsMarkdown } from '../ingest/generator-syntax.ts';
import { loadDotEnvFile } from '../env/dot-env.ts';

const siteRoot = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(siteRoot, '..');
const envFile = resolve(projectRoot, '.env');
// As the server reads it (a byte-order mark or UTF-16, as Windows editors save it, hides no variable).
const envProblem = loadDotEnvFile(envFile).problem;
if (envProblem) throw new Error(envProblem);

// content.config.ts reads this (Astro runs both in this process). Its real path: Vite names the
// MDX modules by their real paths, which must read as paths in the content folder
// (`guides/setup.mdx`) when the folder is reached through a symbolic link.
const contentDir = resolve(projectRoot, process.env.CONTENT_DIR?.trim() || 'content');
process.env.DOCENT_CONTENT_ROOT = existsSync(contentDir) ? realpathSync(contentDir) : contentDir;
// lib/page-images.ts reads this: an image path from the site root may name a file of site/public.
process.env.DOCENT_SITE_PUBLIC = resolve(siteRoot, 'public');

/**
 * The source of a script of the docs' own that an MDX page imports (a component file beside it),
 * to check its imports resolve too; `undefined` for a package's module or anything not a script.
 */
function readOwnScript(id) {
  const file = id.split('?')[0];
  // A package's module is under node_modules; the content folder itself may be (tests keep theirs there).
  const root = process.env.DOCENT_CONTENT_ROOT;
  const inContent = root && !relative(root, file).startsWith('..');
  const own = (inContent ? relative(root, file) : file).split(/[\\/]/);
  if (!/\.(?:[cm]?[jt]s|[jt]sx)$/.test(file) || own.includes('node_modules')) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export default defineConfig({
  root: siteRoot,
  outDir: resolve(projectRoot, process.env.SITE_OUT_DIR?.trim() || 'site/dist'),
  ...(process.env.SITE_CACHE_DIR?.trim() ? { cacheDir: resolve(projectRoot, process.env.SITE_CACHE_DIR.trim()) } : {}),
  site: process.env.SITE_URL?.trim() || undefined,
  output: 'static',
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  // sharp's install script does not run here; images are served as they are.
  image: { service: passthroughImageService() },
  integrations: [
    react(),
    mdx(),
    {
      // content.config.ts reads this: the dev server (`npm run dev:site`) shows draft pages, as the
      // site generators' dev servers do; a build leaves them out, as ingest does.
      name: 'docent-drafts',
      hooks: { 'astro:config:setup': ({ command }) => void (process.env.DOCENT_SHOW_DRAFTS = command === 'dev' ? '1' : '') },
    },
    {
      // The images of a `srcset` in a page's HTML or JSX, and the files pages link to (a PDF), which
      // Astro does not copy (lib/published-images.ts): served by the dev server, copied into the build.
      name: 'docent-published-images',
      hooks: {
        'astro:server:setup': ({ server }) => void server.middlewares.use(publishedFilesMiddleware()),
        'astro:build:done': ({ dir }) => void copyPublishedFiles(fileURLToPath(dir)),
      },
    },
  ],
  markdown: {
    // Smartypants would rewrite heading text ("--" → "–") before our ids are computed, so the
    // site's anchors would stop matching the ones ingest stores.
    smartypants: false,
    // `::: tip` / `:::note[Title]` containers (VitePress, Docusaurus) become callouts, and so do
    // Hugo shortcodes and MkDocs admonitions and tabs (`{{< note >}}`, `!!! tip`), made containers first.
    // Links to another page's file (`./Server.md#listen`), in markdown, HTML or JSX (`<a href>`,
    // Docusaurus' `<Link to>`), open that page, a link to another file
    // (`./spec.pdf`) opens it, published with the site (lib/remark-file-links.ts), and an image the site
    // cannot show (missing, a Git LFS pointer, damaged) is shown as its alt text rather than
    // failing the build; a path from the site root (`/img/a.png`) is found in the content folder
    // or a Docusaurus `static/` folder. Docusaurus'
    // `// highlight-next-line` lines are left out of code blocks, as its site does, and the lines
    // they mark are highlighted. In MDX, components the site does not have are told their tab
    // label and whether they are inline, for their stand-in (components/UnknownComponent.astro).
    remarkPlugins: [remarkGeneratorSyntax, remarkHeadingIds, remarkContainers, remarkPageLinks, remarkFileLinks, remarkMissingImages, remarkCodeMagicComments, remarkUnknownComponents],
    // A code fence's title (`title="src/App.tsx"`, `[src/App.tsx]`), highlighted lines (`{1,3-4}`)
    // and line numbers (`showLineNumbers`) are shown (lib/shiki-code-meta.ts); MDX pages use this too.
    // The themes meet WCAG AA contrast on the site's code backgrounds (lib/code-themes.ts).
    shikiConfig: { themes: { ...CODE_THEMES }, wrap: false, transformers: [shikiCodeMeta()] },
  },
  devToolbar: { enabled: false },
  // `npm run dev:site` serves on 4322 and forwards the API to a running `npm start` on PORT (4321).
  server: { port: DEV_SITE_PORT },
  vite: {
    // Before the MDX compiler (this plugin comes first among the 'pre' ones): heading ids such as
    // `## Options {#options}`, HTML comments, `<br>`, autolinks and `{` or `<` in text are made MDX,
    // as ingest does (mdx-source.ts). A page that still does not parse is built as text, without its
    // components, with a warning (ingest indexes it as markdown), so one page does not stop the site.
    // Only the id the MDX integration compiles: one with a query (Astro's `?astroPropagatedAssets`)
    // holds JavaScript by then, which the repairs must not touch.
    plugins: [
      {
        name: 'docent:mdx-source',
        enforce: 'pre',
        async transform(code, id) {
          if (!id.endsWith('.mdx')) return;
          const page = relative(process.env.DOCENT_CONTENT_ROOT, id);
          // As ingest words its warning: `guides/setup.mdx:42: … (Expected a closing tag for `<Tabs>`)`.
          const onFallback = (error) => {
            const { path, line, reason } = toParseError(error, page);
            console.warn(`[docent] ${path}${line ? `:${line}` : ''}: not valid MDX (${reason}): built as text, without its components`);
          };
          // VitePress includes and MkDocs snippets in place, then other generators' syntax (as the .md pages' remark plugin does): MkDocs blocks'
          // content is indented, and MDX would read a Hugo shortcode's braces as JavaScript.
          // Docusaurus' `mdx-code-block` fences hold MDX, not code (`import Tabs from '@theme/Tabs'`).
          // Frontmatter Astro's parser rejects is the frontmatter ingest reads (lib/site-frontmatter.ts).
          // MyST's `{ref}` and `{doc}` become links where they lead to a page, as ingest makes them.
          const references = await mystReferences(id);
          const converted = unwrapMdxCodeBlocks(generatorSyntaxAsMarkdown(withSnippets(withIngestFrontmatter(code, id), id), { close: true, ...references }));
          // Imports this project cannot resolve (Docusaurus' `@theme/Tabs`) get stand-ins, so the
          // page builds and shows their content (lib/mdx-imports.ts).
          // So do the docs' own component files whose imports cannot be resolved (a Fumadocs
          // site's `callout.tsx` importing `next/link`): `./callout.tsx → next/link` in the notice.
          const chains = new Map();
          const { code: standIns, unresolved } = await standInUnresolvedImports(converted, {
            resolves: async (specifier) => {
              const chain = await unresolvableImport(specifier, id, {
                resolve: async (s, importer) => (await this.resolve(s, importer).catch(() => null))?.id,
                localSource: readOwnScript,
              });
              if (chain) chains.set(specifier, chain);
              return chain === undefined;
            },
            standIn: resolve(siteRoot, 'src/components/UnknownComponent.astro'),
            // Docusaurus' <Link to="./other.md"> is a link (the remark plugins point it where it leads).
            linkStandIn: resolve(siteRoot, 'src/components/DocusaurusLink.astro'),
          });
          // A file it imports that is not there is not found, with its line; a package is one this project does not have.
          for (const notice of unresolvedImportNotices(page, unresolved, chains)) console.warn(notice);
          // So do the names Docusaurus defines in a page: `require('./a.png')`, `toc`.
          return { code: prepareMdxSource(standInGeneratorGlobals(standIns), { onFallback }), map: null };
        },
      },
      {
        // After the MDX compiler: a page that fails while it is rendered (a variable only its own
        // generator defines) shows a notice instead of stopping the build (lib/mdx-render-guard.ts).
        name: 'docent:mdx-render-guard',
        enforce: 'post',
        transform(code, id) {
          if (!id.endsWith('.mdx')) return;
          return { code: guardMdxRendering(code, relative(process.env.DOCENT_CONTENT_ROOT, id)), map: null };
        },
      },
    ],
    server: { proxy: { '/api': devApiTarget(process.env) } },
  },
});
