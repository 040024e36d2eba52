/**
 * What the sidebar reads from a folder's own file, as other site generators write it: the folder's
 * label, its position among its siblings, the order of its pages and whether it starts open.
 *
 * - Fumadocs' `meta.json`: `title` (the label), `pages` (the order of the folder's pages and
 *   sub-folders, by file or folder name without extension, with `"..."` for the rest,
 *   `"---Label---"` separators and `"[Label](https://…)"` links: `nav.ts` places them),
 *   `defaultOpen`;
 * - Docusaurus' `_category_.json` or `_category_.yml`: `label`, `position`, `collapsed`.
 *
 * A file that cannot be read (not valid JSON or YAML) or a field of another shape is a build notice
 * naming the file (`[docent] guides/meta.json:3: …: the sidebar ignores it`), never a build error:
 * the sidebar is then made as without it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { NavFolder } from './nav';

/** The folder files the sidebar reads, in the order their fields are taken (the first that sets one wins). */
export const FOLDER_SIDEBAR_FILES = ['meta.json', '_category_.json', '_category_.yml', '_category_.yaml'] as const;

/** What one folder file says, and its notices (`[docent] <file>…` lines). */
export interface FolderFileReading {
  folder: NavFolder;
  notices: string[];
}

/**
 * What the folder file `file` (relative to the content folder: `guides/meta.json`) with the text
 * `text` says of its folder's place in the sidebar (see the module's comment).
 */
export function readFolderFile(file: string, text: string): FolderFileReading {
  const notices: string[] = [];
  const json = file.endsWith('.json');
  let data: unknown;
  try {
    data = json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const { line, reason } = parseProblem(text, error);
    return { folder: {}, notices: [`[docent] ${file}${line ? `:${line}` : ''}: not valid ${json ? 'JSON' : 'YAML'} (${reason}): the sidebar ignores it`] };
  }
  if (data === null || data === undefined) return { folder: {}, notices };
  if (!isRecord(data)) return { folder: {}, notices: [`[docent] ${file}: not an object of sidebar fields: the sidebar ignores it`] };
  const ignored = (key: string, what: string) => {
    const line = keyLine(text, key);
    notices.push(`[docent] ${file}${line ? `:${line}` : ''}: ${key} ${JSON.stringify(data[key])} is not ${what}: ignored`);
  };
  const folder: NavFolder = {};
  const fumadocs = file.endsWith('meta.json');
  const labelKey = fumadocs ? 'title' : 'label';
  if (data[labelKey] !== undefined) {
    if (typeof data[labelKey] === 'string' && data[labelKey].trim() !== '') folder.label = data[labelKey].trim();
    else ignored(labelKey, 'a text');
  }
  if (fumadocs) {
    if (data.pages !== undefined) {
      if (Array.isArray(data.pages) && data.pages.every((entry) => typeof entry === 'string')) folder.pages = data.pages;
      else ignored('pages', 'a list of page names');
    }
    if (data.defaultOpen !== undefined) {
      if (typeof data.defaultOpen === 'boolean') folder.open = data.defaultOpen;
      else ignored('defaultOpen', 'true or false');
    }
  } else {
    if (data.position !== undefined) {
      const position = typeof data.position === 'number' ? data.position : typeof data.position === 'string' && data.position.trim() !== '' ? Number(data.position) : Number.NaN;
      if (Number.isFinite(position)) folder.order = position;
      else ignored('position', 'a number');
    }
    if (data.collapsed !== undefined) {
      if (typeof data.collapsed === 'boolean') folder.open = !data.collapsed;
      else ignored('collapsed', 'true or false');
    }
  }
  return { folder, notices };
}

/**
 * The folder files of `folders` (relative to the content folder `root`; `''` is the root), read
 * (see {@link readFolderFile}): what each folder that has one says, and the notices. A folder with
 * several (`meta.json` and `_category_.json`) takes each field from the first that sets it, in the
 * order of {@link FOLDER_SIDEBAR_FILES}.
 */
export function readFolderFiles(root: string, folders: Iterable<string>): { folders: Map<string, NavFolder>; notices: string[] } {
  const found = new Map<string, NavFolder>();
  const notices: string[] = [];
  for (const folder of new Set(folders)) {
    let merged: NavFolder | undefined;
    for (const name of FOLDER_SIDEBAR_FILES) {
      const file = folder ? `${folder}/${name}` : name;
      let text: string;
      try {
        text = readFileSync(join(root, ...file.split('/')), 'utf8');
      } catch {
        continue; // none (or a folder of that name)
      }
      const reading = readFolderFile(file, text);
      notices.push(...reading.notices);
      merged = { ...reading.folder, ...merged };
    }
    if (merged && Object.keys(merged).length > 0) found.set(folder, merged);
  }
  return { folders: found, notices };
}

/** The line (from 1) and the reason of a JSON or YAML parse error of `text`. */
function parseProblem(text: string, error: unknown): { line: number | undefined; reason: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof YAMLParseError) return { line: error.linePos?.[0].line, reason: message.split('\n', 1)[0]!.replace(/ at line \d+, column \d+:?$/, '') };
  // V8 words it `Expected ',' … in JSON at position 42`, `Unexpected token ']', "…" is not valid JSON` or `Unexpected end of JSON input`.
  const position = /in JSON at position (\d+)/.exec(message);
  const line = position ? text.slice(0, Number(position[1])).split('\n').length : /end of JSON input/.test(message) ? text.trimEnd().split('\n').length : undefined;
  const reason = message.replace(/, [\s\S]*" is not valid JSON$/, '').replace(/ in JSON at position \d+[\s\S]*$/, '').split('\n', 1)[0]!;
  return { line, reason };
}

/** The line (from 1) where `key` is set in a JSON or YAML file's text, if it is found. */
function keyLine(text: string, key: string): number | undefined {
  const at = text.split(/\r?\n/).findIndex((line) => new RegExp(`^\\s*(?:"${key}"|'${key}'|${key})\\s*:`).test(line));
  return at >= 0 ? at + 1 : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
