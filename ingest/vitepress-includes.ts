/**
 * VitePress includes (and VuePress' markdown-include, which reads the same), put in place before
 * a page is read, by ingest and the docs site alike:
 *
 * - **Markdown file inclusion**: a line `<!--@include: ./parts/basics.md-->` is replaced by that
 *   file's text (without its frontmatter), anywhere outside fenced code. A part of it may be
 *   named: lines (`{3,}`, `{,10}`, `{1,10}`), a VS Code region (`#basic-usage`, between
 *   `<!-- #region basic-usage -->` and `<!-- #endregion basic-usage -->`), or, when the file has
 *   no such region, the section under the heading with that anchor (`#my-base-section`, up to
 *   the next heading as high), lines counted within the region or section.
 * - **Code snippet import**: a line `<<< @/snippets/snippet.js`, with an optional region
 *   (`#snippet`, out-dented), braces (`{2}` highlighted lines, `{1,2 ts:line-numbers}` a
 *   language) and title (`[title]`), becomes a fenced code block of that file, in the language
 *   its braces or extension give.
 *
 * Names starting `@/` (or `@`) are read from the content folder, VitePress' source root; others
 * from the folder of the page (or of the included file that names them). The reader refuses what
 * is outside the content folder or hidden (`snippets.ts`' `snippetFileReader`). VitePress leaves a
 * file it cannot read out silently; here the page's line is named in a warning. Includes in
 * included files are read, {@link MAX_SNIPPET_DEPTH} deep at most (a cycle is not followed).
 */
import { dirname, extname, normalize } from 'node:path/posix';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Heading } from 'mdast';
import { headingAnchors } from './anchors';
import { fencedLines } from './fences';
import { type ExpandedSnippets, fileLines, MAX_SNIPPET_DEPTH, type SnippetProblem, type SnippetReader } from './snippets';

/** `<!--@include: path-->` alone on its line (group 1 the indentation, group 2 what follows `@include:`). */
const INCLUDE = /^([ \t]*)<!--\s*@include:\s*(.*?)\s*-->[ \t]*$/;
/** What may follow an include's file name: `#region` or `#heading-anchor`, `{first,last}` lines. */
const INCLUDE_PARTS = /^(.+?)(?:#([^\s{]+))?(?:\{(\d*),(\d*)\})?$/;
/** `<<< path…` (group 1 the indentation, up to three spaces; group 2 the rest). */
const IMPORT = /^( {0,3})<<<[ \t]+(\S.*?)[ \t]*$/;
/** What may follow a code import's file name: `#region`, `{lines lang}`, `[title]`. */
const IMPORT_PARTS = /^(.+?)(?:#([\w-]+))?(?:[ \t]*\{(\d+(?:[,-]\d+)*)?[ \t]*([^\s}]+)?\})?(?:[ \t]*\[(.+)\])?$/;

/** Whether a page's text may hold an include (a cheap test before {@link expandIncludes}). */
export const mayHaveIncludes = (text: string): boolean => text.includes('@include:') || text.includes('<<<');

/**
 * `source` (line endings normalised), the page at `page` (a content-relative path), with its
 * includes in place. `read` reads content-relative names. Each line of the result knows the page
 * line it comes from.
 */
export function expandIncludes(source: string, page: string, read: SnippetReader): ExpandedSnippets {
  if (!mayHaveIncludes(source)) return { text: source, lines: undefined, problems: [] };
  const problems: SnippetProblem[] = [];
  const out: string[] = [];
  const lines: number[] = [];
  const emit = (text: string, line: number) => {
    out.push(text);
    lines.push(line);
  };
  const expand = (text: string, file: string, pageLine: ((i: number) => number) | undefined, including: readonly string[]) => {
    const input = text.split('\n');
    const fenced = fencedLines(input);
    for (let i = 0; i < input.length; i++) {
      const at = pageLine ? pageLine(i) : i + 1;
      const line = input[i]!;
      const include = fenced[i] ? null : INCLUDE.exec(line);
      const codeImport = fenced[i] || include ? null : IMPORT.exec(line);
      if (!include && !codeImport) {
        emit(line, at);
        continue;
      }
      const written = (include ?? codeImport)![2]!;
      const where = file === page ? '' : ` (in ${file})`;
      const part = include ? includedMarkdown(written, file, read) : importedCode(written, file, read);
      if ('error' in part) {
        problems.push({ line: at, message: `${include ? 'the include' : 'the code import'} "${written}"${where} is not put in place: ${part.error}` });
        emit(line, at);
        continue;
      }
      if (include && (including.includes(part.file) || including.length > MAX_SNIPPET_DEPTH)) {
        const why = including.includes(part.file) ? 'it includes itself' : `includes are read ${MAX_SNIPPET_DEPTH} levels deep at most`;
        problems.push({ line: at, message: `the include "${written}"${where} is not put in place: ${why}` });
        emit(line, at);
        continue;
      }
      const indent = (include ?? codeImport)![1]!;
      const indented = part.text
        .split('\n')
        .map((l) => (l === '' ? l : indent + l))
        .join('\n');
      if (include) expand(indented, part.file, () => at, [...including, part.file]);
      else for (const l of indented.split('\n')) emit(l, at);
    }
  };
  expand(source, page, undefined, [page]);
  const text = out.join('\n');
  return text === source ? { text, lines: undefined, problems } : { text, lines, problems };
}

/**
 * The files `source` (the page at `page`) includes, nested ones too, each with its text (`''`
 * when it cannot be read): what the page's hash must cover.
 */
export function includedFiles(source: string, page: string, read: SnippetReader): [name: string, text: string][] {
  const used = new Map<string, string>();
  expandIncludes(source.replace(/\r\n?/g, '\n'), page, (name) => {
    const result = read(name);
    used.set(name, 'text' in result ? result.text : '');
    return result;
  });
  return [...used];
}

/**
 * The files the page at `page` includes with `@include:` lines (content-relative, direct ones
 * only; code imports are not counted): on a VitePress site these are parts, which the site's
 * `srcExclude` keeps from being pages of their own (`scan.ts` leaves them out).
 */
export function includeTargets(source: string, page: string): string[] {
  if (!source.includes('@include:')) return [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const fenced = fencedLines(lines);
  const targets = new Set<string>();
  lines.forEach((line, i) => {
    const include = fenced[i] ? null : INCLUDE.exec(line);
    const name = include ? INCLUDE_PARTS.exec(include[2]!)?.[1] : undefined;
    if (name) targets.add(resolveName(name, page));
  });
  return [...targets];
}

/** The content-relative file a name written in `from` means (`@/x`: the content folder's). */
function resolveName(written: string, from: string): string {
  if (written.startsWith('@')) return normalize(written.replace(/^@\/?/, ''));
  return normalize(`${dirname(from)}/${written}`);
}

/** The text an `@include:` puts in place (see the module's comment). */
function includedMarkdown(written: string, from: string, read: SnippetReader): { text: string; file: string } | { error: string } {
  const m = INCLUDE_PARTS.exec(written);
  if (!m) return { error: 'no file is named' };
  const [, name, region, first, last] = m;
  const file = resolveName(name!, from);
  const found = read(file);
  if ('error' in found) return found;
  let lines = fileLines(found.text);
  if (region !== undefined) {
    const part = regionLines(lines, region) ?? sectionLines(lines, region);
    if (!part) return { error: `${file} has no region or heading "${region}"` };
    lines = part;
  }
  if (first !== undefined) lines = lines.slice(first ? Number(first) - 1 : 0, last ? Number(last) : undefined);
  else if (region === undefined) lines = withoutFrontmatter(lines);
  return { text: lines.join('\n'), file };
}

/** The fenced code block a `<<<` import becomes (see the module's comment). */
function importedCode(written: string, from: string, read: SnippetReader): { text: string; file: string } | { error: string } {
  const m = IMPORT_PARTS.exec(written);
  if (!m) return { error: 'no file is named' };
  const [, name, region, , language, title] = m;
  const file = resolveName(name!.trim(), from);
  const found = read(file);
  if ('error' in found) return found;
  let lines = fileLines(found.text);
  if (region !== undefined) {
    const part = regionLines(lines, region);
    if (!part) return { error: `${file} has no region "${region}"` };
    lines = outdented(part);
  }
  const lang = (language ?? extname(file).slice(1)).replace(/:.*$/, '');
  const longest = lines.reduce((most, l) => Math.max(most, /^\s*(`+)/.exec(l)?.[1]!.length ?? 0), 2);
  const fence = '`'.repeat(longest + 1);
  return { text: [`${fence}${lang}${title ? ` [${title}]` : ''}`, ...lines, fence].join('\n'), file };
}

/** A VS Code region marker in any comment syntax: `// #region name`, `<!-- #endregion -->`, `#pragma region name`. */
const REGION = /^\s*(?:(?:\/\/|<!--)\s*#?|(?:\/\*|--|::|@?REM|\(\*)\s*#|#(?:pragma\s+)?)(end ?)?region\b[ \t]*([\w-]*)/i;

/** The lines of the region `name`, other regions' markers left out; undefined when there is none. */
function regionLines(lines: readonly string[], name: string): string[] | undefined {
  const marker = (l: string) => REGION.exec(l);
  const start = lines.findIndex((l) => {
    const m = marker(l);
    return m !== null && !m[1] && m[2] === name;
  });
  if (start < 0) return undefined;
  let depth = 0;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const m = marker(lines[i]!);
    if (!m) continue;
    if (!m[1]) depth++;
    else if (m[2] === name || (m[2] === '' && depth === 0)) {
      end = i;
      break;
    } else depth = Math.max(0, depth - 1);
  }
  return lines.slice(start + 1, end).filter((l) => !marker(l));
}

/** The lines under the heading whose anchor is `anchor`, up to the next heading as high; undefined when there is none. */
function sectionLines(lines: readonly string[], anchor: string): string[] | undefined {
  const tree = unified().use(remarkParse).use(remarkFrontmatter, ['yaml', 'toml']).parse(lines.join('\n'));
  const anchors = headingAnchors(tree);
  const headings = [...anchors.keys()];
  const at = headings.findIndex((h) => anchors.get(h) === anchor);
  if (at < 0) return undefined;
  const heading: Heading = headings[at]!;
  const next = headings.slice(at + 1).find((h) => h.depth <= heading.depth);
  return lines.slice(heading.position!.end.line, next ? next.position!.start.line - 1 : undefined);
}

/** `lines` without a leading YAML frontmatter block. */
function withoutFrontmatter(lines: string[]): string[] {
  if (lines[0] !== '---') return lines;
  const end = lines.indexOf('---', 1);
  return end < 0 ? lines : lines.slice(end + 1);
}

/** `lines` with their common indentation taken off. */
function outdented(lines: string[]): string[] {
  // Not `Math.min(...indents)`: a file of 200,000 lines is more than a call may pass.
  const common = lines.reduce((least, l) => (l.trim() === '' ? least : Math.min(least, /^[ \t]*/.exec(l)![0].length)), Number.POSITIVE_INFINITY);
  if (common === Number.POSITIVE_INFINITY) return lines;
  return lines.map((l) => l.slice(common));
}
