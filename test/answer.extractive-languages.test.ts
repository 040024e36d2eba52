import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractiveAnswer, terms } from '../server/answer/extractive';
import { wordsOf } from '../server/answer/words';
import { type AnswerSource, snippetOf } from '../server/chats/sources';
import { readEvalQuestions } from '../eval/questions';
import type { EvalQuestion } from '../eval/metrics';
import { type FixtureDoc, readFixtureDocs } from './helpers/fixture-docs';

/**
 * Docs in Russian, Chinese, Japanese, German, French and Spanish (`test/fixtures/multilingual-docs`,
 * written for this test: the same two pages in each language), with questions in the page's language and
 * their gold sections (`multilingual-questions.jsonl`, in the eval sets' format).
 */
const DOCS = 'test/fixtures/multilingual-docs';
const QUESTIONS = readEvalQuestions('test/fixtures/multilingual-questions.jsonl');

const sourceOf = (doc: FixtureDoc, section: FixtureDoc['sections'][number], rank: number): AnswerSource => ({
  rank,
  score: 0.9 - rank / 20,
  source: 'docs',
  path: doc.path,
  title: doc.title,
  heading: section.heading,
  headings: section.headings,
  anchor: section.anchor,
  url: `${doc.url}#${section.anchor}`,
  snippet: snippetOf(section.text),
  chunkId: null,
  text: section.text,
});

/** The quoted passages of an extractive answer, with the rank each cites. */
const quotesOf = (answer: string) => [...answer.matchAll(/^> (.*) \[(\d+)\]$/gm)].map((m) => ({ text: m[1]!, rank: Number(m[2]) }));

describe('extractiveAnswer() on docs in other languages', () => {
  let docs: FixtureDoc[];
  beforeAll(async () => {
    docs = await readFixtureDocs(DOCS);
  });

  /**
   * Every section of the question's language as a source, the gold one ranked last: only the
   * passages' words can bring it into the answer (the top source is quoted whatever it says).
   */
  const sourcesFor = (q: EvalQuestion) => {
    const language = q.gold[0]!.path.split('/')[0]!;
    const sections = docs.filter((d) => d.path.startsWith(`${language}/`)).flatMap((doc) => doc.sections.map((section) => ({ doc, section })));
    const isGold = ({ doc, section }: (typeof sections)[number]) => q.gold.some((g) => g.path === doc.path && g.heading === section.heading);
    const gold = sections.filter(isGold);
    expect(gold).toHaveLength(1);
    return [...sections.filter((s) => !isGold(s)), ...gold].map(({ doc, section }, i) => sourceOf(doc, section, i + 1));
  };

  it.each(QUESTIONS.map((q) => [q.id, q] as const))('%s: quotes the passage of the gold section that answers the question', (_id, q) => {
    const sources = sourcesFor(q);
    const gold = sources[sources.length - 1]!;
    const quotes = quotesOf(extractiveAnswer(q.question, sources));
    const fromGold = quotes.filter((quote) => quote.rank === gold.rank);
    expect(fromGold.length).toBeGreaterThan(0);
    for (const quote of fromGold) expect(gold.text).toContain(quote.text);
  });

  /** The fixture's sections of the question's language as sources, the gold one ranked first (as retrieval ranks it). */
  const goldFirst = (q: EvalQuestion) => {
    const sources = sourcesFor(q);
    return [sources[sources.length - 1]!, ...sources.slice(0, -1)].map((s, i) => ({ ...s, rank: i + 1 }));
  };

  it.each([
    ['de-002', 'Jede Frage eines Lesers wird mit den gefundenen Quellen und der Bewertung der Antwort gespeichert.', ['mit']],
    ['fr-001', "Quand une page ne peut pas être lue, l'import indique le nom du fichier et le numéro de la ligne.", ['de', 'du', 'une']],
    ['es-002', 'Para un servidor Postgres externo, escriba su dirección en `DATABASE_URL`.', ['en']],
  ])('%s: does not quote a sentence of another section that shares only stopwords of its language with the question', (id, sentence, shared) => {
    const q = QUESTIONS.find((question) => question.id === id)!;
    const sources = goldFirst(q);
    // The sentence is in the fixture, and the words it shares with the question are these function words only.
    expect(sources.some((s) => s.text.includes(sentence))).toBe(true);
    const asked = new Set(wordsOf(q.question));
    expect([...new Set(wordsOf(sentence).filter((w) => asked.has(w)))].sort()).toEqual(shared);
    const quotes = quotesOf(extractiveAnswer(q.question, sources));
    expect(quotes.filter((quote) => quote.rank === 1).length).toBeGreaterThan(0);
    expect(quotes.map((quote) => quote.text)).not.toContain(sentence);
  });

  // Forms two edits apart or with accents, which the correction of misspelt words does not reach.
  it.each([
    {
      language: 'German',
      question: 'Was passiert mit gelöschten Einträgen?',
      top: 'Der Befehl liest den Ordner der Dokumentation und speichert die Abschnitte in der Datenbank.',
      other: 'Unveränderte Abschnitte werden nicht neu berechnet. Ein gelöschter Eintrag verschwindet aus der Suche.',
      answer: 'Ein gelöschter Eintrag verschwindet aus der Suche.',
    },
    {
      language: 'French',
      question: 'Que devient un vieux journal ?',
      top: 'Le serveur lit ses réglages dans les variables et dans le fichier du projet.',
      other: 'Les réglages du fichier passent après ceux de la variable. Les anciens journaux sont supprimés au démarrage.',
      answer: 'Les anciens journaux sont supprimés au démarrage.',
    },
    {
      language: 'Spanish',
      question: '¿Qué versión se necesita?',
      top: 'El comando lee las páginas de la carpeta y las guarda en la base de datos.',
      other: 'La carpeta puede estar en cualquier disco. Las versiones 15 y posteriores funcionan.',
      answer: 'Las versiones 15 y posteriores funcionan.',
    },
  ])('$language: matches another form of a word of the question ("Einträgen" and "Eintrag", "journal" and "journaux", "versión" and "versiones")', ({ question, top, other, answer }) => {
    const page = { path: 'x/a.md', title: 'A', url: '/x/a/' } as FixtureDoc;
    const sources = [
      sourceOf(page, { heading: 'A', headings: ['A'], anchor: 'a', text: top }, 1),
      sourceOf(page, { heading: 'B', headings: ['A', 'B'], anchor: 'b', text: other }, 2),
    ];
    expect(quotesOf(extractiveAnswer(question, sources))).toContainEqual({ text: answer, rank: 2 });
  });

  it('quotes two different sentences in another script that share only an identifier, both', () => {
    const sources = [
      sourceOf({ path: 'ru/a.md', title: 'База данных', url: '/ru/a/' } as FixtureDoc, { heading: 'Адрес', headings: ['База данных', 'Адрес'], anchor: 'адрес', text: 'Переменная `DATABASE_URL` задаёт адрес внешней базы данных.' }, 1),
      sourceOf({ path: 'ru/b.md', title: 'Запуск', url: '/ru/b/' } as FixtureDoc, { heading: 'Порядок', headings: ['Запуск', 'Порядок'], anchor: 'порядок', text: 'Сервер читает `DATABASE_URL` только один раз, при запуске.' }, 2),
    ];
    const quotes = quotesOf(extractiveAnswer('Когда сервер читает DATABASE_URL?', sources));
    expect(quotes.map((q) => q.rank)).toEqual([1, 2]);
  });

  /** One source of one section holding `text`, in `language`'s folder. */
  const sectionOf = (language: string, text: string) =>
    sourceOf({ path: `${language}/a.md`, title: 'A', url: `/${language}/a/` } as FixtureDoc, { heading: '', headings: ['A'], anchor: '', text }, 1);

  it('joins a list item starting with a lower-case letter of any script to the sentence it continues', () => {
    const fr = sectionOf('fr', 'Le serveur et le site utilisent le même port.\n\n- Le serveur relit la configuration\n- à chaque démarrage.\n- Les anciens journaux sont supprimés.');
    expect(quotesOf(extractiveAnswer('Quand le serveur relit-il la configuration ?', [fr])).map((q) => q.text)).toContain('Le serveur relit la configuration à chaque démarrage.');
  });

  it('does not join a list item starting with a symbol that has no capital ("ℹ") to the item before it', () => {
    const en = sectionOf('en', '- `latest` is the tag of the newest image.\n- ℹ Recommended for users who always want the newest image.');
    expect(quotesOf(extractiveAnswer('Which image is recommended for users?', [en])).map((q) => q.text)).toContain('ℹ Recommended for users who always want the newest image.');
  });

  it('reads a list item ending in a Chinese or Japanese full stop as a sentence, and one ending in "，" as continued', () => {
    const zh = sectionOf('zh', '- 服务器和文档网站使用同一个端口。\n- 超过九十天的记录会在启动时删除。\n- 如果页面无法解析，\n- 导入会报告文件名和行号。');
    expect(quotesOf(extractiveAnswer('记录什么时候删除？', [zh])).map((q) => q.text)).toContain('超过九十天的记录会在启动时删除。');
    expect(quotesOf(extractiveAnswer('页面无法解析时会怎样？', [zh])).map((q) => q.text)).toContain('如果页面无法解析， 导入会报告文件名和行号。');
  });

  it.each([
    ['¿', 'El servidor lee el archivo `.env` al iniciar. ¿Se puede cambiar el puerto? Sí, con la variable `PORT`.', '¿Cómo cambio el puerto?', '¿Se puede cambiar el puerto? Sí, con la variable `PORT`.'],
    ['¡', 'La importación lee todas las páginas. ¡No borre la carpeta `.data/` durante la importación!', '¿Puedo borrar la carpeta .data?', '¡No borre la carpeta `.data/` durante la importación!'],
  ])('splits a sentence before a Spanish opening "%s"', (_mark, text, question, sentence) => {
    expect(quotesOf(extractiveAnswer(question, [sectionOf('es', text)])).map((q) => q.text)).toContain(sentence);
  });

  it('splits sentences after a Chinese or Japanese full stop and before a capital of any script', () => {
    const zh = sourceOf({ path: 'zh/a.md', title: '端口', url: '/zh/a/' } as FixtureDoc, { heading: '', headings: ['端口'], anchor: '', text: '服务器和文档网站使用同一个端口。超过九十天的记录会在服务器启动时自动删除。' }, 1);
    expect(quotesOf(extractiveAnswer('记录什么时候删除？', [zh])).map((q) => q.text)).toContain('超过九十天的记录会在服务器启动时自动删除。');
    const ru = sourceOf({ path: 'ru/a.md', title: 'Порт', url: '/ru/a/' } as FixtureDoc, { heading: '', headings: ['Порт'], anchor: '', text: 'Сервер слушает один порт. Записи журнала удаляются через девяносто дней.' }, 1);
    expect(quotesOf(extractiveAnswer('Когда удаляются записи журнала?', [ru]))[0]!.text).toBe('Записи журнала удаляются через девяносто дней.');
  });
});

describe('terms() and wordsOf() in any script', () => {
  it('reads Chinese and Japanese as character pairs, the letters around them as words', () => {
    expect(wordsOf('请求日志')).toEqual(['请求', '求日', '日志']);
    expect(wordsOf('PGlite数据库')).toEqual(['pglite', '数据', '据库']);
    expect(wordsOf('表 と PORT')).toEqual(['表', 'と', 'port']);
  });

  it('keeps accented and Cyrillic words whole and folds Russian case endings', () => {
    expect(terms('Gelöschte Einträge')).toEqual(['gelöschte', 'einträge']);
    expect(terms('страницу страницы страница')).toEqual(['страниц', 'страниц', 'страниц']);
  });

  it('folds German, French and Spanish forms of a word together, and leaves out their stopwords', () => {
    expect(terms('Seiten Seite', 'de')).toEqual(['seit', 'seit']);
    expect(terms('Einträge Eintrag gelöschten gelöschte', 'de')).toEqual(['eintrag', 'eintrag', 'geloscht', 'geloscht']);
    expect(terms('configurations configuration journaux journal', 'fr')).toEqual(['configuration', 'configuration', 'journal', 'journal']);
    expect(terms('supprimées supprimé supprimer', 'fr')).toEqual(['supprim', 'supprim', 'supprim']);
    expect(terms('servidores servidor páginas página', 'es')).toEqual(['servidor', 'servidor', 'pagin', 'pagin']);
    expect(terms('mit und der Server', 'de')).toEqual(['serv']);
    expect(terms('une page de la documentation', 'fr')).toEqual(['page', 'documentation']);
    expect(terms('con una página en el servidor', 'es')).toEqual(['pagin', 'servidor']);
  });

  it('reads English text as before: ASCII words, stopwords dropped, suffixes folded', () => {
    expect(terms("Set `maxRetries` to 3 — it's the $env default; see routes/cookies.")).toEqual(['set', 'maxretri', '$env', 'default', 'see', 'route', 'cooki']);
  });
});
