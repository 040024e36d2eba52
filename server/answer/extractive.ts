/**
 * The answer when no language model is configured: the passages of the top sources that best
 * match the question, quoted as written and each cited, under a label saying they were
 * extracted from the docs.
 *
 * Passages are the sections' sentences (in any script: Chinese and Japanese matched by character
 * pairs, `words.ts`), list items and table rows (a row on one line, its cells
 * after their column headers); runs of links and the entries of a table of contents are left
 * out. A list item is quoted whole when short (a parameter with its type, description and
 * default), short items without a full stop together (a list of steps or features), and items
 * that continue one sentence as that sentence; a
 * question in the docs comes with the sentence after it (its answer). They are scored by the
 * question's terms they contain (a misspelt term as the passages' word it is one edit from),
 * weighted by how rare each term is among the passages (IDF), with a small bonus for
 * higher-ranked sources and for a section heading that matches. For a question asking what
 * something is, a sentence that has it as its subject ("Docent is an open-source chatbot…")
 * counts double, and when the top source introduces it among its first sentences, that
 * introduction and the sentence after it open the answer, and passages of other pages are quoted
 * only when they match a word of the question besides X's own. The best passage of the top source
 * (when it has prose) is always quoted, and as many of its matching passages as of any source:
 * retrieval ranks sections far better than word overlap ranks sentences. A code block that
 * follows a chosen sentence's paragraph comes with it (once per answer), also across a table
 * between them, and one nested in a list item ("1. Run:" then an indented fence) with its item
 * (`code-runs.ts`: never read as sentences); a sentence ending in `:` comes with the table or
 * list it introduces (with the code in its items), and one
 * with nothing after it to quote counts as little as a pointer. On a question asking how to do
 * something, the top source's passages that come with code or with what they introduce count
 * double. A section's lead code block that no sentence introduces (a heading and an example, a usage, an
 * install command) is a passage of its own, its section's headings as its lead-in, when the
 * question asks for code or when it is all the top source has. A sentence two near-duplicate pages
 * both have (v1/ and v2/ copies of a page) is quoted once, from the better-ranked one. Links in a quote
 * lead where they lead on the source's page (`source-links.ts`).
 */
import type { AnswerSource } from '../chats/sources';
import { definitionSubject, introducesSubject } from '../retrieval/definitions';
import { isEnglishWord } from '../retrieval/english-words';
import { languageOf } from '../retrieval/languages';
import { editDistance } from '../retrieval/query-terms';
import { codeRuns } from './code-runs';
import { resolveLinksOf, type SourceFileUrl } from './source-links';
import { foldSuffix, isFoldedLanguage, isStopword } from './word-forms';
import { hasUnspacedScript, letterCount, wordsOf } from './words';

export interface ExtractiveOptions {
  /** Most passages quoted. Default 3. */
  maxPassages?: number;
  /** Most passages taken from one source. Default 2. */
  maxPerSource?: number;
  /** Most lines of a code block quoted. Default 20. */
  maxCodeLines?: number;
  /** Most rows of a table or items of a list quoted after the sentence ending in `:` that introduces it. Default 10. */
  maxListItems?: number;
  /** Where the docs site serves the files sources link to (`site-files.ts`), for quoted links. Default: none (resolved against the page's URL). */
  fileUrl?: SourceFileUrl;
}

/** The label every extractive answer starts with. */
export const EXTRACTIVE_LABEL =
  '_Extracted from the documentation: no language model is configured, so these are the most relevant passages, quoted as written._';

const STOPWORDS = new Set(
  `a an and are as at be but by can could do does did for from how i if in into is it its me my of on or our
   should so than that the their them then there these they this to use used using was we what when where
   which while who why will with would you your yours via about after all also any been before being both
   each get got has have having here just more most much need not now only other same some such through
   under until up very want way www http https com`.split(/\s+/),
);

/**
 * Lower-cased word stems of `text`, in any script (`words.ts`: Chinese and Japanese as character
 * pairs), without stopwords. In German, French or Spanish (`language`, as `languageOf()` names
 * it), that language's stopwords are left out too and its own suffix folding replaces the
 * English one (`word-forms.ts`); in any other language, or none, words are read as English.
 */
export function terms(text: string, language?: string): string[] {
  const words = wordsOf(text).filter((w) => (w.length > 1 || hasUnspacedScript(w)) && !STOPWORDS.has(w));
  if (!isFoldedLanguage(language)) return words.map(stem);
  return words.filter((w) => !isStopword(w, language)).map((w) => foldSuffix(w, language));
}

/**
 * The language an answer's question and passages are matched in: the question's, else (a
 * question too short to tell: "Seiten löschen?") the top source's. Its stopwords and suffix
 * folding apply to the question and to every passage alike, so that their forms meet.
 */
function answerLanguage(question: string, sources: readonly AnswerSource[]): string | undefined {
  return languageOf(question) ?? (sources[0] ? languageOf(sources[0].text) : undefined);
}

/**
 * Russian's (and other Cyrillic languages') commonest case and number endings, longest first:
 * "страницу" and "страницы" are one word to a reader, and must be to the match.
 */
const CYRILLIC_ENDING = /(?:иями|ями|ами|ого|его|ому|ему|ыми|ими|ой|ей|ий|ый|ая|яя|ое|ее|ом|ем|ах|ях|ов|ев|ам|ям|ую|юю|а|я|о|е|ы|и|у|ю|ь)$/;

/** A light suffix folding (plurals, -ing, -ed; -y/-ie/-ies alike; Cyrillic case endings), the same for question and text. */
function stem(word: string): string {
  if (/^\p{Script=Cyrillic}+$/u.test(word)) {
    const bare = word.replace(CYRILLIC_ENDING, '');
    return bare.length >= 3 ? bare : word;
  }
  let w = word;
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}i`;
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 3 && /(ch|sh|x|ss)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('ie')) w = w.slice(0, -1);
  else if (w.length > 3 && w.endsWith('y')) w = `${w.slice(0, -1)}i`;
  return w;
}

interface Passage {
  source: AnswerSource;
  /** Position in the source, for reading order. */
  index: number;
  text: string;
  /** The code block right after it, if any. */
  code?: string;
  /**
   * The table or list a sentence ending in `:` introduces ("…, and what they do with a longer
   * prompt differs:" then a table), as markdown: quoted after it, since alone it says nothing.
   */
  introduces?: string;
  /** The sentence whose {@link introduces} holds this row or item: not quoted again beside it. */
  partOf?: Passage;
  /** A table row: a code block after the table is not about its last row. */
  row?: boolean;
  /** A list item quoted whole (a parameter with its type and description): says on its own what it is. */
  item?: boolean;
  /** Only says where to read ("See [X](/x/)."): quoted only when nothing says more. */
  pointer?: boolean;
  /**
   * A code block no sentence introduces (a section that is a heading and a code block: an
   * "Example", a "Usage", an install snippet, a signature): `code` is the passage, `text` its
   * lead-in (the section's headings), and `terms` the code's words.
   */
  codeOnly?: boolean;
  terms: Set<string>;
  score: number;
}

/** Splits a section's markdown into sentences (outside code) and the code blocks that follow them. */
function passagesOf(source: AnswerSource, maxCodeLines: number, maxListItems: number, language: string | undefined): Passage[] {
  const passages: Passage[] = [];
  // The last paragraph's closing sentence when it ends in `:`: what comes next is what it introduces.
  let introducing: Passage | undefined;
  // Where the last paragraph's passages start: a code block after a paragraph shows what the
  // paragraph says ("The port… Default `4321`." then `PORT=8080 npm start`), whichever of its
  // sentences is quoted.
  let paragraphStart = 0;
  // The sentence whose introduced list the last paragraph was, and, after code nested in one of
  // that list's items (which goes into the quoted list), whether the list goes on right after it.
  let openList: Passage | undefined;
  let listGoesOn = false;
  // Code nested in a list item too ("1. Run:" then an indented fence): code, never sentences.
  for (const run of codeRuns(source.text, { indentedCode: !/\.mdx$/i.test(source.path) })) {
    const block = run.text;
    if (run.code) {
      const lines = block.split('\n');
      const code =
        lines.length > maxCodeLines + 2 ? [...lines.slice(0, maxCodeLines + 1), '// …', lines[lines.length - 1]].join('\n') : block;
      // Code in an item of a list a sentence ending in `:` introduces goes into that quoted list,
      // not after the item, whose words would then outweigh the sentence that says what the list is.
      const list = run.itemIndent !== undefined && openList && !openList.introduces!.endsWith('- …') ? openList : undefined;
      if (list) list.introduces += `\n${code.replace(/^(?=.)/gm, ' '.repeat(run.itemIndent!))}`;
      const introduced = passages.slice(paragraphStart).filter((p) => !p.code && !p.row && !p.codeOnly && !(list && p.partOf === list));
      for (const p of introduced) p.code = code;
      // Only a section's lead code block stands alone: one after its sentences shows one of them
      // (a second example, the rest of a long block) and says less without it.
      if (introduced.length === 0 && passages.every((p) => p.row)) {
        passages.push({ source, index: passages.length, text: leadIn(source), code, codeOnly: true, terms: new Set(codeTerms(block, language)), score: 0 });
      }
      paragraphStart = passages.length;
      introducing = undefined;
      openList = list;
      listGoesOn = list !== undefined;
      continue;
    }
    // After the code, with no blank line: the next item of the list the code is in.
    listGoesOn &&= !/^[ \t]*(\n|$)/.test(block);
    for (const paragraph of paragraphsOf(block)) {
      if (paragraph.trim() === '') continue;
      const first = passages.length;
      const goesOn = listGoesOn && LIST_MARKER.test(paragraph.replace(/^\n+/, ''));
      listGoesOn = false;
      for (const row of tableRows(paragraph)) {
        passages.push({ source, index: passages.length, text: row.text, terms: new Set(terms(visibleText(row.cells.join(' ')), language)), score: 0, row: true });
      }
      for (const { text, item } of statements(paragraph)) {
        // A short list item is quoted whole: "`maxRetries` (number): Maximum number of retries.
        // Default: 2." says nothing in pieces.
        const sentences = item && text.length <= MAX_ITEM_CHARS ? [text] : withAnswers(text.split(SENTENCE_BREAK));
        const whole = item && sentences.length === 1;
        for (const sentence of sentences) {
          if (letterCount(sentence) < MIN_PASSAGE_LETTERS || isLinkList(sentence)) continue;
          const pointer = isPointer(sentence);
          passages.push({ source, index: passages.length, text: sentence, terms: new Set(terms(withoutQuotedQuestions(sentence), language)), score: 0, ...(pointer ? { pointer } : {}), ...(whole ? { item: whole } : {}) });
        }
      }
      const added = passages.slice(first);
      if (goesOn && openList) {
        openList.introduces += `\n${introducedBlock(paragraph, maxListItems - listItems(openList.introduces!))}`;
        for (const p of added) p.partOf = openList;
        introducing = undefined;
        paragraphStart = first;
        continue;
      }
      const shown = introducing && added.length ? introducedBlock(paragraph, maxListItems) : undefined;
      if (introducing && shown) {
        introducing.introduces = shown;
        for (const p of added) p.partOf = introducing;
      }
      openList = shown && LIST_MARKER.test(shown) ? introducing : undefined;
      const last = added[added.length - 1];
      introducing = last && !last.row && !shown && /[:：]$/.test(last.text) ? last : undefined;
      // A table does not end the paragraph before it: a code block after the table shows what
      // that paragraph says ("Set `OPENAI_BASE_URL`…", a table of servers, then the `.env` lines).
      if (!added.every((p) => p.row) || added.length === 0) paragraphStart = first;
    }
  }
  return passages;
}

/**
 * Where a paragraph's text is cut into sentences: after `.`, `!` or `?` and a space, before a
 * capital letter (of any script: "Записи…"), a code span, a quote, a bracket, emphasis or Spanish's
 * opening `¿` or `¡`; and
 * after the full stops of Chinese and Japanese (`。`, `！`, `？`), which no space follows. Not
 * after "e.g.", "i.e.", "cf." or "vs.", which never end a sentence ("(e.g. `%%writefile`)",
 * "i.e. Ctrl-Z"); "etc." often does ("…, etc. On Windows…"), so a sentence still ends there.
 */
const SENTENCE_BREAK = /(?<=[.!?])(?<!\b(?:[Ee]\.g|[Ii]\.e|[Cc]f|[Vv]s)\.)\s+(?=[\p{Lu}`"'(\[*_¿¡])|(?<=[。！？])\s*(?=\S)/u;

/** Fewest letters and digits (`letterCount()`) a sentence or table row must have to be quoted. */
const MIN_PASSAGE_LETTERS = 8;

/**
 * The markdown of `paragraph` when it is a table or a list, to quote after the sentence that
 * introduces it: its first `maxItems` rows or items (then `…`), nested lines kept; undefined
 * for a paragraph of prose.
 */
function introducedBlock(paragraph: string, maxItems: number): string | undefined {
  const lines = paragraph.replace(/^\n+|\s+$/g, '').split('\n');
  if (/^\s*\|/.test(lines[0]!) && tableRows(paragraph).length > 0) {
    const rows = lines.filter((l) => /^\s*\|/.test(l));
    return rows.length > maxItems + 2 ? [...rows.slice(0, maxItems + 2), `| … |`].join('\n') : rows.join('\n');
  }
  if (!LIST_MARKER.test(lines[0]!)) return undefined;
  const indent = /^\s*/.exec(lines[0]!)![0].length;
  const out: string[] = [];
  let items = 0;
  for (const line of lines) {
    if (LIST_MARKER.test(line) && /^\s*/.exec(line)![0].length <= indent && ++items > maxItems) {
      out.push(`${line.slice(0, indent)}- …`);
      break;
    }
    out.push(line);
  }
  return out.join('\n');
}

/**
 * The paragraphs of a run of text: what blank lines separate, and a list that interrupts the
 * sentence ending in `:` that introduces it ("Options:" then "- a" on the next line) apart from
 * that sentence, as if a blank line were between them. As in CommonMark, a bullet list can
 * interrupt a paragraph, an ordered one only when it starts at 1.
 */
function paragraphsOf(text: string): string[] {
  return text.split(/\n\s*\n/).flatMap((paragraph) => {
    const lines = paragraph.split('\n');
    const start = lines.findIndex((line) => LIST_MARKER.test(line));
    const number = start > 0 ? ORDERED_MARKER.exec(lines[start]!) : null;
    const lead = lines.slice(0, start).filter((line) => line.trim() !== '');
    if (start <= 0 || (number && Number(number[1]) !== 1) || !lead.length || !/:$/.test(lead[lead.length - 1]!.trim())) return [paragraph];
    return [lines.slice(0, start).join('\n'), lines.slice(start).join('\n')];
  });
}

/** How many items a list's markdown has at its first item's indentation. */
function listItems(markdown: string): number {
  const indent = /^\s*/.exec(markdown)![0].length;
  return markdown.split('\n').filter((line) => LIST_MARKER.test(line) && /^\s*/.exec(line)![0].length === indent).length;
}

/** A fenced code block's lines without its fences (the same command fenced as `sh` or `bash` is one). */
function codeBody(block: string): string {
  return block.split('\n').slice(1, -1).join('\n').trim();
}

/**
 * What introduces a code block no sentence introduces: the last two headings of its section's
 * breadcrumb ("Basic Auth Middleware › Usage", "Grouping › Example"), or the page title for a
 * page's opening code.
 */
function leadIn(source: AnswerSource): string {
  const headings = source.headings.filter((h) => h.trim() !== '');
  return (headings.length ? headings.slice(-2) : [source.title]).join(' › ');
}

/**
 * The words of a code block, as {@link terms} reads text, and the parts of its identifiers too
 * (`basicAuth` and `basic_auth` also as `basic` and `auth`): a question names in words what the
 * code names in one identifier. Its fence line and comments' markers are read like the rest.
 */
function codeTerms(block: string, language: string | undefined): string[] {
  const parts = block.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
  return [...new Set([...terms(block, language), ...terms(parts, language)])];
}

/**
 * Sentences with each question joined to the sentence after it: a question answers nothing, and
 * it repeats the words of the question asked, so alone it would be quoted instead of its answer
 * ("Why are old thumbnails still served? Your CDN may hold copies for up to 24 hours.").
 */
function withAnswers(sentences: string[]): string[] {
  const out: string[] = [];
  for (const sentence of sentences) {
    const last = out[out.length - 1];
    if (last !== undefined && /[?？]$/.test(last)) out[out.length - 1] = `${last} ${sentence}`;
    else out.push(sentence);
  }
  return out;
}

const LIST_MARKER = /^\s*(?:[-*+]|\d+[.)])\s+/;
/** An ordered list item's marker: its start number and delimiter. */
const ORDERED_MARKER = /^\s*(\d{1,9})([.)])\s+/;
/** Longest list item quoted whole rather than sentence by sentence. */
const MAX_ITEM_CHARS = 300;

/**
 * A paragraph as runs of text that each say something on their own: its list items one by one,
 * except items that continue one sentence (after an item ending in `;`, `,` or `:`, or starting
 * in lower case, of any script: "It records: the question; the answer; …", "à chaque
 * démarrage."), which stay joined to it, as do
 * lines before the first item (unless they end in `:`: then the list is a paragraph of its own,
 * {@link paragraphsOf}), and short items without a full stop ("Buffers incoming text",
 * "Adds configurable delays"), which are quoted together, separated by semicolons. Headings,
 * tables, HTML and import lines are left out.
 */
function statements(paragraph: string): { text: string; item: boolean }[] {
  // Lines to items (a line without a marker continues the item or the sentence above it).
  const items: { text: string; item: boolean }[] = [];
  // The ordered lists open at each indentation, by their delimiter.
  const ordered = new Map<number, string>();
  for (const line of paragraph.split('\n')) {
    if (/^\s*(#{1,6}\s|\||[-*_]{3,}\s*$|<|import\s|export\s)/.test(line)) continue;
    let item = LIST_MARKER.test(line);
    const indent = /^\s*/.exec(line)![0].length;
    const number = ORDERED_MARKER.exec(line);
    // A hard-wrapped sentence's line may start with a number ("(nginx's default is\n60) does
    // not…"): as in CommonMark, an ordered item other than a 1 cannot interrupt a paragraph, so
    // it is an item only first in the paragraph or next to the items of its own list.
    if (number) item = items.length === 0 || Number(number[1]) === 1 || ordered.get(indent) === number[2];
    if (item) {
      for (const open of ordered.keys()) if (open > indent || (open === indent && !number)) ordered.delete(open);
      if (number) ordered.set(indent, number[2]!);
    }
    const text = (item ? line.replace(LIST_MARKER, '') : line).replace(/^>\s?/, '').replace(/\s+/g, ' ').trim();
    if (text === '') continue;
    const last = items[items.length - 1];
    if (last && !item) last.text += ` ${text}`;
    else items.push({ text, item });
  }
  const out: { text: string; item: boolean; fragments: boolean }[] = [];
  for (const { text, item } of items) {
    const fragment = item && visibleText(text).length <= MAX_FRAGMENT_CHARS && !SENTENCE_END.test(text);
    const last = out[out.length - 1];
    if (last && (CONTINUED.test(last.text) || startsInLowerCase(text))) {
      last.text += ` ${text}`;
      last.item = false; // items of one sentence: read as a sentence
      last.fragments = false;
    } else if (last?.fragments && fragment) last.text += `; ${text}`;
    else out.push({ text, item, fragments: fragment });
  }
  return out.filter((s) => s.text.length >= 3);
}
/** Longest list item read as a fragment of a list rather than a statement of its own. */
const MAX_FRAGMENT_CHARS = 80;
/** The end of a sentence, also in Chinese and Japanese (`。`, `！`, `？`). */
const SENTENCE_END = /[.!?。！？]$/;
/** A list item that the next one continues: it ends in `;`, `,` or `:` (or their full-width forms, and `、`). */
const CONTINUED = /[;,:；，：、]$/;

/**
 * Whether `text` starts with a lower-case letter of any script ("à chaque démarrage"), not with
 * a symbol Unicode files as one but that has no capital (`ℹ`, which Black's docs open notes with).
 */
function startsInLowerCase(text: string): boolean {
  const first = String.fromCodePoint(text.codePointAt(0) ?? 32);
  return /\p{Ll}/u.test(first) && first.toUpperCase() !== first;
}

/** The cells of a markdown table line: split on `|` outside code spans and not escaped. */
function tableCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  const body = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '`') inCode = !inCode;
    if (c === '|' && !inCode && body[i - 1] !== '\\') {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells.map((c) => c.replace(/\\\|/g, '|'));
}

/**
 * Each body row of the markdown tables in `paragraph` as one line a reader can quote: its first
 * cell, then the others after their column's header ("`bodyLimit` · Default: `1048576` ·
 * Description: …"), with its cells, which alone it is matched on (the headers are the same for
 * every row). Option, error-code and version tables hold much of an API reference. Tables
 * without a leading `|` are not read.
 */
function tableRows(paragraph: string): { text: string; cells: string[] }[] {
  const lines = paragraph.split('\n');
  const rows: { text: string; cells: string[] }[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!/^\s*\|/.test(lines[i]!) || !/^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(lines[i + 1]!)) continue;
    const header = tableCells(lines[i]!);
    let j = i + 2;
    for (; j < lines.length && /^\s*\|/.test(lines[j]!); j++) {
      const cells = tableCells(lines[j]!);
      const labelled = cells.slice(1).flatMap((cell, k) => (cell === '' ? [] : [header[k + 1] ? `${header[k + 1]}: ${cell}` : cell]));
      const row = [cells[0], ...labelled].filter(Boolean).join(' · ');
      if (letterCount(row) >= MIN_PASSAGE_LETTERS) rows.push({ text: row, cells });
    }
    i = j - 1;
  }
  return rows;
}

/**
 * `text` without the questions it quotes as examples (`ask, for example, "How do I change the
 * port?"`): they repeat what a reader asks without answering it, so their words do not count.
 */
function withoutQuotedQuestions(text: string): string {
  return text.replace(/"[^"\n]*\?"|“[^”\n]*\?”/g, ' ');
}

/** Words that only point elsewhere ("See also", "For details, see", "Read more in the guide"). */
const POINTER_WORDS = new Set(
  `see also read more for details detail information info the this that these page pages guide guides section sections
   reference documentation docs doc below above learn about full complete list refer to in on of and or a an check out further here there`.split(/\s+/),
);

/**
 * A sentence that says nothing but where to read ("See [Tracing with LangSmith](/guides/langsmith/).",
 * "For details, see the [API reference](/api/)."): a link and, besides it, only pointing words.
 */
function isPointer(markdown: string): boolean {
  const link = /(?<!!)\[[^\]]*\]\([^)]*\)/g;
  if (!link.test(markdown)) return false;
  const words = wordsOf(markdown.replace(link, ' ').replace(/<[^>]+>/g, ' '));
  return words.every((w) => POINTER_WORDS.has(w));
}

/**
 * A sentence ending in `:` with nothing after it to quote ("Set these in `.env`:" at the end of
 * its section, or before a heading or a picture): alone it promises what the reader will not see.
 */
function dangles(p: Passage): boolean {
  return !p.row && !p.codeOnly && !p.code && !p.introduces && /[:：]$/.test(p.text);
}

/** What a sentence that only says where to read, or introduces nothing, counts for, against one that says something. */
const POINTER_WEIGHT = 0.25;

/** Markdown as a reader sees it: link and image targets and HTML tags dropped, link text kept. */
function visibleText(markdown: string): string {
  return markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ');
}

/**
 * A run of links with little else (a table of contents, a "see also" or error-code index): it
 * points elsewhere instead of saying anything. Three links or more making most of the text, or
 * one entry of a table of contents ({@link isContentsEntry}).
 */
function isLinkList(markdown: string): boolean {
  if (isContentsEntry(markdown)) return true;
  const links = markdown.match(/(?<!!)\[[^\]]*\]\([^)]*\)/g) ?? [];
  if (links.length < 3) return false;
  const linked = links.reduce((n, link) => n + visibleText(link).length, 0);
  return linked > 0.6 * visibleText(markdown).replace(/\s+/g, ' ').trim().length;
}

/** A link (its text not code, maybe in bold), alone or then `:` or a dash and the rest (group 2). */
const CONTENTS_ENTRY = /^([*_]{0,2})\[[^\]`]+\]\([^)]*\)\1(?:(?:\s*:|\s+[-–—])\s+(.*))?$/;
/** Longest description of a table of contents entry. */
const MAX_ENTRY_DESCRIPTION_CHARS = 160;

/**
 * A link to a page or a heading (`[Deploying Docent](/guides/deployment/)`), alone or followed by
 * `:` or a dash and a description of one short sentence ("Postgres, several instances,
 * backups."): an entry of a table of contents, which names what is there without saying it. A
 * link written as code (`` [`maxRetries`](#maxretries): … ``) names an API and is quoted, as is
 * an entry that says more than one sentence.
 */
function isContentsEntry(markdown: string): boolean {
  const entry = CONTENTS_ENTRY.exec(markdown.trim());
  if (!entry) return false;
  const description = visibleText(entry[2] ?? '').trim();
  return description.length <= MAX_ENTRY_DESCRIPTION_CHARS && !/[.!?]\s+\S/.test(description);
}

/**
 * The question's terms, a misspelt word ("decorater") replaced by the passages' word it is one
 * edit from (two for words of 8 letters or more), with the same first letter, as retrieval
 * corrects it: else the passages that answer never match it. Correctly spelt English words are
 * kept as written, and so are words with digits or code characters.
 */
function questionTerms(question: string, vocabulary: ReadonlyMap<string, number>, language: string | undefined): string[] {
  const out = new Set<string>();
  for (const word of question.match(/[\p{L}\p{M}\p{N}_$]+/gu) ?? []) {
    for (const term of terms(word, language)) {
      if (vocabulary.has(term) || term.length < 4 || /[^a-z]/.test(term) || isEnglishWord(word)) {
        out.add(term);
        continue;
      }
      const edits = term.length >= 8 ? 2 : 1;
      let best: { term: string; distance: number; df: number } | undefined;
      for (const [candidate, df] of vocabulary) {
        if (candidate[0] !== term[0] || Math.abs(candidate.length - term.length) > edits) continue;
        const distance = editDistance(term, candidate);
        if (distance <= edits && (!best || distance < best.distance || (distance === best.distance && df > best.df))) best = { term: candidate, distance, df };
      }
      out.add(best?.term ?? term);
    }
  }
  return [...out];
}

/**
 * A question that asks for code ("an example of…", "usage of…", "syntax for…"): code blocks no
 * sentence introduces are quoted from any source, not only from the top one.
 */
const ASKS_FOR_CODE = /\b(?:examples?|usage|snippets?|samples?|syntax|code)\b/i;

/** A question asking how to do something: "How do I…", "How can I…", "how to…". */
const ASKS_HOW_TO = /^\s*how\s+(?:(?:do|can|could|should|would)\s+(?:i|we|you|one)|to)\b/i;

/**
 * What a passage of the top source that comes with code, or with the table or list it
 * introduces, counts for on a question asking how to do something: the step that shows how ("Set
 * `OPENAI_BASE_URL` to its `/v1` address…" and the `.env` lines) rather than a sentence that
 * shares more of the question's words. Only the top source's: another page's example is often
 * of something else (measured in BENCHMARKS.md, "How-to questions").
 */
const HOW_TO_SHOWN_WEIGHT = 2;

/** What a question's word found only in a code block counts for, against one in a sentence or heading. */
const CODE_TERM_WEIGHT = 0.5;

/** How early in the top source an introduction of a "What is X?" subject must come to open the answer. */
const MAX_INTRO_INDEX = 3;

/** A passage's words as a reader reads them, lower-cased, for telling two quotes of one sentence apart. */
function quoteKey(p: Passage): string {
  const visible = visibleText(p.codeOnly ? p.code! : p.text).toLowerCase();
  // A passage of only punctuation and symbols is its own key: an empty one would match any other.
  return visible.replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ').trim() || visible.trim();
}

/** Whether the list `introducer` quotes (its first items) shows the whole of `item`, one of its passages. */
function shows(introducer: Passage, item: Passage): boolean {
  const flat = (markdown: string) => visibleText(markdown).replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, '').replace(/\s+/g, ' ');
  return flat(introducer.introduces ?? '').includes(flat(item.text));
}

/** Builds the extractive answer for `question` from `sources` (in rank order). */
export function extractiveAnswer(question: string, sources: readonly AnswerSource[], options: ExtractiveOptions = {}): string {
  const maxPassages = options.maxPassages ?? 3;
  const maxPerSource = options.maxPerSource ?? 2;
  const maxCodeLines = options.maxCodeLines ?? 20;
  const maxListItems = options.maxListItems ?? 10;
  const subject = definitionSubject(question);
  const howTo = ASKS_HOW_TO.test(question);
  const language = answerLanguage(question, sources);

  // A code block standing alone is quoted when the question asks for code, or when the top source
  // has nothing else to quote: its sentences, when it has some, say more.
  const codeAsked = ASKS_FOR_CODE.test(question);
  const all = sources.flatMap((s) => {
    const passages = passagesOf(s, maxCodeLines, maxListItems, language);
    const codeOnly = s.rank === sources[0]!.rank && passages.every((p) => p.codeOnly);
    return codeAsked || codeOnly ? passages : passages.filter((p) => !p.codeOnly);
  });
  if (all.length === 0) return `${EXTRACTIVE_LABEL}\n\n${sources.map((s) => `- [${s.title}](${s.url}) [${s.rank}]`).join('\n')}`;

  // How rare a term is among the sentences (code's words, many and repeated, would skew it).
  const prose = all.filter((p) => !p.codeOnly);
  const df = new Map<string, number>();
  for (const p of prose) for (const t of p.terms) df.set(t, (df.get(t) ?? 0) + 1);
  const wanted = questionTerms(question, df, language);
  const idf = (t: string) => Math.log(1 + Math.max(1, prose.length) / (df.get(t) ?? 0.5));
  const maxRank = Math.max(...sources.map((s) => s.rank));
  // "What is X?" when the top source introduces X among its first sentences: that introduction,
  // read on (maxPerSource passages), opens the answer, and sentences of other sources that merely
  // open with X ("Poetry is developed using Poetry.") do not count double.
  const topRank = sources[0]!.rank;
  const top = all.filter((p) => p.source.rank === topRank);
  const intro = subject ? top.findIndex((p) => !p.row && introducesSubject(subject, p.text)) : -1;
  const opening = intro >= 0 && intro < MAX_INTRO_INDEX ? top.slice(intro, intro + maxPerSource).filter((p) => !p.row) : [];

  for (const p of all) {
    let score = 0;
    if (p.codeOnly) {
      // Its lead-in, the section's heading, says what the code is; its words count less.
      const own = new Set(terms(p.text, language));
      for (const t of wanted) if (own.has(t)) score += idf(t);
      else if (p.terms.has(t)) score += CODE_TERM_WEIGHT * idf(t);
    } else for (const t of wanted) if (p.terms.has(t)) score += idf(t);
    const headingTerms = new Set(terms(p.source.headings.join(' '), language));
    for (const t of wanted) if (headingTerms.has(t)) score += 0.25 * idf(t);
    if (p.pointer || dangles(p)) score *= POINTER_WEIGHT;
    if ((p.code || p.introduces) && !p.codeOnly && score > 0) {
      const shownTerms = new Set(terms(`${p.code ?? ''} ${visibleText(p.introduces ?? '')}`, language));
      score += 0.5 * wanted.filter((t) => shownTerms.has(t)).length;
    }
    // Prefer better-ranked sources, and earlier sentences of a section (they state its point).
    score *= 1 + 0.3 * ((maxRank - p.source.rank) / Math.max(1, maxRank - 1));
    score *= 1 - Math.min(0.2, p.index * 0.02);
    if (subject && (opening.length === 0 || p.source.rank === topRank) && introducesSubject(subject, p.text)) score *= 2;
    // "How do I…?": the top section's step that shows how (its code, its table or list) over a sentence about it.
    if (howTo && p.source.rank === topRank && (p.code || p.introduces) && !p.codeOnly) score *= HOW_TO_SHOWN_WEIGHT;
    p.score = score;
  }

  // Once the introduction opens the answer, a passage of another page that matches nothing but
  // X's own words ("Docent needs Postgres 15 or later") says something about X, not what X is:
  // left out. The introduction's own page goes on about X ("Open /review and enter the token").
  const subjectTerms = new Set(opening.length ? terms(subject!.join(' '), language) : []);
  const topPath = sources[0]!.path;
  const asksMore = (p: Passage) => p.source.path === topPath || wanted.some((t) => !subjectTerms.has(t) && p.terms.has(t));
  const ranked = [...all].sort((a, b) => b.score - a.score);
  const chosen: Passage[] = [...opening];
  const perSource = new Map<number, number>(opening.length ? [[topRank, opening.length]] : []);
  // A sentence already quoted from another page (near-duplicate pages: the v1/ and v2/ copies of
  // a page, a partial included in several) is not quoted again.
  const keys = new Map(all.map((p) => [p, quoteKey(p)]));
  const copyOf = (p: Passage, among: readonly Passage[]) => among.findIndex((c) => keys.get(c) === keys.get(p));
  for (const best of ranked) {
    // A piece of a list a sentence ending in `:` introduces (a sentence of a long item, items run
    // together into one sentence), when that list's quote shows it: the sentence and its list,
    // which say what it is part of. A row or an item quoted whole says it on its own.
    const p = best.partOf && !best.row && !best.item && best.partOf.score > 0 && shows(best.partOf, best) ? best.partOf : best;
    // A row or item already quoted with the sentence introducing its table or list, or the other way round.
    if (chosen.includes(p) || (p.partOf && chosen.includes(p.partOf)) || chosen.some((c) => c.partOf === p)) continue;
    if (copyOf(p, chosen) >= 0) continue;
    if (opening.length && !asksMore(p)) continue;
    if (chosen.length >= maxPassages || p.score <= 0) break;
    const n = perSource.get(p.source.rank) ?? 0;
    if (n >= maxPerSource) continue;
    perSource.set(p.source.rank, n + 1);
    chosen.push(p);
  }
  // Nothing matched a term: the top source's opening sentences are the best guess.
  if (chosen.length === 0) chosen.push(...top.slice(0, 2));
  // The top source is quoted whatever its sentences score against the others, and as much as
  // any source: retrieval ranks sections far better than word overlap ranks sentences. Its best
  // passage (or its opening sentence), then up to maxPerSource that match the question, take the
  // places of the weakest ones chosen from other sources.
  const fromTop = chosen.filter((p) => p.source.rank === topRank).length;
  const more = [...top]
    .filter((p) => !chosen.includes(p) && !(p.partOf && chosen.includes(p.partOf)) && !chosen.some((c) => c.partOf === p) && copyOf(p, top.filter((c) => chosen.includes(c))) < 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .filter((p, i) => p.score > 0 || (i === 0 && fromTop === 0))
    .slice(0, maxPerSource - fromTop);
  for (const p of more) {
    // The top source's copy of a sentence chosen from another page takes that one's place.
    const copy = copyOf(p, chosen);
    if (copy >= 0) chosen.splice(copy, 1);
    else if (chosen.length >= maxPassages) {
      const weakest = chosen.findLastIndex((c) => c.source.rank !== topRank);
      if (weakest < 0) break;
      chosen.splice(weakest, 1);
    }
    chosen.push(p);
  }

  chosen.sort((a, b) => a.source.rank - b.source.rank || a.index - b.index);
  // A code block the answer already shows (two pages giving the same command) is not shown again.
  const shownCode = new Set<string>();
  const firstShowing = (code: string) => {
    const key = codeBody(code);
    if (shownCode.has(key)) return false;
    shownCode.add(key);
    return true;
  };
  const body = chosen.flatMap((p, i) => {
    if (p.codeOnly) return firstShowing(p.code!) ? [`> ${p.text}: [${p.source.rank}]\n\n${p.code}`] : [];
    const said = `> ${resolveLinksOf(p.source, options.fileUrl, p.text)} [${p.source.rank}]`;
    const quote = p.introduces ? `${said}\n\n${resolveLinksOf(p.source, options.fileUrl, p.introduces)}` : said;
    // Two quotes of one paragraph: its code block once, after the second.
    const withCode = p.code && !(chosen[i + 1]?.source === p.source && chosen[i + 1]?.code === p.code) && firstShowing(p.code);
    return [withCode ? `${quote}\n\n${p.code}` : quote];
  });
  return `${EXTRACTIVE_LABEL}\n\n${body.join('\n\n')}`;
}
