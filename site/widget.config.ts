/**
 * Builds the standalone widget `widget.js` (one IIFE file, React and styles included) into the
 * site's output folder, next to the Astro pages. Run after `astro build` (see `npm run build:site`).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const siteRoot = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(siteRoot, '..');

export default defineConfig({
  root: siteRoot,
  publicDir: false,
  logLevel: 'warn',
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  esbuild: { jsx: 'automatic', jsxDev: false, legalComments: 'none' },
  build: {
    outDir: resolve(projectRoot, process.env.SITE_OUT_DIR?.trim() || 'site/dist'),
    emptyOutDir: false,
    target: 'es2020',
    reportCompressedSize: true,
    lib: {
      entry: resolve(siteRoot, 'src/widget/standalone.tsx'),
      formats: ['iife'],
      name: 'DocentWidget',
      fileName: () => 'widget.js',
    },
  },
});
