/**
 * Checks citations while an answer streams.
 *
 * The model cites sources as `[1]`, `[2]` (groups like `[1, 3]`, ranges like `[1-3]` and footnote
 * style `[^2]` are accepted too). Each citation is normalised to `[n]`; a number that matches no
 * source is removed from the text (so a client never renders it as a link) and recorded as
 * invalid. A range becomes `[1][2][3]` only when every number in it is a source (else it is left
 * as text: `[0-9]` is not a citation). A source cited again right after itself (`[1][1]`,
 * `[2] [2]`) is kept once.
 *
 * Code is left alone wherever markdown has code, as the widget will render it (inline code, fenced
 * and indented code blocks, also inside list items and blockquotes: `items[0]` is not a
 * citation), and so is a markdown link whose text happens to be a number (`[1](https://…)`). A
 * link reference definition whose label is a citation (`[1]: https://…`) is removed: it would
 * turn every `[1]` of the answer into a link to its URL. A reference-style link on such a label,
 * `[the guide][1]`, so leads nowhere and becomes its text and the citation, `the guide [1]`
 * (images, `![…][1]`, are left as written).
 *
 * Text is held back only while a citation might still be forming (`… [1`), or while a line that
 * starts like such a definition (`[1]:`) is not complete, so the stream stays live.
 */
import type { CitationCheck } from '../db/schema';
import { createMarkdownLocator } from './markdown-place';

export interface CitationFilter {
  /** Feeds a text delta; returns the text that is safe to show now. */
  push(delta: string): string;
  /** Ends the text; returns whatever was still held back. */
  flush(): string;
  /** Citation numbers seen so far: `valid` ones match a source, `invalid` ones were removed. */
  result(): CitationCheck;
  /** All text returned so far. */
  text(): string;
}

/** Longest stretch held back while waiting for a `]`; past it, the `[` is plain text. */
const MAX_CITATION_CHARS = 24;
const ITEM = String.raw`\^?\s*\d{1,3}(?:\s*[-–]\s*\d{1,3})?\s*`;
const CITATION = new RegExp(String.raw`^\[${ITEM}(?:[,;]${ITEM})*\]`);
const CITATION_PREFIX = /^\[\^?[\d\s,;^–-]*$/;
/** A reference-style link's text (`[the guide]` of `[the guide][1]`): one line, no brackets inside. */
const LINK_TEXT = /^\[([^[\]\n]{1,100})\]/;
const LINK_TEXT_PREFIX = /^\[[^[\]\n]{0,100}$/;
/** After a removed citation, the space before it goes when what follows is a space, a line end or punctuation. */
const CLOSES_SPACE = /^[\s.,;:!?)]/;

/**
 * The numbers a citation cites, in order: `[1, 3]` → 1, 3; `[2-4]` → 2, 3, 4. Undefined when a
 * range has a number that is no source (or runs backwards): then it is no citation.
 */
function citedNumbers(citation: string, sourceCount: number): number[] | undefined {
  const numbers: number[] = [];
  for (const item of citation.slice(1, -1).split(/[,;]/)) {
    const [from, to] = (item.match(/\d{1,3}/g) ?? []).map(Number) as [number, number | undefined];
    if (to === undefined) numbers.push(from);
    else if (from >= 1 && from < to && to <= sourceCount) for (let n = from; n <= to; n++) numbers.push(n);
    else return undefined;
  }
  return numbers;
}

/**
 * Whether what precedes a `[` on its line (the end of `before`) is only indentation and container
 * marks (`> `, `- `, `1. `), so a definition could start there; mid-sentence, `[1]:` is a citation
 * and the rest of the line need not be waited for.
 */
function startsLine(before: string): boolean {
  return /^[ \t>*+\-\d.)]*$/.test(before.slice(before.lastIndexOf('\n') + 1));
}

/** Creates a filter for an answer whose sources are numbered 1…`sourceCount`. */
export function createCitationFilter(sourceCount: number): CitationFilter {
  const valid = new Set<number>();
  const invalid = new Set<number>();
  const locator = createMarkdownLocator();
  /** The model's text decided so far (what the locator parses). */
  let consumed = '';
  let pending = '';
  let emitted = '';
  // Trailing whitespace not sent yet: dropped if a removed citation is followed by punctuation.
  let heldSpace = '';
  let dropNextSpace = false;
  /** Sources cited by the citations just written, with only spaces between them and here. */
  const run = new Set<number>();

  let out = '';
  const write = (s: string) => {
    if (s === '') return;
    if (dropNextSpace) {
      dropNextSpace = false;
      if (CLOSES_SPACE.test(s)) heldSpace = '';
    }
    const text = heldSpace + s;
    const trimmed = text.replace(/[ \t]+$/, '');
    heldSpace = text.slice(trimmed.length);
    out += trimmed;
  };
  const writeText = (s: string) => {
    if (/[^ \t]/.test(s)) run.clear();
    write(s);
  };

  /**
   * When `rest` starts with a reference-style link whose label is a citation (`[the guide][1]`,
   * outside code, not an image `![…][1]`), its text (`the guide`); `'wait'` while the stream has
   * not said yet. Such a link leads nowhere (the definitions on numbers are removed), so it would
   * show its brackets around the text.
   */
  const referenceLinkText = (before: string, rest: string, final: boolean): string | 'wait' | undefined => {
    if (/[!\\]$/.test(before)) return undefined;
    const link = LINK_TEXT.exec(rest);
    if (!link) return !final && LINK_TEXT_PREFIX.test(rest) ? 'wait' : undefined;
    if (CITATION.test(link[0])) return undefined;
    const label = rest.slice(link[0].length);
    const citation = CITATION.exec(label);
    if (!citation) return !final && label.length < MAX_CITATION_CHARS && (label === '' || CITATION_PREFIX.test(label)) ? 'wait' : undefined;
    const after = label[citation[0].length];
    if (after === undefined && !final) return 'wait';
    if (after === '(' || after === ':' || citedNumbers(citation[0], sourceCount) === undefined) return undefined;
    const end = before.length + link[0].length + citation[0].length;
    if (locator.at(before + rest.slice(0, end - before.length), before.length) !== 'text') return undefined;
    return link[1];
  };

  /** Consumes as much of `pending` as can be decided; `final` decides everything. */
  const scan = (final: boolean) => {
    const s = pending;
    let i = 0;
    while (i < s.length) {
      const open = s.indexOf('[', i);
      if (open === -1) {
        writeText(s.slice(i));
        i = s.length;
        break;
      }
      if (open > i) writeText(s.slice(i, open));
      i = open;
      const rest = s.slice(i);
      const match = CITATION.exec(rest);
      if (!match) {
        if (!final && rest.length < MAX_CITATION_CHARS && CITATION_PREFIX.test(rest)) break; // may still become a citation
        const linkText = referenceLinkText(consumed + s.slice(0, i), rest, final);
        if (linkText === 'wait') break;
        if (linkText !== undefined) {
          // `[the guide][1]`: the text, then the citation (next round), as in `the guide [1]`.
          writeText(`${linkText} `);
          i += linkText.length + 2;
          continue;
        }
        writeText('[');
        i++;
        continue;
      }
      const citation = match[0];
      const after = rest[citation.length];
      if (after === undefined && !final) break; // could still become a link `[1](…)` or a definition `[1]:`
      if (after === '(') {
        writeText(citation); // a link whose text is a number
        i += citation.length;
        continue;
      }
      let lineEnd = i + citation.length;
      if (after === ':' && startsLine(consumed + s.slice(0, i))) {
        // Perhaps a definition: decided on its whole line.
        const eol = s.indexOf('\n', lineEnd);
        if (eol === -1 && !final) break;
        lineEnd = eol === -1 ? s.length : eol;
      }
      const place = locator.at(consumed + s.slice(0, lineEnd), consumed.length + i);
      if (place === 'definition') {
        heldSpace = '';
        run.clear();
        i = lineEnd; // the line's end stays: the blocks around keep their lines
        continue;
      }
      const numbers = place === 'code' ? undefined : citedNumbers(citation, sourceCount);
      if (!numbers) {
        writeText(citation);
        i += citation.length;
        continue;
      }
      const kept: number[] = [];
      for (const n of numbers) {
        if (n >= 1 && n <= sourceCount) {
          valid.add(n);
          if (!kept.includes(n) && !run.has(n)) kept.push(n);
        } else {
          invalid.add(n);
        }
      }
      if (kept.length) {
        write(kept.map((n) => `[${n}]`).join(''));
        for (const n of kept) run.add(n);
      } else {
        dropNextSpace = true;
      }
      i += citation.length;
    }
    consumed += s.slice(0, i);
    pending = s.slice(i);
  };

  const take = () => {
    const result = out;
    out = '';
    emitted += result;
    return result;
  };

  return {
    push(delta) {
      pending += delta;
      scan(false);
      return take();
    },
    flush() {
      scan(true);
      out += heldSpace;
      heldSpace = '';
      return take();
    },
    result() {
      return { valid: [...valid].sort((a, b) => a - b), invalid: [...invalid].sort((a, b) => a - b) };
    },
    text() {
      return emitted;
    },
  };
}

/** Checks a complete text at once (extractive answers, tests). */
export function checkCitations(text: string, sourceCount: number): { text: string } & CitationCheck {
  const filter = createCitationFilter(sourceCount);
  const out = filter.push(text) + filter.flush();
  return { text: out, ...filter.result() };
}

/**
 * `text` without its citations, code left alone: for earlier answers sent back to the model,
 * whose numbers pointed at that turn's sources.
 */
export function stripCitations(text: string): string {
  return checkCitations(text, 0).text;
}
