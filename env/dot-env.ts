/**
 * Reads a `.env` file (`NAME=value` lines) into the environment, as every entry point of Docent
 * does: the server and its commands (`server/config.ts`) and the site's build
 * (`site/build.ts`, `site/astro.config.mjs`). Outside `server/` and `site/`, and importing neither,
 * so the site's build reads `.env` exactly as the server does without importing a server module.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/** What {@link loadDotEnvFile} read. */
export interface DotEnvFile {
  /** The variables the file holds (empty when there is no file or it cannot be read). */
  values: Record<string, string | undefined>;
  /** Why the file could not be read (naming it), or `undefined`: a missing file is no problem. */
  problem?: string;
}

/**
 * The text of a `.env` file as editors save it: UTF-8, with or without a byte-order mark, or
 * UTF-16 with one (Windows PowerShell's `>` writes that). Read as plain UTF-8, a mark would hide
 * the first variable (its name would start with it) and UTF-16 every one, without a word.
 */
function dotEnvText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes); // drops a UTF-8 byte-order mark
}

/**
 * Reads the `.env` file at `path` into `env` (default `process.env`). Variables `env` already
 * has win, even when empty. A missing file is nothing to read; one that cannot be read (a folder,
 * no permission) is returned as a `problem` for the caller to report, and sets nothing.
 */
export function loadDotEnvFile(path: string, env: Record<string, string | undefined> = process.env): DotEnvFile {
  if (!existsSync(path)) return { values: {} };
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(error));
    return { values: {}, problem: `${path}: cannot be read (${why}); it should be a file of NAME=value lines, or be removed` };
  }
  const values = parseEnv(dotEnvText(bytes));
  for (const [name, value] of Object.entries(values)) {
    if (env[name] === undefined && value !== undefined) env[name] = value;
  }
  return { values };
}
