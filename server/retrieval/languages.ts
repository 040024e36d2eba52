/**
 * The language a question or a passage is written in, told from its own words, so that a docs
 * folder holding the same pages in several languages (Starlight's `fr/`, Docusaurus's `i18n/`,
 * Nextra's `page.fr.mdx`) answers a question with the pages in the question's language.
 *
 * Latin-script languages are told apart by their commonest words ("the", "and" / "le", "et" /
 * "der", "und"; a word common to several counts for each): a text's language is the one whose
 * words it uses most, when it uses enough of them and clearly more than the runner-up's. Other
 * scripts name their language (kana: `ja`, hangul: `ko`, Han alone: `zh`) or their script
 * (`cyrillic`, `arabic`, …). Code, inline code, URLs and link targets are not read, and only a
 * text's first {@link MAX_CHARS_READ} characters are. A text too short or too bare to tell (a
 * keyword query, a code block, a list of names) has no language.
 */

/**
 * Common words of each Latin-script language (also the start of the extractive answer's stopwords
 * in German, French and Spanish, `server/answer/word-forms.ts`).
 */
export const FUNCTION_WORDS: Readonly<Record<string, readonly string[]>> = {
  en: 'the and of to is that for with this are you your it be can from will an by when which not or if how what does should i do my we our at on have has was but all any into than then them they there why where no'.split(' '),
  fr: 'le la les de des du un une en à est et pour dans que qui vous votre vos sur avec pas ce cette sont au aux il elle peut être ou par comment quel quelle'.split(' '),
  de: 'der die das und ist nicht mit sie ein eine einen den dem für auf von zu es werden kann wird oder auch sich wenn ihre ihr du wie im'.split(' '),
  es: 'el la los las de del un una en es que para por con se su sus como más pero puedes este esta y al lo cómo qué'.split(' '),
  it: 'il la le gli della delle di un in che è per con una sono non si come questo questa nel alla anche puoi può'.split(' '),
  pt: 'os de da do das dos um uma é que para com não em no na você seu sua pelo pela como'.split(' '),
  nl: 'de het een en van is dat op te voor met niet zijn je wordt kan ook bij naar hoe'.split(' '),
};

const WORD_LANGUAGES = new Map<string, string[]>();
for (const [language, words] of Object.entries(FUNCTION_WORDS)) {
  for (const word of words) WORD_LANGUAGES.set(word, [...(WORD_LANGUAGES.get(word) ?? []), language]);
}

/** Scripts whose letters name a language or a family of them. Kana before Han: Japanese mixes both. */
const SCRIPTS: [string, RegExp][] = [
  ['ja', /[\p{Script=Hiragana}\p{Script=Katakana}]/gu],
  ['ko', /\p{Script=Hangul}/gu],
  ['zh', /\p{Script=Han}/gu],
  ['cyrillic', /\p{Script=Cyrillic}/gu],
  ['greek', /\p{Script=Greek}/gu],
  ['arabic', /\p{Script=Arabic}/gu],
  ['hebrew', /\p{Script=Hebrew}/gu],
  ['devanagari', /\p{Script=Devanagari}/gu],
  ['thai', /\p{Script=Thai}/gu],
];

/** Fewest candidate pages in another language for that language's pages to be left out. */
const MIN_PAGES_OF_ANOTHER_LANGUAGE = 2;
/** Characters of a text read: a page's first few paragraphs tell its language. */
const MAX_CHARS_READ = 1000;
/**
 * Any character past Latin and general punctuation: most texts have none, and skip counting the
 * letters of each script in {@link SCRIPTS} (a plain character range tests ~10 times faster).
 */
const OTHER_SCRIPT = /[^\u0000-\u024f\u1e00-\u1eff\u2000-\u206f]/;
/** Fewest common words a Latin-script text must use for its language to be told. */
const MIN_FUNCTION_WORDS = 3;
/** How many times the runner-up's count the leading language's must be. */
const MIN_LEAD = 1.5;
/** Share of a text's letters that must be of another script for the text to be in it. */
const MIN_SCRIPT_SHARE = 0.3;
/** Fewest letters of another script for the text to be in it (a quoted name is not). */
const MIN_SCRIPT_LETTERS = 8;

/** `text` without fenced code, inline code, URLs, link targets and markup that is not prose. */
function proseOf(text: string): string {
  return text
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/\bhttps?:\/\/\S+/g, ' ')
    .replace(/\]\([^)\s]*\)/g, ']')
    .replace(/<[^>\n]*>/g, ' ');
}

/**
 * The language `text` is written in (`en`, `fr`, `de`, `es`, `it`, `pt`, `nl`, `ja`, `ko`, `zh`)
 * or its script (`cyrillic`, `greek`, `arabic`, `hebrew`, `devanagari`, `thai`); undefined when
 * its words do not tell.
 */
export function languageOf(text: string): string | undefined {
  const prose = proseOf(text.length > MAX_CHARS_READ ? text.slice(0, MAX_CHARS_READ) : text);
  if (OTHER_SCRIPT.test(prose)) {
    const letters = (prose.match(/\p{L}/gu) ?? []).length;
    for (const [language, script] of SCRIPTS) {
      const n = (prose.match(script) ?? []).length;
      // Japanese writes kana among its Han characters; a few kana are enough to tell it from Chinese.
      const share = language === 'ja' ? (n + (prose.match(/\p{Script=Han}/gu) ?? []).length) / letters : n / letters;
      if (n >= (language === 'ja' ? 2 : MIN_SCRIPT_LETTERS) && share >= MIN_SCRIPT_SHARE) return language;
    }
  }
  const counts = new Map<string, number>();
  for (const word of prose.toLowerCase().match(/[a-zà-ÿ']+/g) ?? []) {
    const languages = WORD_LANGUAGES.get(word);
    if (languages) for (const language of languages) counts.set(language, (counts.get(language) ?? 0) + 1);
  }
  const [first, second] = [...counts].sort((a, b) => b[1] - a[1]);
  if (!first || first[1] < MIN_FUNCTION_WORDS || first[1] < MIN_LEAD * (second?.[1] ?? 0)) return undefined;
  return first[0];
}

/** What a BCP 47 language tag looks like (`fr`, `pt-BR`, `zh-Hans-CN`; `_` accepted for `-`, as `de_AT`). */
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$/;

/** Whether `value` is written as a language tag (the API's `language`, a page's frontmatter `lang`). */
export function isLanguageTag(value: string): boolean {
  return LANGUAGE_TAG.test(value);
}

/** Languages {@link languageOf} tells by their script alone, by their BCP 47 language subtag. */
const SCRIPT_OF_LANGUAGE: Record<string, string> = {
  ru: 'cyrillic', uk: 'cyrillic', be: 'cyrillic', bg: 'cyrillic', sr: 'cyrillic', mk: 'cyrillic', kk: 'cyrillic', mn: 'cyrillic',
  el: 'greek', ar: 'arabic', fa: 'arabic', ur: 'arabic', he: 'hebrew', hi: 'devanagari', mr: 'devanagari', ne: 'devanagari', th: 'thai',
};

/**
 * A reader's language tag (`fr`, `fr-CA`, `zh-Hans`, `ru`, as in a page's `<html lang>`) as
 * {@link languageOf} names languages (`fr`, `zh`, `cyrillic`), or undefined for a tag it cannot
 * tell a text in.
 */
export function languageOfTag(tag: string | undefined): string | undefined {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  if (Object.hasOwn(FUNCTION_WORDS, primary) || primary === 'ja' || primary === 'ko' || primary === 'zh') return primary;
  return Object.hasOwn(SCRIPT_OF_LANGUAGE, primary) ? SCRIPT_OF_LANGUAGE[primary] : undefined;
}

/**
 * The BCP 47 language subtag of the language `text` is written in (`en`, `fr`, `ja`), for a
 * page's `<html lang>`; undefined when its words do not tell, or only its script does.
 */
export function languageTagOf(text: string): string | undefined {
  const language = languageOf(text);
  return language !== undefined && /^[a-z]{2}$/.test(language) ? language : undefined;
}

/**
 * The candidates in the question's language, for docs that hold their pages in several
 * languages: a candidate from a page in another language is left out. A page's language is told
 * from its candidates' text together, so that a chunk of code on a French page goes with its
 * page. Candidates from pages whose language cannot be told (code, a table of options) stay,
 * and so do all candidates when no candidate is in the question's language (a question in French
 * on English docs). When the question's own words do not tell its language (a keyword query),
 * `readerLanguage` (the language of the page the reader asked from, a tag such as `fr-CA`) stands
 * for it; without one, everything stays: the candidates' languages would be a guess, and a question
 * about translating to French finds the French pages first. A language counts as the docs' only
 * when at least {@link MIN_PAGES_OF_ANOTHER_LANGUAGE} candidate pages are in it: one page of
 * English docs that reads as Portuguese ("no database, no API key, no Docker") is not a translation.
 */
export function inQuestionLanguage<T extends { text: string }>(
  question: string,
  candidates: readonly T[],
  pageOf: (candidate: T) => string,
  readerLanguage?: string,
): readonly T[] {
  const wanted = languageOf(question) ?? languageOfTag(readerLanguage);
  if (wanted === undefined) return candidates;
  const texts = new Map<string, string[]>();
  for (const c of candidates) {
    const page = texts.get(pageOf(c));
    if (page) page.push(c.text);
    else texts.set(pageOf(c), [c.text]);
  }
  const pageLanguages = new Map([...texts].map(([page, parts]) => [page, languageOf(parts.join('\n\n'))]));
  const pagesIn = new Map<string, number>();
  for (const language of pageLanguages.values()) if (language) pagesIn.set(language, (pagesIn.get(language) ?? 0) + 1);
  if (!pagesIn.has(wanted)) return candidates;
  const other = (page: string) => {
    const language = pageLanguages.get(page);
    return language !== undefined && language !== wanted && pagesIn.get(language)! >= MIN_PAGES_OF_ANOTHER_LANGUAGE;
  };
  return candidates.some((c) => other(pageOf(c))) ? candidates.filter((c) => !other(pageOf(c))) : candidates;
}
