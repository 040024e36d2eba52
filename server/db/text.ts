/**
 * Text as Postgres can store it. A `text` column cannot hold NUL (U+0000), and `jsonb` refuses
 * the `\ud800` escape `JSON.stringify` writes for a lone UTF-16 surrogate (a text column would
 * store U+FFFD for one anyway). Request input is checked at the edge (`http/validate.ts`); text
 * Docent receives from elsewhere, such as a model's answer, goes through {@link storableText}.
 */

/** A UTF-16 surrogate without its other half (`JSON.parse` makes one from an escape like `\ud800`). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` with each lone surrogate replaced by U+FFFD, as `String.prototype.toWellFormed` does (Node 20 lacks it). */
export function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** `text` without NUL characters and with lone surrogates replaced by U+FFFD: storable in text and jsonb. */
export function storableText(text: string): string {
  return toWellFormed(text.replaceAll('\0', ''));
}
