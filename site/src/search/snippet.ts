/**
 * What the docs search shows of a result: its breadcrumb (page title › headings) and a short
 * snippet of the section's text around the words of the query, those words marked. Pure: the
 * dialog renders the pieces (`<mark>` for a marked one), so no text from the docs is ever HTML.
 */

/** A piece of a snippet: text, marked when it is a word of the query. */
export interface SnippetPart {
  text: string;
  marked: boolean;
}

/** Default length of a snippet, in characters (about two lines of the dialog). */
export const SNIPPET_CHARS = 180;

/**
 * Words too common to mark: marking every "the" and "how" of a section would hide the words that
 * matter. English only, as most docs are; in other languages every word is marked.
 */
const COMMON_WORDS = new Set(
  'a an and are as at be by can do does for from how i if in into is it its of on or so that the their then there this to use using was what when where which who why will with you your'.split(' '),
);

/** Words: runs of letters, digits and underscores, in any script. */
const WORD = /[\p{L}\p{N}_]+/gu;

/** A word as compared: lower case, accents dropped ("Café" and "cafe" are one word). */
function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of `query` worth marking, folded, without repeats: two characters or more, not {@link COMMON_WORDS}. */
export function queryTerms(query: string): string[] {
  const terms = (query.match(WORD) ?? []).map(fold).filter((w) => w.length >= 2 && !COMMON_WORDS.has(w));
  return [...new Set(terms)];
}

/**
 * Whether the (folded) word of a text is the query's `term`: the same word, one that starts with a term
 * ("configuration" for "config"), or the start of a term when at least four letters long ("port"
 * for "ports"): the server's ranking stems words, so the sections it finds hold such forms.
 */
function matchesTerm(word: string, term: string): boolean {
  return word.startsWith(term) || (word.length >= 4 && term.startsWith(word));
}

/**
 * The section's markdown as plain text on one line: code fence lines, heading marks, emphasis,
 * link targets, HTML tags, table rules and runs of white space removed.
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/^\s*(```|~~~).*$/gm, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/gm, ' ')
    .replace(/(\*\*|__|`+)/g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ([.,;:!?])/g, '$1')
    .trim();
}

interface Match {
  start: number;
  end: number;
  term: string;
}

/** Where words of `text` match `terms`, in order, each with the term it matched. */
function findMatches(text: string, terms: readonly string[]): Match[] {
  const matches: Match[] = [];
  for (const m of text.matchAll(WORD)) {
    const word = fold(m[0]);
    const term = terms.find((t) => matchesTerm(word, t));
    if (term !== undefined) matches.push({ start: m.index, end: m.index + m[0].length, term });
  }
  return matches;
}

/**
 * The start of the window of `length` characters holding the most different terms (the earliest
 * such window), starting at a match; 0 when nothing matches.
 */
function bestWindowStart(matches: readonly Match[], length: number): number {
  let best = { start: 0, distinct: 0 };
  for (let i = 0; i < matches.length; i++) {
    const first = matches[i]!;
    const terms = new Set<string>();
    for (let j = i; j < matches.length && matches[j]!.end - first.start <= length; j++) terms.add(matches[j]!.term);
    if (terms.size > best.distinct) best = { start: first.start, distinct: terms.size };
  }
  return best.start;
}

/**
 * A snippet of `markdown` of about `maxChars` characters, around the place where most words of
 * `query` are found (the start of the text when none is), cut between words, with "…" where text
 * is left out, split into parts with the query's words marked.
 */
export function markedSnippet(markdown: string, query: string, maxChars = SNIPPET_CHARS): SnippetPart[] {
  const text = plainText(markdown);
  const terms = queryTerms(query);
  const matches = findMatches(text, terms);
  let start = 0;
  let end = text.length;
  if (text.length > maxChars) {
    const best = bestWindowStart(matches, maxChars);
    // Some words before the best match, for context; the whole window within the text.
    start = best === 0 ? 0 : Math.max(0, Math.min(best - Math.floor(maxChars / 4), text.length - maxChars));
    // Cut between words: on to the start of the next word (never past the best match) ...
    if (start > 0 && text[start - 1] !== ' ') {
      const space = text.indexOf(' ', start);
      start = space !== -1 && space < best ? space + 1 : best;
    }
    end = Math.min(text.length, start + maxChars);
    // ... and back to the end of the last whole word.
    if (end < text.length && text[end] !== ' ') {
      const space = text.lastIndexOf(' ', end);
      if (space > start) end = space;
    }
  }
  const parts: SnippetPart[] = [];
  const push = (piece: string, marked: boolean) => {
    if (!piece) return;
    const last = parts.at(-1);
    if (last && last.marked === marked) last.text += piece;
    else parts.push({ text: piece, marked });
  };
  if (start > 0) push('…', false);
  let at = start;
  for (const m of matches) {
    if (m.start < start || m.end > end) continue;
    push(text.slice(at, m.start), false);
    push(text.slice(m.start, m.end), true);
    at = m.end;
  }
  push(text.slice(at, end).replace(/[\s,;:]+$/, end < text.length ? '' : '$&'), false);
  if (end < text.length) push('…', false);
  return parts;
}

/** `text` (a heading, say) whole, split into parts with the words of `query` marked. */
export function markedText(text: string, query: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let at = 0;
  for (const m of findMatches(text, queryTerms(query))) {
    if (m.start > at) parts.push({ text: text.slice(at, m.start), marked: false });
    parts.push({ text: text.slice(m.start, m.end), marked: true });
    at = m.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), marked: false });
  return parts;
}

/**
 * The breadcrumb of a result: the page title, then the headings down to the section. `headings`
 * starts with the page's own title heading when the page has one, which is left out here.
 */
export function breadcrumb(title: string, headings: readonly string[]): string[] {
  const rest = headings[0] === title ? headings.slice(1) : [...headings];
  return [title, ...rest].filter((h) => h.trim() !== '');
}
