/**
 * MkDocs snippets (the `pymdownx.snippets` extension of MkDocs Material sites): a line
 *
 *   --8<-- "includes/abbreviations.md"
 *
 * is replaced by that file's text, indented as the line is, before the page is read as markdown,
 * anywhere on the page, fenced code included (the usual way to show an example file:
 * a fence holding `--8<-- "examples/app.py"`). Also read, as the extension reads them:
 * - a part of the file: lines (`"app.py:3:12"`, `"app.py:3"`, `"app.py::12"`, several joined by
 *   commas) or a named section (`"app.py:setup"`, between `--8<-- [start:setup]` and
 *   `--8<-- [end:setup]` lines, which are left out of every snippet);
 * - the block form: a `--8<--` line, one file per line (`;` comments one out), a `--8<--` line;
 * - `;--8<--`, which stays as written, less one `;`;
 * - snippets in snippets, {@link MAX_SNIPPET_DEPTH} deep at most (a cycle is not followed).
 *
 * File names are read from the extension's `base_path` (`snippetBasePaths()`): the folders
 * `mkdocs.yml` gives it, or by default the folder of `mkdocs.yml`, which MkDocs runs in; without
 * an `mkdocs.yml`, the content folder. A file outside those folders, a hidden one (`.env`,
 * anything under `.git/`: a page must not be able to publish a secret), a URL (never fetched) or
 * a missing file is left out, and named in a warning on the page's line: the extension leaves a
 * missing file out silently.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** How deep snippets may include snippets. */
export const MAX_SNIPPET_DEPTH = 4;

/** `--8<-- "file"` (or `'file'`), after any indentation and `;` escapes. */
const INLINE = /^([ \t]*)(;*)-+8<-+[ \t]+("(?:\\"|[^"])+"|'(?:\\'|[^'])+')[ \t]*$/;
/** A line opening or closing the block form. */
const BLOCK = /^([ \t]*)(;*)-+8<-+[ \t]*$/;
/** `--8<-- [start:name]` / `[end:name]`, in any comment syntax. */
const SECTION = /-+8<-+[ \t]+\[[ \t]*(start|end)[ \t]*:[ \t]*([a-z][-_0-9a-z]*)[ \t]*\]/i;
/** The part of a file a snippet names after its path: `:name`, or line ranges `:3:12,20:`. */
const PART = /^(.+?)(?::([a-z][-_0-9a-z]*)|((?::\d*){1,2}(?:,\d*(?::\d*)?)*))?$/i;

/** A snippet that could not be included, and why. */
export interface SnippetProblem {
  /** The page's line (1-based) of the snippet. */
  line: number;
  message: string;
}

export interface ExpandedSnippets {
  /** The page with its snippets in place (the same string when it has none). */
  text: string;
  /** The page's own line (1-based) of each line of `text`: a snippet's lines get the line that includes it. */
  lines: number[] | undefined;
  problems: SnippetProblem[];
}

/** Reads a snippet's file by the name written (`includes/abbreviations.md`): its text, or why it cannot be read. */
export type SnippetReader = (name: string) => { text: string } | { error: string };

/** Whether a page's text may hold snippets (a cheap test before {@link expandSnippets}). */
export const mayHaveSnippets = (text: string): boolean => text.includes('8<-');

/**
 * `source` (line endings normalised) with its snippets replaced by their text. Each line of the
 * result knows the page line it comes from, so warnings still name the page's own lines.
 */
export function expandSnippets(source: string, read: SnippetReader): ExpandedSnippets {
  if (!mayHaveSnippets(source)) return { text: source, lines: undefined, problems: [] };
  const problems: SnippetProblem[] = [];
  const out: string[] = [];
  const lines: number[] = [];
  const emit = (text: string, line: number) => {
    out.push(text);
    lines.push(line);
  };
  const expand = (text: string, pageLine: ((i: number) => number) | undefined, depth: number, including: readonly string[]) => {
    const input = text.split('\n');
    for (let i = 0; i < input.length; i++) {
      const at = pageLine ? pageLine(i) : i + 1;
      const line = input[i]!;
      const inline = INLINE.exec(line);
      const block = inline ? null : BLOCK.exec(line);
      if (!inline && !block) {
        emit(line, at);
        continue;
      }
      const [, indent = '', escapes = ''] = (inline ?? block)!;
      if (escapes !== '') {
        emit(line.replace(`${indent};`, indent), at);
        continue;
      }
      let names: string[];
      if (inline) names = [unquote(inline[3]!)];
      else {
        const close = input.findIndex((l, j) => j > i && BLOCK.test(l));
        if (close < 0) {
          emit(line, at);
          continue;
        }
        names = input.slice(i + 1, close).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith(';'));
        i = close;
      }
      for (const name of names) {
        const included = snippetText(name, read);
        if ('error' in included) {
          problems.push({ line: at, message: `the snippet "${name}" is not included: ${included.error}` });
          continue;
        }
        if (including.includes(included.file) || depth >= MAX_SNIPPET_DEPTH) {
          const why = including.includes(included.file) ? 'it includes itself' : `snippets are read ${MAX_SNIPPET_DEPTH} levels deep at most`;
          problems.push({ line: at, message: `the snippet "${name}" is not included: ${why}` });
          continue;
        }
        const indented = included.text
          .split('\n')
          .map((l) => (l === '' ? l : indent + l))
          .join('\n');
        expand(indented, () => at, depth + 1, [...including, included.file]);
      }
    }
  };
  expand(source, undefined, 0, []);
  const text = out.join('\n');
  return text === source ? { text, lines: undefined, problems } : { text, lines, problems };
}

/** An included file's lines: without a byte-order mark or a final newline, line endings normalised. */
export function fileLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
}

/** `"a \"b\""` → `a "b"`. */
function unquote(quoted: string): string {
  const quote = quoted[0]!;
  return quoted.slice(1, -1).replaceAll(`\\${quote}`, quote).trim();
}

/** The part of a snippet's file its name asks for, section markers left out. */
function snippetText(name: string, read: SnippetReader): { text: string; file: string } | { error: string } {
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(name)) return { error: 'snippets from URLs are not fetched' };
  const whole = read(name);
  const m = 'error' in whole ? PART.exec(name) : null;
  const file = m && (m[2] !== undefined || m[3] !== undefined) ? m[1]! : name;
  const found = file === name ? whole : read(file);
  if ('error' in found) return found;
  const lines = fileLines(found.text);
  let kept: string[];
  if (file !== name && m?.[2] !== undefined) {
    const section = m[2].toLowerCase();
    const start = lines.findIndex((l) => isMarker(l, 'start', section));
    const end = lines.findIndex((l, i) => i > start && isMarker(l, 'end', section));
    if (start < 0) return { error: `${file} has no section "${m[2]}" (a --8<-- [start:${m[2]}] line)` };
    kept = lines.slice(start + 1, end < 0 ? undefined : end);
  } else if (file !== name && m?.[3] !== undefined) {
    kept = m[3]
      .slice(1)
      .split(',')
      .flatMap((range) => {
        const [from = '', to = ''] = range.split(':');
        const first = Math.max(1, Number(from) || 1);
        const last = to === '' ? lines.length : Math.min(lines.length, Number(to));
        return lines.slice(first - 1, last);
      });
  } else kept = lines;
  return { text: kept.filter((l) => !SECTION.test(l)).join('\n'), file };
}

function isMarker(line: string, type: 'start' | 'end', section: string): boolean {
  const m = SECTION.exec(line);
  return m !== null && m[1]!.toLowerCase() === type && m[2]!.toLowerCase() === section;
}

/**
 * The folders snippet names are read from, for a content folder: `pymdownx.snippets`'
 * `base_path` in the `mkdocs.yml` beside the content folder (or in it), relative to that file's
 * folder; by default that folder itself (MkDocs' working directory). Without an `mkdocs.yml`:
 * the content folder only (a folder of docs that is not an MkDocs project).
 */
export function snippetBasePaths(contentDir: string): string[] {
  const content = resolve(contentDir);
  for (const folder of [dirname(content), content]) {
    const config = ['mkdocs.yml', 'mkdocs.yaml'].map((name) => join(folder, name)).find((file) => existsSync(file));
    if (!config) continue;
    const configured = configuredBasePaths(readFileSync(config, 'utf8'));
    return (configured ?? ['.']).map((p) => resolve(folder, p));
  }
  return [content];
}

/** `base_path` of `pymdownx.snippets` in an `mkdocs.yml`, if it sets one. */
function configuredBasePaths(yaml: string): string[] | undefined {
  let config: unknown;
  try {
    // MkDocs configs use Python tags (`!!python/name:…`, `!ENV`): read them as plain values.
    config = parseYaml(yaml, { logLevel: 'silent', customTags: (tags) => tags, strict: false, uniqueKeys: false });
  } catch {
    return undefined;
  }
  const extensions = (config as { markdown_extensions?: unknown } | null)?.markdown_extensions;
  if (!Array.isArray(extensions)) return undefined;
  for (const entry of extensions) {
    const options = entry && typeof entry === 'object' ? (entry as Record<string, unknown>)['pymdownx.snippets'] : undefined;
    const base = options && typeof options === 'object' ? (options as Record<string, unknown>).base_path : undefined;
    if (typeof base === 'string') return [base];
    if (Array.isArray(base) && base.every((b) => typeof b === 'string')) return base as string[];
  }
  return undefined;
}

/**
 * Reads snippet files from the first of `bases` that has them, never outside those folders
 * (`../` names and absolute paths are refused) and never a hidden file or one in a hidden folder
 * (`.env`, `.git/config`). Files are read once.
 */
export function snippetFileReader(bases: readonly string[]): SnippetReader {
  const cache = new Map<string, { text: string } | { error: string }>();
  return (name) => {
    let result = cache.get(name);
    if (!result) {
      result = { error: `no such file in ${bases.join(' or ')}` };
      for (const base of bases) {
        const file = resolve(base, name);
        if (isAbsolute(name) || !(file === base || file.startsWith(base + sep))) {
          result = { error: 'it names a file outside the snippet folders' };
          break;
        }
        if (file.slice(base.length).split(sep).some((segment) => segment.startsWith('.'))) {
          result = { error: 'hidden files are not read' };
          break;
        }
        if (existsSync(file) && statSync(file).isFile()) {
          // A symbolic link may lead out of the folder: its target must be inside too.
          const real = realpathSync(file);
          const realBase = realpathSync(base);
          if (!real.startsWith(realBase + sep)) {
            result = { error: 'it names a file outside the snippet folders' };
            break;
          }
          const text = readFileSync(file, 'utf8');
          result = text.includes('\0') ? { error: 'it is not a text file' } : { text };
          break;
        }
      }
      cache.set(name, result);
    }
    return result;
  };
}

/**
 * The snippet files `source` includes, nested ones too, each with its text (`''` when it cannot
 * be read): what the page's hash must cover, so that a changed snippet re-indexes its pages.
 */
export function includedSnippets(source: string, read: SnippetReader): [name: string, text: string][] {
  const used = new Map<string, string>();
  expandSnippets(source.replace(/\r\n?/g, '\n'), (name) => {
    const result = read(name);
    used.set(name, 'text' in result ? result.text : '');
    return result;
  });
  return [...used];
}
