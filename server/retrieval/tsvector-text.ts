/**
 * Reads Postgres's text form of a `tsvector` (`'lexeme':1A,5 'other':3C`): each lexeme, in the
 * order Postgres keeps them, with its number of positions (and how many of them are at or before
 * a given position). Inside the quotes Postgres doubles `'` and `\`; a lexeme stored without
 * positions is written without the colon and counts 0.
 */

/** A tsvector's lexemes and how many positions each has, in the tsvector's order. */
export type Occurrences = [lexeme: string, positions: number][];

/**
 * Reads the tsvector written at `text[start…]`, up to the first character outside a lexeme's
 * quotes that cannot continue it (a separator, or the end). Returns the lexemes, the lexemes with
 * positions at or before `upTo` (`within`, counting only those positions; default 0: none), and
 * where it stopped.
 */
export function readTsvector(text: string, start = 0, upTo = 0): { occurrences: Occurrences; within: Occurrences; end: number } {
  const occurrences: Occurrences = [];
  const within: Occurrences = [];
  let i = start;
  while (text.charCodeAt(i) === QUOTE) {
    let lexeme = '';
    let j = i + 1;
    for (;;) {
      const close = text.indexOf("'", j);
      if (close < 0) throw new Error(`Unterminated lexeme in tsvector text at ${i}`);
      lexeme += text.slice(j, close);
      if (text.charCodeAt(close + 1) === QUOTE) {
        lexeme += "'";
        j = close + 2;
      } else {
        j = close + 1;
        break;
      }
    }
    if (lexeme.includes('\\')) lexeme = lexeme.replace(/\\\\/g, '\\');
    let positions = 0;
    let positionsWithin = 0;
    if (text.charCodeAt(j) === COLON) {
      positions = 1;
      let position = 0;
      for (j++; j < text.length; j++) {
        const c = text.charCodeAt(j);
        if (c >= DIGIT_0 && c <= DIGIT_9) position = position * 10 + (c - DIGIT_0);
        else if (c === COMMA) {
          if (position <= upTo) positionsWithin++;
          positions++;
          position = 0;
        } else if (!(c >= LETTER_A && c <= LETTER_D)) break;
      }
      if (position <= upTo) positionsWithin++;
    }
    occurrences.push([lexeme, positions]);
    if (positionsWithin > 0) within.push([lexeme, positionsWithin]);
    if (text.charCodeAt(j) === SPACE && text.charCodeAt(j + 1) === QUOTE) j++;
    i = j;
  }
  return { occurrences, within, end: i };
}

const QUOTE = 39;
const COLON = 58;
const COMMA = 44;
const SPACE = 32;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const LETTER_A = 65;
const LETTER_D = 68;
