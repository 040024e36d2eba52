/**
 * Inline syntax of MkDocs Material sites that other markdown readers show as written, made
 * markdown, by ingest and the docs site alike (outside code; no line moves):
 *
 * - **Cross-references** (mkdocs-autorefs, used by mkdocstrings): `[run_worker][textual.dom.DOMNode.run_worker]`
 *   or `` [`App`][textual.app.App] `` links to the API page of that object, and `[textual.app.App][]`
 *   to it by its own name. Their targets are no pages here, and a reference whose label the page
 *   does not define is shown with its brackets by any other reader: it becomes its text
 *   (`run_worker`, `` `App` ``). A reference the page defines (`[Nginx][nginx]` with a
 *   `[nginx]: https://…` line) stays a link.
 * - **Keys** (pymdownx.keys): `++ctrl+p++` is written `<kbd>Ctrl</kbd>+<kbd>P</kbd>`, as its
 *   site shows it.
 */
import { fencedLines } from './fences';
import { codeSpanOr } from './mdx-source';

/**
 * An inline code span (left as written, group 1 its backticks); a reference, `[text][label]` or
 * `[label][]`, whose text may hold code spans but no brackets (groups 2 and 3); or keys (group 4).
 */
const CODE_REFERENCE_OR_KEYS = codeSpanOr(
  String.raw`\[((?:\`[^\`\n]*\`|[^\][\`\n])+)\]\[([^\][\n]*)\]|\+\+([A-Za-z0-9][\w-]*(?:\+[A-Za-z0-9][\w-]*)*)\+\+`,
  'g',
);
/** What a cross-reference names: a Python object's dotted path or a heading's anchor. */
const AUTOREF = /^[A-Za-z_][\w.:-]*$/;
/** A link reference definition's label (`[nginx]: https://…`). */
const DEFINITION = /^[ \t]{0,3}\[([^\]\n]+)\]:/;

/** Key names as pymdownx.keys shows them, where capitalising the name is not it. */
const KEY_NAMES: Record<string, string> = {
  cmd: 'Cmd',
  ctrl: 'Ctrl',
  esc: 'Esc',
  del: 'Del',
  pgup: 'Page Up',
  pgdn: 'Page Down',
  'page-up': 'Page Up',
  'page-down': 'Page Down',
  'arrow-up': 'Up',
  'arrow-down': 'Down',
  'arrow-left': 'Left',
  'arrow-right': 'Right',
};

const normalLabel = (label: string) => label.trim().replace(/\s+/g, ' ').toLowerCase();

/** `source` with MkDocs cross-references and keys made markdown (see the module comment). */
export function mkdocsInlineAsMarkdown(source: string): string {
  const hasReference = source.includes('][');
  const hasKeys = source.includes('++');
  if (!hasReference && !hasKeys) return source;
  const lines = source.split('\n');
  const fenced = fencedLines(lines);
  const defined = new Set<string>();
  if (hasReference) lines.forEach((line, i) => {
    const m = fenced[i] ? null : DEFINITION.exec(line);
    if (m) defined.add(normalLabel(m[1]!));
  });
  let changed = false;
  const out = lines.map((line, i) => {
    if (fenced[i] || DEFINITION.test(line)) return line;
    const converted = line.replace(CODE_REFERENCE_OR_KEYS, (whole, ticks?: string, label?: string, target?: string, keys?: string, ...rest) => {
      if (ticks !== undefined) return whole;
      if (keys !== undefined) return keys.split('+').map((k) => `<kbd>${keyName(k)}</kbd>`).join('+');
      const at = rest[0] as number;
      const name = (target === '' ? label! : target!).trim();
      // Only an object's or heading's name (`textual.app.App`, `my-heading`), not `matrix[1][2]`.
      if (!AUTOREF.test(name) || /[\w\])]/.test(line[at - 1] ?? '') || defined.has(normalLabel(name))) return whole;
      return label!;
    });
    if (converted !== line) changed = true;
    return converted;
  });
  return changed ? out.join('\n') : source;
}

function keyName(key: string): string {
  const lower = key.toLowerCase();
  return KEY_NAMES[lower] ?? (key.length === 1 ? key.toUpperCase() : key.charAt(0).toUpperCase() + key.slice(1));
}
