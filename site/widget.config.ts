/**
 * Vite configurations of the standalone widget, built by `site/build-widget.ts` into the site's
 * output folder, next to the Astro pages (after `astro build`; see `npm run build:site`):
 *
 * - the chat (`src/widget/chat-bundle.tsx`: React, the panel, the AI SDK), one classic script
 *   named after its content's hash, `_astro/docent-chat.<hash>.js`, cached for a year like
 *   Astro's own assets there;
 * - `widget.js` (`src/widget/standalone.ts`), the small script host pages include: the launcher,
 *   its styles, and the chat script's name, which it loads from beside itself when the chat opens.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InlineConfig } from 'vite';

const siteRoot = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(siteRoot, '..');

/** The site's output folder: `SITE_OUT_DIR` or `site/dist` (set by `site/build.ts`). */
export function widgetOutDir(): string {
  return resolve(projectRoot, process.env.SITE_OUT_DIR?.trim() || 'site/dist');
}

function shared(): InlineConfig {
  return {
    root: siteRoot,
    configFile: false,
    publicDir: false,
    logLevel: 'warn',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    esbuild: { jsx: 'automatic', jsxDev: false, legalComments: 'none' },
  };
}

/** The chat script (a classic script setting `window.DocentWidgetChat`), into `outDir/_astro/`. */
export function chatBundleConfig(outDir: string): InlineConfig {
  return {
    ...shared(),
    build: {
      // es2022 has class fields: for older targets esbuild defines helpers (`var X = Object.defineProperty`)
      // outside the IIFE, as globals of the host page that could overwrite the page's own.
      outDir,
      emptyOutDir: false,
      target: 'es2022',
      reportCompressedSize: false,
      chunkSizeWarningLimit: 1024,
      copyPublicDir: false,
      modulePreload: false,
      rollupOptions: {
        input: resolve(siteRoot, 'src/widget/chat-bundle.tsx'),
        preserveEntrySignatures: 'exports-only',
        output: { format: 'iife', name: 'DocentWidgetChat', entryFileNames: '_astro/docent-chat.[hash].js', inlineDynamicImports: true },
      },
    },
  };
}

/** `widget.js`, which loads the chat script `chatFile` (a path relative to it). */
export function loaderConfig(outDir: string, chatFile: string): InlineConfig {
  return {
    ...shared(),
    define: { ...shared().define, __DOCENT_CHAT_FILE__: JSON.stringify(chatFile) },
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2020',
      reportCompressedSize: false,
      copyPublicDir: false,
      lib: {
        entry: resolve(siteRoot, 'src/widget/standalone.ts'),
        formats: ['iife'],
        name: 'DocentWidget',
        fileName: () => 'widget.js',
      },
    },
  };
}
