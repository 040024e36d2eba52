/**
 * The chat manifest: `widget-chat.js`, a one-line classic script beside `widget.js`, never cached
 * for long (like `widget.js`), that names the current chat script
 * (`window.DocentWidgetChatFile = "_astro/docent-chat.<hash>.js"`). The chat script's name changes
 * with each build that changes it, and a redeploy removes the old one: a page opened before a
 * redeploy holds a `widget.js` naming a file that is gone. When that file cannot be loaded,
 * `widget.js` loads this manifest and then the file it names (`standalone.ts`). A script rather
 * than JSON: a host page may load scripts from the Docent server (its `script-src`, the
 * `widget.js` tag's nonce) without CORS.
 */

/** The manifest's path, beside `widget.js`. */
export const CHAT_MANIFEST_FILE = 'widget-chat.js';

/** What a chat script's path (relative to `widget.js`) looks like: `_astro/docent-chat.<hash>.js`. */
export const CHAT_FILE_PATTERN = /^_astro\/docent-chat\.[\w-]+\.js$/;

/** The manifest's text, naming `chatFile` (`_astro/docent-chat.<hash>.js`). */
export function chatManifestScript(chatFile: string): string {
  if (!CHAT_FILE_PATTERN.test(chatFile)) throw new Error(`chat manifest: ${JSON.stringify(chatFile)} is not a chat script's path (_astro/docent-chat.<hash>.js)`);
  return `window.DocentWidgetChatFile = ${JSON.stringify(chatFile)};\n`;
}
