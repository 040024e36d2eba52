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
 * `???` → `::: details`, `=== "npm"` → `::: tab npm`, and the content loses its four spaces (blocks
 * nested in it are converted the same way). Markers inside fenced code are left alone.
 *
 * With `close` (the docs site, which needs to know where a container ends), a closing marker
 * follows each block, with blank lines around the content. Without it (ingest), nothing is added,
 * so every line stays on its line number (ingest's warnings name lines).
 */
import { containerMarker } from './containers';

export interface MkdocsBlocksOptions {
  /**
   * Write a closing `:::` line after each block, with blank lines around its content, as the docs
   * site needs to render a callout. Lines move. Default: `false`: every line keeps its number.
   */
  close?: boolean;
}

/** Whether `source` may hold an MkDocs block (a cheap test, before converting). */
const MAY_HAVE_BLOCKS = /^[ \t]*(?:!!!|\?\?\?|===)/m;

/** `!!! kind "title"` (admonition), `??? kind` / `???+ kind` (collapsible); extra words are CSS classes (`inline end`). */
const ADMONITION = /^(!!!|\?\?\?\+?)[ \t]*([\w-]+)((?:[ \t]+[\w-]+)*)(?:[ \t]+"(.*)")?[ \t]*$/;
/** `=== "title"` (pymdownx.tabbed content tab; `===+` selected, `===!` starts a new tab set). */
const TAB = /^===[+!]{0,2}[ \t]+"(.*)"[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * `source` (a page's text, line endings normalised) with its MkDocs admonitions and content tabs
 * written as `:::` containers (see the module's comment). A page without them is returned as is.
 */
export function mkdocsBlocksAsContainers(source: string, options: MkdocsBlocksOptions = {}): string {
  if (!MAY_HAVE_BLOCKS.test(source)) return source;
  const lines = source.split('\n');
  // YAML frontmatter is not markdown.
  const frontmatterEnd = lines[0] === '---' ? lines.indexOf('---', 1) : -1;
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
    // Collapsible: MkDocs titles one without a title by its kind ("Note").
    return { kind: 'details', title: quoted?.trim() || kind.charAt(0).toUpperCase() + kind.slice(1) };
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
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (fence !== undefined) {
      out.push(line);
      if (new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`).test(line)) fence = undefined;
      continue;
    }
    const opener = FENCE.exec(line);
    if (opener) {
      fence = opener[1]!;
      out.push(line);
      continue;
    }
    const marker = markerOf(line);
    if (!marker) {
      out.push(line);
      continue;
    }
    // The content: the indented lines that follow, with the blank lines between them.
    let last = i;
    for (let j = i + 1; j < lines.length && (isBlank(lines[j]!) || isIndented(lines[j]!)); j++) if (!isBlank(lines[j]!)) last = j;
    const inner = convert(lines.slice(i + 1, last + 1).map((l) => (isBlank(l) ? '' : dedent(l))), close);
    // An enclosing container has more colons than any inside it (`::::` around `:::`).
    const colons = Math.max(3 + inner.depth, 1 + Math.max(0, ...inner.lines.map((l) => containerMarker(l)?.colons ?? 0)));
    const opening = `${':'.repeat(colons)} ${marker.kind}${marker.title ? ` ${marker.title}` : ''}`;
    // A marker starts a paragraph only after a blank line; the site's callouts need that.
    if (close) out.push(...(out.length && !isBlank(out.at(-1)!) ? [''] : []), opening, '', ...inner.lines, '', ':'.repeat(colons), '');
    else out.push(opening, ...inner.lines);
    depth = Math.max(depth, inner.depth + 1);
    i = last;
  }
  return { lines: out, depth };
}
