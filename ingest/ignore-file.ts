/**
 * `.docentignore`: files of the content folder that are not part of the docs, in `.gitignore`
 * syntax (the `ignore` package reads it exactly as git does), one pattern a line, relative to the
 * content folder. For what a docs folder holds besides the pages to answer from: the other
 * languages of a translated site (`/de/`, `/fr/` next to the English pages of a Starlight
 * site), a changelog, a blog, generated API pages.
 *
 *   # Only the English pages
 *   /de/
 *   /fr/
 *   CHANGELOG.md
 *
 * Read by `scan.ts`, the one definition of a page: ignored files are neither indexed nor built,
 * and a page ignored later leaves the index as a deleted one does.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ignore from 'ignore';

/** The name of the file, at the root of the content folder. */
export const IGNORE_FILE = '.docentignore';

/** Whether a path (relative to the content folder, `/` separators; a folder's with a trailing `/`) is ignored. */
export type IgnoreTest = (path: string) => boolean;

/**
 * The rules of `dir`'s `.docentignore`, or `undefined` when it has none. Throws, naming the file,
 * when it exists but cannot be read.
 */
export async function readIgnoreFile(dir: string): Promise<IgnoreTest | undefined> {
  const file = join(dir, IGNORE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const rules = ignore().add(text);
  return (path) => rules.ignores(path);
}
