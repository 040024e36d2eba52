/**
 * Citations: `[n]` markers in an answer become links to source n (its page and heading).
 *
 * A remark plugin, so markers inside code (`inlineCode`, `code`) stay text and nothing is done
 * with string replacement on HTML. A number that matches no source stays plain text: it is never
 * shown as a link. `[1, 2]` and `[1][2]` cite both. A link definition on a number
 * (`[1]: https://…`) is dropped, so it cannot turn `[1]` into a link to its URL (the server
 * removes such definitions too; this covers answers from elsewhere). A reference-style link on a
 * citation, `[the guide][1]`, shows as `the guide [1]`, as the server now writes it, also in
 * answers stored before it did (the stored text is not changed).
 */
import type { Link, Nodes, Parent, PhrasingContent, Root, Text } from 'mdast';
import { visit, SKIP } from 'unist-util-visit';
import type { SourceInfo } from './types';

/** Matches `[1]`, `[12]`, `[1, 2]`, `[1,2,3]`. */
const MARKER = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;

export interface CitationOptions {
  sources: readonly SourceInfo[];
  /** Turns a source URL into the link's href (e.g. against the Docent server). Default: as is. */
  resolveUrl?: (url: string) => string;
}

/** The citation numbers in `text`, in order of first appearance, valid or not. */
export function citedNumbers(text: string): number[] {
  const out: number[] = [];
  for (const match of text.matchAll(MARKER)) {
    for (const n of match[1]!.split(',').map((s) => Number(s.trim()))) if (!out.includes(n)) out.push(n);
  }
  return out;
}

function splitText(node: Text, byRank: Map<number, SourceInfo>, resolve: (url: string) => string): PhrasingContent[] | undefined {
  const value = node.value;
  const out: PhrasingContent[] = [];
  let last = 0;
  let changed = false;
  for (const match of value.matchAll(MARKER)) {
    const numbers = match[1]!.split(',').map((s) => Number(s.trim()));
    if (!numbers.some((n) => byRank.has(n))) continue;
    changed = true;
    if (match.index > last) out.push({ type: 'text', value: value.slice(last, match.index) });
    numbers.forEach((n, i) => {
      const source = byRank.get(n);
      if (source) {
        // Right after another marker (`[1, 2]`, `[1][2]`): spaced apart so each keeps its 24 px target.
        const afterCite = [...out].reverse().find((p) => p.type !== 'text' || p.value !== '')?.type === 'link';
        const link: Link = {
          type: 'link',
          url: resolve(source.url),
          title: null,
          children: [{ type: 'text', value: String(n) }],
          data: { hProperties: { 'data-citation': String(n), className: ['dc-cite'], ...(afterCite ? { 'data-after-citation': 'true' } : {}) } },
        };
        out.push(link);
      } else {
        out.push({ type: 'text', value: `[${n}]` });
      }
      if (i < numbers.length - 1) out.push({ type: 'text', value: '' });
    });
    last = match.index + match[0].length;
  }
  if (!changed) return undefined;
  if (last < value.length) out.push({ type: 'text', value: value.slice(last) });
  return out.filter((n) => n.type !== 'text' || n.value !== '');
}

/**
 * A remark plugin that turns raw HTML (`<script>`, `<img onerror>`, ...) into plain text, so an
 * answer shows it as written instead of dropping it, and nothing downstream ever parses it.
 */
export function remarkHtmlAsText() {
  return (tree: Root) => {
    visit(tree, 'html', (node, index, parent: Parent | undefined) => {
      if (!parent || index === undefined) return;
      const text: Text = { type: 'text', value: node.value };
      const phrasing = parent.type === 'paragraph' || parent.type === 'heading' || parent.type === 'emphasis' ||
        parent.type === 'strong' || parent.type === 'delete' || parent.type === 'link' || parent.type === 'tableCell';
      parent.children.splice(index, 1, (phrasing ? text : { type: 'paragraph', children: [text] }) as Parent['children'][number]);
    });
  };
}

/** A reference label that is a citation: `1`, `^2`, `1, 3`. */
const CITATION_LABEL = /^\^?\s*\d{1,3}(?:\s*[,;]\s*\^?\d{1,3})*\s*$/;

/**
 * Drops link definitions on numbers, and turns the references they made (`[1]`, `[x][1]`) back
 * into their text, where the citation pass finds them.
 */
function dropCitationDefinitions(tree: Root, source: string): void {
  visit(tree, (node: Nodes, index, parent: Parent | undefined) => {
    if (!parent || index === undefined) return;
    if (node.type === 'definition' && CITATION_LABEL.test(node.label ?? node.identifier)) {
      parent.children.splice(index, 1);
      return [SKIP, index];
    }
    if (node.type === 'linkReference' && CITATION_LABEL.test(node.label ?? node.identifier)) {
      if (node.referenceType === 'full' && !CITATION_LABEL.test(plainText(node.children) ?? '')) {
        // `[the guide][1]`: its text (formatting kept), then the citation, as in `the guide [1]`.
        const citation: Text = { type: 'text', value: ` [${node.label ?? node.identifier}]` };
        parent.children.splice(index, 1, ...node.children, citation);
        return index;
      }
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      const value = start !== undefined && end !== undefined ? source.slice(start, end) : `[${node.label ?? node.identifier}]`;
      parent.children.splice(index, 1, { type: 'text', value } as Text);
      return [SKIP, index + 1];
    }
    return undefined;
  });
}

/** The text of `nodes` when they are only text, else `undefined`. */
function plainText(nodes: readonly PhrasingContent[]): string | undefined {
  return nodes.every((n) => n.type === 'text') ? nodes.map((n) => (n as Text).value).join('') : undefined;
}

/** `[text][n]` in text: a reference-style link's text followed by a citation (not by `(` or `:`). */
const BRACKETED_LINK_TEXT = /\[([^[\]\n]{1,100})\](?=\[\^?\s*\d{1,3}(?:\s*[,;]\s*\^?\d{1,3})*\s*\](?![(:]))/g;

/**
 * `[the guide][1]` written without a definition (answers stored before the server began writing
 * `the guide [1]`): markdown leaves it as text, which would show `[the guide]` in brackets before
 * the citation. Shown as `the guide [1]` instead, only when drawn: the stored answer is not
 * changed. As on the server, the link text must not itself be a citation (`[1][2]` cites both),
 * an image (`![x][1]`) and text written with escapes or entities (`\[x][1]`) are left as written,
 * and so is a `[1]` followed by `(` or `:`.
 */
function unbracketCitedLinkText(tree: Root, source: string): void {
  visit(tree, 'text', (node: Text, _index, parent: Parent | undefined) => {
    if (!parent || parent.type === 'link' || parent.type === 'linkReference') return;
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    // An escape or an entity makes the value differ from what was written: leave it as written.
    if (start !== undefined && end !== undefined && source && source.slice(start, end) !== node.value) return;
    node.value = node.value.replace(BRACKETED_LINK_TEXT, (whole: string, text: string, offset: number, value: string) =>
      CITATION_LABEL.test(text) || value[offset - 1] === '!' || value[offset - 1] === '\\' ? whole : `${text} `,
    );
  });
}

/** The remark plugin. */
export function remarkCitations(options: CitationOptions) {
  const byRank = new Map(options.sources.map((s) => [s.rank, s]));
  const resolve = options.resolveUrl ?? ((url: string) => url);
  return (tree: Root, file?: { value?: unknown }) => {
    const source = String(file?.value ?? '');
    dropCitationDefinitions(tree, source);
    unbracketCitedLinkText(tree, source);
    if (byRank.size === 0) return;
    visit(tree, 'text', (node: Text, index, parent: Parent | undefined) => {
      if (!parent || index === undefined || parent.type === 'link' || parent.type === 'linkReference') return;
      const replacement = splitText(node, byRank, resolve);
      if (!replacement) return;
      parent.children.splice(index, 1, ...(replacement as Parent['children']));
      return [SKIP, index + replacement.length];
    });
  };
}
