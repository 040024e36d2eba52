/**
 * MkDocs blocks made `:::` containers, before a page is parsed, by ingest and by the docs site
 * alike. MkDocs (Python-Markdown, Material for MkDocs) writes an admonition or a content tab as a
 * marker line with its content indented by four spaces:
 *
 * ```md
 * !!! warning "Back up first"
 *     The migration rewrites the table.
 *
 * ??? note "Collapsed by default"      (???+ : open by default)
 *     Details here.
 *
 * === "npm"
 *     ```sh
 *     npm install docent
 *     ```
 * ```
 *
 * Any other markdown reader takes that content for an indented code block (or, right under the
 * marker, for more of the marker's paragraph): ingest indexed prose as code, and the docs site
 * showed it in a code box. Here the marker becomes a `:::` container marker, which ingest and the
 * site already read (`containers.ts`): `!!! warning "Back up first"` → `::: warning Back up first`,
 * `???` → `::: details` (`???+`, open by default, → `::: details Title {open}`), `=== "npm"` →
 * `::: tab npm`, and the content loses its four spaces (blocks nested in it are converted the
 * same way), also inside a list item (indented as the item's content, its content four more).
 * Markers inside fenced code are left alone.
 *
 * An mkdocstrings or mkautodoc directive (`::: httpx.Client` with `:docstring:` under it), whose
 * API docs come from Python docstrings Docent does not have, is kept as the object's name in code,
 * its option lines blank: it was read as a `::: httpx` container titled ".Client".
 *
 * The newer pymdownx.blocks syntax (FastAPI's docs) does not indent: `/// warning | Title` … `///`
 * becomes `::: warning Title` … `:::` line for line (more slashes outside, more colons outside),
 * `/// admonition | Title` takes its kind from a `type:` option line; blocks of other kinds
 * (`/// html | div`) are left as written.
 *
 * With `close` (the docs site, which needs to know where a container ends), a closing marker
 * follows each block, with blank lines around the content. Without it (ingest), nothing is added,
 * so every line stays on its line number (ingest's warnings name lines).
 */
import { containerMarker } from './containers';
import { fencedLines } from './fences';
import { inListItem } from './list-items';

export interface MkdocsBlocksOptions {
  /**
   * Write a closing `:::` line after each block, with blank lines around its content, as the docs
   * site needs to render a callout. Lines move. Default: `false`: every line keeps its number.
   */
  close?: boolean;
}

/** Whether `source` may hold an MkDocs block (a cheap test, before converting). */
const MAY_HAVE_BLOCKS = /^[ \t]*(?:!!!|\?\?\?|===|\/\/\/|:::[ \t]+[A-Za-z_]\w*\.)/m;
/**
 * `::: package.module.Class`: an mkdocstrings / mkautodoc directive, replaced on an MkDocs site by
 * the API docs of that Python object, with its options indented under it (`:docstring:`,
 * `options:` …). Not a container: read as the object's name.
 */
const AUTODOC = /^([ \t]*):::[ \t]+([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)[ \t]*$/;

/** `!!! kind "title"` (admonition), `??? kind` / `???+ kind` (collapsible); extra words are CSS classes (`inline end`). */
const ADMONITION = /^(!!!|\?\?\?\+?)[ \t]*([\w-]+)((?:[ \t]+[\w-]+)*)(?:[ \t]+"(.*)")?[ \t]*$/;
/** `=== "title"` (pymdownx.tabbed content tab; `===+` selected, `===!` starts a new tab set). */
const TAB = /^===[+!]{0,2}[ \t]+"(.*)"[ \t]*$/;
/** `/// kind | title` … `///` (pymdownx.blocks, as in FastAPI's docs): content not indented, more slashes outside. */
const SLASH_BLOCK = /^(\/{3,})[ \t]*([\w-]+)(?:[ \t]*\|[ \t]*(.*?))?[ \t]*$/;
const SLASH_CLOSE = /^(\/{3,})[ \t]*$/;
/** The pymdownx.blocks read as containers: admonitions (by type), `details` and `tab`; others (`html`, `define`) are left alone. */
const SLASH_KINDS = new Set(
  'admonition details tab note attention caution danger error hint important tip warning info success question failure bug example quote abstract summary tldr todo seealso check done faq help fail missing cite'.split(' '),
);

/**
 * `source` (a page's text, line endings normalised) with its MkDocs admonitions and content tabs
 * written as `:::` containers (see the module's comment). A page without them is returned as is.
 */
export function mkdocsBlocksAsContainers(source: string, options: MkdocsBlocksOptions = {}): string {
  if (!MAY_HAVE_BLOCKS.test(source)) return source;
  const lines = source.split('\n');
  // Frontmatter (YAML `---` or TOML `+++`) is not markdown.
  const frontmatterEnd = lines[0] === '---' || lines[0] === '+++' ? lines.indexOf(lines[0], 1) : -1;
  const head = frontmatterEnd > 0 ? lines.slice(0, frontmatterEnd + 1) : [];
  const converted = convert(lines.slice(head.length), options.close ?? false);
  return [...head, ...converted.lines].join('\n');
}

interface Marker {
  kind: string;
  title: string;
}

/** The container a line opens, when it is an MkDocs block's marker. */
function markerOf(line: string): Marker | undefined {
  const admonition = ADMONITION.exec(line);
  if (admonition) {
    const [, sign, type, , quoted] = admonition;
    const kind = type!.toLowerCase();
    if (sign === '!!!') return { kind, title: quoted?.trim() ?? '' };
    // Collapsible: MkDocs titles one without a title by its kind ("Note"); `???+` is open.
    const title = quoted?.trim() || kind.charAt(0).toUpperCase() + kind.slice(1);
    return { kind: 'details', title: sign === '???+' ? `${title} {open}` : title };
  }
  const tab = TAB.exec(line);
  if (tab) return { kind: 'tab', title: tab[1]!.trim() };
  return undefined;
}

const isBlank = (line: string) => line.trim() === '';
const isIndented = (line: string) => line.startsWith('    ') || line.startsWith('\t');
const dedent = (line: string) => (line.startsWith('\t') ? line.slice(1) : line.slice(4));

/** `lines` converted, and how deep the containers written nest (0: none). */
function convert(lines: readonly string[], close: boolean): { lines: string[]; depth: number } {
  const out: string[] = [];
  let depth = 0;
  const inFence = fencedLines(lines);
  /** The pymdownx blocks open here, innermost last: their slashes, and whether they were converted. */
  const slashes: { count: number; converted: boolean }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inFence[i]) {
      out.push(line);
      continue;
    }
    const autodoc = AUTODOC.exec(line);
    if (autodoc) {
      // The object's name as code; its option lines become blank (line for line).
      out.push(`${autodoc[1]}\`${autodoc[2]}\``);
      const indent = autodoc[1]!.length;
      while (i + 1 < lines.length && !isBlank(lines[i + 1]!) && /^\s*/.exec(lines[i + 1]!)![0].length > indent) {
        out.push('');
        i++;
      }
      continue;
    }
    const slash = slashBlock(lines, i, slashes);
    if (slash) {
      // Same lines, no content to out-dent: the marker lines become container markers in place.
      // (One at a time, here and below: a generated block of 200,000 lines is more than a call may pass.)
      for (const l of slash.lines) out.push(l);
      depth = Math.max(depth, 1);
      i = slash.last;
      continue;
    }
    // A block inside a list item is indented as the item's content is.
    const indent = /^ */.exec(line)![0];
    const marker = indent === '' || inListItem(lines, i, indent.length) ? markerOf(line.slice(indent.length)) : undefined;
    if (!marker) {
      out.push(line);
      continue;
    }
    // The content: the lines indented four more that follow, with the blank lines between them.
    const inside = (l: string) => (indent === '' ? isIndented(l) : l.startsWith(`${indent}    `));
    let last = i;
    for (let j = i + 1; j < lines.length && (isBlank(lines[j]!) || inside(lines[j]!)); j++) if (!isBlank(lines[j]!)) last = j;
    const inner = convert(lines.slice(i + 1, last + 1).map((l) => (isBlank(l) ? '' : dedent(l.slice(indent.length)))), close);
    // An enclosing container has more colons than any inside it (`::::` around `:::`).
    const colons = Math.max(3 + inner.depth, 1 + inner.lines.reduce((most, l) => Math.max(most, containerMarker(l)?.colons ?? 0), 0));
    const opening = `${':'.repeat(colons)} ${marker.kind}${marker.title ? ` ${marker.title}` : ''}`;
    // A marker starts a paragraph only after a blank line; the site's callouts need that.
    if (close && out.length && !isBlank(out.at(-1)!)) out.push('');
    out.push(indent + opening);
    if (close) out.push('');
    for (const l of inner.lines) out.push(l === '' ? l : indent + l);
    if (close) out.push('', indent + ':'.repeat(colons), '');
    depth = Math.max(depth, inner.depth + 1);
    i = last;
  }
  return { lines: out, depth };
}

/**
 * The pymdownx block marker at `lines[start]` (`/// warning | Title` or the closing `///`), as
 * container marker lines (as many colons as slashes, so nesting is kept), one for one. An opening
 * marker's option lines (indented `key: value` right under it; `type: warning` gives an admonition
 * its kind) become blank. `open` is the stack of blocks opened so far: a block of another kind
 * (`/// html | div`) is left as written, and so is its closing marker.
 */
function slashBlock(lines: readonly string[], start: number, open: { count: number; converted: boolean }[]): { lines: string[]; last: number } | undefined {
  const close = SLASH_CLOSE.exec(lines[start]!);
  if (close) {
    const at = open.map((b) => b.count).lastIndexOf(close[1]!.length);
    if (at < 0) return undefined;
    const [block] = open.splice(at);
    return block!.converted ? { lines: [':'.repeat(close[1]!.length)], last: start } : undefined;
  }
  const marker = SLASH_BLOCK.exec(lines[start]!);
  if (!marker) return undefined;
  let kind = marker[2]!.toLowerCase();
  const converted = SLASH_KINDS.has(kind);
  open.push({ count: marker[1]!.length, converted });
  if (!converted) return undefined;
  const options: string[] = [];
  let last = start;
  let shownOpen = false;
  for (let j = start + 1; j < lines.length && isIndented(lines[j]!) && /^\s+[\w-]+:/.test(lines[j]!); j++) {
    const type = /^\s+type:\s*([\w-]+)\s*$/.exec(lines[j]!)?.[1];
    if (type && kind === 'admonition') kind = type.toLowerCase();
    if (/^\s+open:\s*(?:true|yes|on)\s*$/i.test(lines[j]!)) shownOpen = true;
    options.push('');
    last = j;
  }
  if (kind === 'admonition') kind = 'note';
  const title = `${marker[3]?.trim() ?? ''}${shownOpen && kind === 'details' ? ' {open}' : ''}`.trim();
  return { lines: [`${':'.repeat(marker[1]!.length)} ${kind}${title ? ` ${title}` : ''}`, ...options], last };
}
