/**
 * Checks on the file a command writes its results to (`--json FILE`), made before the run: a run
 * of minutes must not end in an error that throws its results away, nor overwrite its own input.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

/** Why a file cannot be written at `file` (a folder, or in a folder that does not exist), if it cannot. */
export function unwritable(file: string): string | undefined {
  if (existsSync(file) && statSync(file).isDirectory()) return 'it is a folder';
  const folder = dirname(file);
  if (!existsSync(folder)) return `the folder ${folder} does not exist`;
  if (!statSync(folder).isDirectory()) return `${folder} is not a folder`;
  return undefined;
}

/** `path` resolved, with links followed (for a file not there yet, its folder's). */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // Not there (yet): its folder may be a link.
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

/** Whether the paths `a` and `b` name the same file (after links are followed), so that writing `a` would replace `b`. */
export function isSameFile(a: string, b: string): boolean {
  return realPath(resolve(a)) === realPath(resolve(b));
}

/** Whether `file` is in `folder` or one of its subfolders (after links are followed). */
export function isInFolder(file: string, folder: string): boolean {
  const path = relative(realPath(resolve(folder)), realPath(resolve(file)));
  return path !== '' && !path.startsWith('..') && !isAbsolute(path);
}

/**
 * Why `--json FILE` (`out`, resolved) cannot be used: unwritable, or one of the command's input
 * files (`inputs`, e.g. the questions file). `undefined` when it can.
 */
export function outputFileProblem(out: string, inputs: readonly string[] = []): string | undefined {
  if (inputs.some((input) => isSameFile(out, input))) return 'it is the input file, which would be overwritten; write the results to another file';
  return unwritable(out);
}

/**
 * Why a command's results must not be written at `file` (`--json`), inside the content folder
 * `contentDir`: a page (`docs/index.md` would be replaced by them, and a new `.md` would become a
 * page), or another file of the docs that the command did not write before (a `_category_.json`, a
 * config). `undefined` outside the folder, or for a file of results written before.
 */
export function contentFileProblem(
  file: string,
  contentDir: string,
  options: {
    /** What the command writes, in the message: `summary`, `results`. */
    what: string;
    /** The same, written before: `an earlier summary`, `earlier results`. */
    earlier: string;
    /** Whether a JSON object read from the file is what the command wrote (so writing it again loses nothing). */
    wroteBefore: (value: Record<string, unknown>) => boolean;
  },
): string | undefined {
  if (!isInFolder(file, contentDir)) return undefined;
  if (/\.mdx?$/i.test(file)) return `it is a page of the content folder, which the ${options.what} would replace (or become); write it outside the content folder`;
  if (existsSync(file) && statSync(file).isFile() && !writtenBefore(file, options.wroteBefore)) {
    return `it is a file of the content folder, not ${options.earlier}, which would be overwritten; write it to another file`;
  }
  return undefined;
}

function writtenBefore(file: string, wroteBefore: (value: Record<string, unknown>) => boolean): boolean {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) && wroteBefore(value as Record<string, unknown>);
  } catch {
    return false;
  }
}
