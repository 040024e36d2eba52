/**
 * Word forms of German, French and Spanish for matching a question against passages
 * (`extractive.ts`): the words that say nothing of a topic (stopwords: "mit", "und", "der";
 * "une", "de"; "en", "con"), and a light suffix folding, so that "Seiten" and "Seite",
 * "servidores" and "servidor", "supprimées" and "supprimer" are one word to the match. The
 * folding is the light kind (plural, gender and the commonest case or verb endings, accents),
 * after J. Savoy's light stemmers for these languages: it only has to give two forms of one word
 * the same key, never a dictionary form.
 */
import { FUNCTION_WORDS } from '../retrieval/languages';

/** Languages with stopwords and a suffix folding here. */
export const FOLDED_LANGUAGES = ['de', 'fr', 'es'] as const;
export type FoldedLanguage = (typeof FOLDED_LANGUAGES)[number];

/** Whether `language` (as `languageOf()` names it) has stopwords and a suffix folding here. */
export function isFoldedLanguage(language: string | undefined): language is FoldedLanguage {
  return (FOLDED_LANGUAGES as readonly (string | undefined)[]).includes(language);
}

/**
 * Stopwords besides each language's {@link FUNCTION_WORDS}: those are chosen to tell languages
 * apart, so they leave out question words, most prepositions and pronouns, and words another
 * language shares ("was", "an", "son"), which a stopword list needs.
 */
const MORE_STOPWORDS: Record<FoldedLanguage, string> = {
  de: `des einem einer eines als am an aus bei beim bis durch gegen nach ohne um unter über vor zum zur zwischen
       sind war waren hat haben hatte sein seine seiner seinen seinem ihren ihrem ihrer dass daß so nur noch schon
       was wann wo warum wieso welche welcher welches welchen wer wen wem man mich mir dich dir uns euch er wir ich
       kein keine keinen dies diese dieser dieses diesem diesen jede jeder jedes hier da dann denn doch ja nein
       sehr soll sollte muss müssen können könnte würde wurde wurden sei gibt`,
  fr: `qu se sa son ses leur leurs ne plus ni mais donc car si y on nous je tu ils elles lui eux me te moi toi
       mon ma mes ton ta tes notre nos cet ces celle celui celles ceux quoi quand où lequel laquelle lesquels
       quels quelles dont tout tous toute toutes faut été avoir ai as a avons avez ont suis es sommes êtes
       fait faire lors entre sous chez vers`,
  es: `le les me te nos os mi mis tu tus sobre entre hasta desde hacia durante ante tras o u e ni si no sí ya muy
       también cuando cuándo donde dónde cual cuál cuales cuáles quien quién quienes cuanto cuánto cuánta
       cuántos cuántas porque hay ha han he has son está están estar ser era fue puede
       pueden eso esto ese esa estos estas esos esas otro otra otros otras todo todos toda todas cada`,
};

const STOPWORDS: Record<FoldedLanguage, ReadonlySet<string>> = {
  de: new Set([...FUNCTION_WORDS.de!, ...MORE_STOPWORDS.de.split(/\s+/)]),
  fr: new Set([...FUNCTION_WORDS.fr!, ...MORE_STOPWORDS.fr.split(/\s+/)]),
  es: new Set([...FUNCTION_WORDS.es!, ...MORE_STOPWORDS.es.split(/\s+/)]),
};

/** Whether the lower-cased `word` is a stopword of `language`. */
export function isStopword(word: string, language: FoldedLanguage): boolean {
  return STOPWORDS[language].has(word);
}

/** `word` with its accents and umlauts as plain letters (`gelöschte` → `geloschte`, `página` → `pagina`), `ß` as `ss`. */
function withoutAccents(word: string): string {
  return word.normalize('NFD').replace(/\p{M}+/gu, '').replace(/ß/g, 'ss').replace(/œ/g, 'oe');
}

/**
 * German: plural and case endings (`-ern`, `-en`, `-er`, `-es`, `-em`, `-e`, an `-s` after a
 * consonant), then comparative and verb endings (`-est`, `-er`, `-en`, `-st`): "Seiten",
 * "Seite" → `seit`; "Einträge", "Eintrag" → `eintrag`; "gelöschten", "gelöschte" → `geloscht`.
 */
function foldGerman(word: string): string {
  let w = withoutAccents(word);
  if (w.length > 5 && w.endsWith('ern')) w = w.slice(0, -3);
  else if (w.length > 4 && /(?:em|en|er|es)$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  else if (w.length > 3 && /[bdfghklmnrt]s$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('est')) w = w.slice(0, -3);
  else if (w.length > 4 && /(?:er|en)$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 4 && /[bdfghklmnt]st$/.test(w)) w = w.slice(0, -2);
  return w;
}

/**
 * French: the plural (`-s`, `-x`, `-aux` → `-al`), then an infinitive's `-r` and feminine or
 * participle `-e`s, and a doubled last letter: "pages" → `page`; "journaux" → `journal`;
 * "supprimées", "supprimé", "supprimer" → `supprim`; "nouvelle", "nouvel" → `nouvel`.
 */
function foldFrench(word: string): string {
  let w = withoutAccents(word);
  if (w.length > 4 && w.endsWith('aux')) w = `${w.slice(0, -3)}al`;
  else if (w.length > 3 && /[sx]$/.test(w)) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith('r')) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length > 4 && /(\p{L})\1$/u.test(w)) w = w.slice(0, -1);
  return w;
}

/**
 * Spanish: the plural and gender endings (`-os`, `-as`, `-es`, `-o`, `-a`, `-e`; `-ces` → `-z`):
 * "servidores", "servidor" → `servidor`; "páginas", "página" → `pagin`; "borradas", "borrado" →
 * `borrad`.
 */
function foldSpanish(word: string): string {
  const w = withoutAccents(word);
  if (w.length < 5) return w;
  if (w.endsWith('ces')) return `${w.slice(0, -3)}z`;
  if (/[oae]s$/.test(w)) return w.slice(0, -2);
  if (/[oae]$/.test(w)) return w.slice(0, -1);
  return w;
}

const FOLDS: Record<FoldedLanguage, (word: string) => string> = { de: foldGerman, fr: foldFrench, es: foldSpanish };

/** The lower-cased `word`'s key in `language`: its forms ("Seiten", "Seite") share one. */
export function foldSuffix(word: string, language: FoldedLanguage): string {
  // Identifiers and words with digits (`max_tokens`, `v2`) are not words of the language.
  return /^\p{L}+$/u.test(word) ? FOLDS[language](word) : word;
}
