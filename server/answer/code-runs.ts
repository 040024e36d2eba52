/**
 * A section's markdown cut into runs of text and code blocks, for the extractive answer, which
 * quotes text as sentences and code as code. A code block is found wherever it is nested: fenced
 * with backticks or tildes at any indentation (a list item's step: "1. Run:" then an indented
 * fence), or indented four columns past the content of the list item it is in (CommonMark's
 * indented code; not in MDX, which has none).
 *
 * Fences are read as ingest reads them (`ingest/fences.ts`): a closing fence is the opening's
 * character, at least as many times, alone on a line, at any indentation (a fence inside a
 * component inside a list item can reach a chunk with its opening line moved to the left and its
 * closing line not); a fence never closed runs to the end. Each code run is given back at the left
 * margin, fenced, its lines without the indentation they had in the list.
 */

export interface MarkdownRun {
  /** Whether this run is a code block. */
  code: boolean;
  /** The run's markdown; a code block fenced (an indented one with ```), at the left margin. */
  text: string;
  /** For a code block nested in a list item: the column of that item's content. */
  itemIndent?: number;
}

/** An opening fence: three or more backticks not followed by another on the line, or three or more tildes. */
const OPENING_FENCE = /^([ \t]*)(?:(`{3,})(?!.*`)|(~{3,}))/;
/** A list item's marker line: indentation, marker, the spaces after it, and some content. */
const ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+)\S/;

/** Width of a line's leading whitespace, a tab reaching the next multiple of four. */
function indentOf(line: string): number {
  let width = 0;
  for (const c of line) {
    if (c === ' ') width++;
    else if (c === '\t') width += 4 - (width % 4);
    else break;
  }
  return width;
}

/** `line` without up to `width` columns of its leading whitespace. */
function dedent(line: string, width: number): string {
  let i = 0;
  let column = 0;
  while (i < line.length && column < width && (line[i] === ' ' || line[i] === '\t')) {
    const next = line[i] === '\t' ? column + 4 - (column % 4) : column + 1;
    if (next > width) break;
    column = next;
    i++;
  }
  return line.slice(i);
}

/** Splits `markdown` into text and code runs, in order; `indentedCode` false for MDX. */
export function codeRuns(markdown: string, options: { indentedCode: boolean }): MarkdownRun[] {
  const lines = markdown.split('\n');
  const runs: MarkdownRun[] = [];
  let text: string[] = [];
  const flushText = () => {
    if (text.length) runs.push({ code: false, text: text.join('\n') });
    text = [];
  };
  // The content columns of the list items open here, innermost last.
  const items: number[] = [];
  let afterBlank = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      text.push(line);
      afterBlank = true;
      continue;
    }
    const indent = indentOf(line);
    const fence = OPENING_FENCE.exec(line);
    if (fence) {
      if (afterBlank) while (items.length && items[items.length - 1]! > indent) items.pop();
      const marker = fence[2] ?? fence[3]!;
      const closing = new RegExp(`^[ \\t]*${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`);
      let end = i + 1;
      while (end < lines.length && !closing.test(lines[end]!)) end++;
      const body = lines.slice(i + 1, end);
      // The body's indentation in the list: the opening's, or the closing's when the opening was moved left.
      const closingIndent = end < lines.length ? indentOf(lines[end]!) : indent;
      const margin = Math.max(indent, Math.min(closingIndent, ...body.filter((l) => l.trim() !== '').map(indentOf)));
      flushText();
      const nested = items.length > 0 && indent > 0 ? { itemIndent: items[items.length - 1]! } : {};
      runs.push({ code: true, text: [line.trim(), ...body.map((l) => dedent(l, margin)), marker].join('\n'), ...nested });
      i = end;
      afterBlank = false;
      continue;
    }
    const item = ITEM.exec(line);
    const innermost = items[items.length - 1];
    if (options.indentedCode && afterBlank && innermost !== undefined && indent >= innermost + 4 && !item) {
      // Indented code in a list item: its lines and the blank lines between them, up to a line indented less.
      let end = i;
      while (end < lines.length && (lines[end]!.trim() === '' || indentOf(lines[end]!) >= innermost + 4)) end++;
      while (end > i && lines[end - 1]!.trim() === '') end--;
      flushText();
      const body = lines.slice(i, end).map((l) => dedent(l, innermost + 4));
      runs.push({ code: true, text: ['```', ...body, '```'].join('\n'), itemIndent: innermost });
      i = end - 1;
      afterBlank = false;
      continue;
    }
    if (item) {
      while (items.length && items[items.length - 1]! > indent) items.pop();
      const markerEnd = indent + item[2]!.length;
      const spaces = indentOf(`${' '.repeat(markerEnd)}${item[3]}`) - markerEnd;
      // CommonMark: five spaces or more after the marker are one space and indented code.
      items.push(markerEnd + (spaces > 4 ? 1 : spaces));
    } else if (afterBlank) {
      // A paragraph after a blank line belongs to the items whose content it is indented to.
      while (items.length && items[items.length - 1]! > indent) items.pop();
    }
    text.push(line);
    afterBlank = false;
  }
  flushText();
  return runs;
}
