/**
 * Builds the standalone widget into the site's output folder (`SITE_OUT_DIR` or `site/dist`): the
 * chat script first, then `widget.js`, which is given the chat script's hashed name, and the chat
 * manifest `widget-chat.js`, which names it too, for pages that loaded an older `widget.js`
 * (`src/widget/chat-manifest.ts`). Run by `site/build.ts` after `astro build`.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Rollup } from 'vite';
import { CHAT_MANIFEST_FILE, chatManifestScript } from './src/widget/chat-manifest';
import { chatBundleConfig, loaderConfig, widgetOutDir } from './widget.config';

/** Builds the chat script, `widget.js` and the chat manifest into `outDir`; returns the chat script's path inside it. */
export async function buildWidget(outDir = widgetOutDir()): Promise<string> {
  const result = await build(chatBundleConfig(outDir));
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  const entry = outputs.flatMap((o) => o.output).find((file) => file.type === 'chunk' && file.isEntry);
  if (!entry) throw new Error('build-widget: the chat bundle has no entry chunk');
  await build(loaderConfig(outDir, entry.fileName));
  writeFileSync(join(outDir, CHAT_MANIFEST_FILE), chatManifestScript(entry.fileName));
  return entry.fileName;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await buildWidget();
