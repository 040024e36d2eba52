/**
 * Questions that ask what something is ("What is Docent?", "what can hono do", "what are
 * helpers?") and the sections that define it. Such questions carry almost no lexical signal: the
 * subject is often the product's own name, in nearly every section, so BM25 ranks sections by
 * how often they repeat it. The section a reader wants is the one that introduces the subject:
 * the lead of the page titled after it, or a section whose opening sentence has it as its subject
 * ("Docent is an open-source chatbot…", "Helpers are available to…", "The RPC feature allows…").
 */

/** Words that never make a subject on their own. */
const ARTICLES = new Set(['a', 'an', 'the']);

/** "What is it?", "what does that mean?": a follow-up about something earlier, not a subject ("thi" is "this" after the plural rule of {@link words}). */
const PRONOUNS = new Set(['it', 'this', 'thi', 'that', 'these', 'those', 'they', 'them', 'i', 'you', 'we', 'he', 'she', 'one']);

/** Longest question read for a definitional shape (a subject is at most four words). */
const MAX_QUESTION_CHARS = 200;

/** Words of a page title that name nothing ("Tracing with LangSmith" is about tracing and LangSmith). */
const TITLE_FILLERS = new Set([...ARTICLES, 'and', 'with', 'of', 'for', 'in', 'to', 'on', 'your', 'using']);

/** Question shapes that ask what a subject is; the first group is the subject. */
const DEFINITIONAL = [
  /^(?:so\s+)?what(?:\s+is|\s+are|'s|’s)\s+(.+?)(?:\s+(?:for|about|used for|exactly))?$/i,
  /^what\s+(?:can|does|do)\s+(.+?)\s+(?:do|mean)$/i,
  /^(?:tell me about|explain|describe|define)\s+(.+)$/i,
];

/** Verbs that open a sentence introducing its subject ("X is …", "X lets you …"), as {@link words} leaves them. */
const INTRODUCING_VERBS = /^(?:is|are|was|were|mean|let|allow|help|provide|work|make|give|turn|handle|run|consist|refer)$/;

/** Generic nouns that may follow the subject before the verb ("The RPC feature allows …"). */
const GENERIC_NOUNS = new Set(['feature', 'function', 'helper', 'middleware', 'method', 'option', 'command', 'api', 'library', 'framework', 'package', 'component', 'hook', 'object', 'class', 'type', 'module', 'tool', 'setting', 'adapter', 'plugin', 'provider', 'service']);

/** Lower-case words of `text` (`DATABASE_URL` is one), a trailing plural "s" removed ("Helpers" and "helper" agree). */
function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9][a-z0-9._+#-]*/g) ?? [])
    .map((w) => w.replace(/[._-]+$/, ''))
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}

/**
 * The subject's words when `question` asks what something is, else `undefined`. A trailing
 * qualifier ("JSX in Hono") is dropped: the page about JSX is still the one wanted.
 */
export function definitionSubject(question: string): string[] | undefined {
  // Whitespace collapsed and long input refused first: the shapes' lazy groups between `\s+`
  // would otherwise backtrack for seconds on a question full of spaces.
  const q = question.replace(/\s+/g, ' ').trim().replace(/[?!. ]+$/, '');
  if (q.length > MAX_QUESTION_CHARS) return undefined;
  for (const shape of DEFINITIONAL) {
    const m = shape.exec(q);
    if (!m) continue;
    // "the purpose of X" asks what X is for: X is the subject.
    const subject = m[1]!
      .replace(/^(?:the\s+)?(?:purpose|point|meaning|role|idea)\s+(?:of|behind)\s+/i, '')
      .split(/\s+(?:in|for|with|on|of|from)\s+/i)[0]!;
    const w = words(subject).filter((x) => !ARTICLES.has(x));
    // Long "subjects" are how-to questions in disguise ("what is the best way to …").
    if (w.length === 0 || w.length > 4 || w.every((x) => PRONOUNS.has(x))) return undefined;
    return w;
  }
  return undefined;
}

/** The first sentence of a section's own text (markup and code blocks skipped). */
export function openingSentence(text: string): string {
  return openingSentences(text, 1)[0] ?? '';
}

/** The first `count` sentences of a section's own text (markup, code blocks and lists skipped). */
export function openingSentences(text: string, count: number): string[] {
  const paragraphs = text.replace(/(```|~~~)[\s\S]*?(\1|$)/g, '\n\n').split(/\n\s*\n/);
  const sentences: string[] = [];
  for (const p of paragraphs) {
    const line = p.trim();
    if (!/[a-z]/i.test(line) || /^(#|<|:::|\||import\s|export\s|[-*+]\s|\d+\.\s|>)/.test(line)) continue;
    const plain = withoutMarks(line).replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\s+/g, ' ');
    for (const sentence of plain.split(/(?<=[.!?])\s/)) {
      sentences.push(sentence);
      if (sentences.length >= count) return sentences;
    }
  }
  return sentences;
}

/** Text without code marks, quotes and emphasis (`*`/`_` at word edges: `DATABASE_URL` keeps its underscore). */
function withoutMarks(text: string): string {
  return text
    .replace(/[`"“”]/g, '')
    .replace(/(^|[\s(])[*_]+/g, '$1')
    .replace(/[*_]+(?=[\s.,;:!?)]|$)/g, '');
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((w, i) => w === b[i]);
}

/**
 * Whether a section introduces `subject`: it is the lead of a page whose title is the subject's
 * head noun and only the subject's words (the page "Helpers" for "what are helpers", "Routers"
 * for "the Hono router"),
 * or its opening sentence has the subject as its subject: the subject's words, then (after an
 * aside in dashes or brackets, or a generic noun such as "feature") an introducing verb.
 */
export function definesSubject(subject: readonly string[], section: { title: string; headings: readonly string[]; text: string }): boolean {
  const isLead = section.headings.length <= 1;
  const title = words(section.title).filter((w) => !TITLE_FILLERS.has(w));
  // The title holds the subject's head noun and nothing else but its words: "Routers" for "the
  // Hono router", not the page "Hono" for "the Hono CLI".
  if (isLead && title.includes(subject.at(-1)!) && title.every((w) => subject.includes(w))) return true;
  return introducesSubject(subject, openingSentence(section.text));
}

/** Nouns by which a reader means the whole of what the docs document ("what is this library?", "what are these docs about?"). */
const SITE_NOUNS = new Set(['project', 'site', 'website', 'library', 'tool', 'package', 'framework', 'product', 'software', 'app', 'sdk', 'doc', 'documentation']);

/**
 * Whether a {@link definitionSubject} means the site itself: "this" or "these" and a noun such as
 * project, library or docs. The reader has no name to give, and the home page is the answer.
 * ("What is it?" has no subject: as a follow-up it means the earlier answer's subject.)
 */
export function isSiteSubject(subject: readonly string[]): boolean {
  return subject.length === 2 && (subject[0] === 'thi' || subject[0] === 'these') && SITE_NOUNS.has(subject[1]!);
}

/** Sentences of a home page's lead read for its subject: a tagline may come first ("A next-generation HTTP client for Python. HTTPX is …"). */
const HOME_LEAD_SENTENCES = 3;

/**
 * Whether a site's home page lead (`home-pages.ts`) introduces `subject`, which is then what the
 * site is about: it {@link definesSubject}, or one of its first sentences has the subject as its subject.
 */
export function homePageIntroduces(subject: readonly string[], lead: { title: string; headings: readonly string[]; text: string }): boolean {
  return definesSubject(subject, lead) || openingSentences(lead.text, HOME_LEAD_SENTENCES).some((s) => introducesSubject(subject, s));
}

/**
 * Whether `sentence` has `subject` as its subject: the subject's words (after an article), then an
 * introducing verb, possibly after an aside in dashes or brackets or a generic noun
 * ("Hono - means flame - is a…", "The RPC feature allows…"; not "Docent servers are…").
 */
export function introducesSubject(subject: readonly string[], sentence: string): boolean {
  const plain = withoutMarks(sentence)
    .replace(/\s[-–—]\s.*?\s[-–—]\s/, ' ')
    .replace(/\s?[—–][^—–]*[—–]\s?/, ' ')
    .replace(/\s\([^)]*\)/g, '');
  const w = words(plain);
  const start = ARTICLES.has(w[0] ?? '') ? 1 : 0;
  if (!sameWords(w.slice(start, start + subject.length), subject)) return false;
  const next = w.slice(start + subject.length, start + subject.length + 2);
  return INTRODUCING_VERBS.test(next[0] ?? '') || (GENERIC_NOUNS.has(next[0] ?? '') && INTRODUCING_VERBS.test(next[1] ?? ''));
}
