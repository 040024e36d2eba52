/**
 * Checks citations while an answer streams.
 *
 * The model cites sources as `[1]`, `[2]` (groups like `[1, 3]` and footnote style `[^2]` are
 * accepted too). Each citation is normalised to `[n]`; a number that matches no source is removed
 * from the text (so a client never renders it as a link) and recorded as invalid. Text inside
 * inline code and fenced code blocks is left alone (`items[0]` is not a citation), and so is a
 * markdown link whose text happens to be a number (`[1](https://…)`).
 *
 * Text is held back only while a citation might still be forming (`… [1`), so the stream stays
 * live.
 */
import type { CitationCheck } from '../db/schema';

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
const CITATION = /^\[\^?\s*\d{1,3}\s*(?:[,;]\s*\^?\d{1,3}\s*)*\]/;
const CITATION_PREFIX = /^\[\^?\s*(?:\d{1,3}\s*(?:[,;]\s*\^?(?:\d{1,3}\s*)?)*)?$/;
/** After a removed citation, the space before it goes when what follows is a space, a line end or punctuation. */
const CLOSES_SPACE = /^[\s.,;:!?)]/;

/** Creates a filter for an answer whose sources are numbered 1…`sourceCount`. */
export function createCitationFilter(sourceCount: number): CitationFilter {
  const valid = new Set<number>();
  const invalid = new Set<number>();
  let pending = '';
  let emitted = '';
  // Trailing whitespace not sent yet: dropped if a removed citation is followed by punctuation.
  let heldSpace = '';
  let dropNextSpace = false;
  let atLineStart = true;
  let inFence: string | undefined; // the fence marker (``` or ~~~) while inside a code block
  let inlineTicks = 0; // length of the backtick run that opened an inline code span

  let out = '';
  const emit = (s: string) => {
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

  /** Consumes as much of `pending` as can be decided; `final` decides everything. */
  const scan = (final: boolean) => {
    let i = 0;
    const s = pending;
    while (i < s.length) {
      const ch = s[i]!;
      if (atLineStart && inlineTicks === 0) {
        // A fence opens or closes only at the start of a line (after up to 3 spaces).
        const rest = s.slice(i);
        const fence = /^( {0,3})(`{3,}|~{3,})/.exec(rest);
        if (!final && /^ {0,3}[`~]*$/.test(rest) && rest.length < 8) break; // wait for the line
        if (fence && (!inFence || fence[2]!.startsWith(inFence))) {
          const eol = rest.indexOf('\n');
          if (eol === -1 && !final) break; // wait for the whole fence line
          const line = eol === -1 ? rest : rest.slice(0, eol + 1);
          inFence = inFence ? undefined : fence[2]!.slice(0, 3);
          emit(line);
          i += line.length;
          atLineStart = eol !== -1;
          continue;
        }
      }
      if (inFence) {
        const eol = s.indexOf('\n', i);
        const end = eol === -1 ? s.length : eol + 1;
        emit(s.slice(i, end));
        atLineStart = eol !== -1;
        i = end;
        continue;
      }
      if (ch === '`') {
        let j = i;
        while (j < s.length && s[j] === '`') j++;
        if (j === s.length && !final) break; // the run may continue
        const run = j - i;
        if (inlineTicks === 0) inlineTicks = run;
        else if (run === inlineTicks) inlineTicks = 0;
        emit(s.slice(i, j));
        atLineStart = false;
        i = j;
        continue;
      }
      if (ch === '[' && inlineTicks === 0) {
        const rest = s.slice(i);
        const match = CITATION.exec(rest);
        if (match) {
          const after = rest[match[0].length];
          if (after === undefined && !final) break; // could still become a link `[1](…)`
          if (after !== '(') {
            const numbers = [...match[0].matchAll(/\d{1,3}/g)].map((m) => Number(m[0]));
            const kept: number[] = [];
            for (const n of numbers) {
              if (n >= 1 && n <= sourceCount) {
                valid.add(n);
                if (!kept.includes(n)) kept.push(n);
              } else {
                invalid.add(n);
              }
            }
            if (kept.length) emit(kept.map((n) => `[${n}]`).join(''));
            else dropNextSpace = true;
            atLineStart = false;
            i += match[0].length;
            continue;
          }
        } else if (!final && rest.length < MAX_CITATION_CHARS && CITATION_PREFIX.test(rest)) {
          break; // may still become a citation
        }
      }
      emit(ch);
      atLineStart = ch === '\n';
      if (ch === '\n' && inlineTicks) inlineTicks = 0; // an unclosed span does not cross lines here
      i++;
    }
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
