/**
 * Where an offset of an answer's markdown falls, as a markdown parser sees it: in code (a fenced
 * or indented code block, wherever it is nested: in a list item, a blockquote; or an inline code
 * span), at the start of a link reference definition (`[1]: https://…`), or in ordinary text.
 *
 * Built for a text that grows as it streams: each call parses only from the start of the last
 * top-level block of the previous call (the blocks before it are closed, and text added later
 * cannot change them), so a long answer is not parsed again from its start at every citation.
 */
import type { Nodes, Root } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

/** CommonMark, as the chat widget parses answers (GFM adds nothing that makes or ends code). */
const parser = unified().use(remarkParse);

export type MarkdownPlace = 'code' | 'definition' | 'text';

export interface MarkdownLocator {
  /**
   * What is at `offset` of `text`. Every call's `text` must extend the previous call's (a stream
   * so far); `text` should reach past `offset` to the end of what is asked about (a citation, a
   * definition's line). A backtick opened earlier on the same line and not closed yet counts as
   * code: the span it opens is still being written.
   */
  at(text: string, offset: number): MarkdownPlace;
}

/** Creates a locator for one growing text. */
export function createMarkdownLocator(): MarkdownLocator {
  let base = 0;
  return {
    at(text, offset) {
      const source = text.slice(base);
      const tree = parser.parse(source) as Root;
      const place = placeOf(tree, source, offset - base);
      const last = tree.children.at(-1)?.position?.start.offset;
      if (last !== undefined) base += source.lastIndexOf('\n', last - 1) + 1;
      return place;
    },
  };
}

function placeOf(tree: Root, source: string, p: number): MarkdownPlace {
  let place: MarkdownPlace = 'text';
  const visit = (node: Nodes): boolean => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined || p < start || p >= end) return false;
    if (node.type === 'code' || node.type === 'inlineCode') {
      place = 'code';
      return true;
    }
    if (node.type === 'definition') {
      if (start === p) place = 'definition';
      return true;
    }
    if ((node.type === 'paragraph' || node.type === 'heading') && opensCodeSpan(node, source, start, p)) {
      place = 'code';
      return true;
    }
    if ('children' in node) for (const child of node.children as Nodes[]) if (visit(child)) return true;
    return node.type !== 'root';
  };
  visit(tree);
  return place;
}

/** Whether a backtick before `p`, on its line and outside closed code spans, opens a span still being written. */
function opensCodeSpan(block: Nodes, source: string, blockStart: number, p: number): boolean {
  const closed: [number, number][] = [];
  const collect = (node: Nodes) => {
    if (node.type === 'inlineCode' && node.position) closed.push([node.position.start.offset!, node.position.end.offset!]);
    else if ('children' in node) for (const child of node.children as Nodes[]) collect(child);
  };
  collect(block);
  for (let i = Math.max(blockStart, source.lastIndexOf('\n', p - 1) + 1); i < p; i++) {
    const span = closed.find(([a, b]) => i >= a && i < b);
    if (span) {
      i = span[1] - 1;
      continue;
    }
    if (source[i] === '\\') i++;
    else if (source[i] === '`') return true;
  }
  return false;
}
