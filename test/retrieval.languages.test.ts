import { describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { createApp } from '../server/http/app';
import { inQuestionLanguage, languageOf, languageOfTag, languageTagOf } from '../server/retrieval/languages';
import { search } from '../server/retrieval/search';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { createTestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';
import { createClient } from './helpers/client';
import { chatBody, readChunks } from './helpers/ui-stream';

describe('languageOf', () => {
  it('tells Latin-script languages apart by their common words', () => {
    expect(languageOf('How do I add a sidebar group that is generated from a directory?')).toBe('en');
    expect(languageOf('Comment ajouter un groupe à la barre latérale qui est généré à partir d’un répertoire ?')).toBe('fr');
    expect(languageOf('Wie kann ich die Seitenleiste anpassen, wenn ich eine neue Seite hinzufüge?')).toBe('de');
    expect(languageOf('¿Cómo puedo añadir un grupo a la barra lateral que se genera desde una carpeta?')).toBe('es');
  });

  it('tells other languages by their script, Japanese from Chinese by its kana', () => {
    expect(languageOf('サイドバーにグループを追加するにはどうすればよいですか？')).toBe('ja');
    expect(languageOf('如何在侧边栏中添加分组？')).toBe('zh');
    expect(languageOf('사이드바에 그룹을 추가하려면 어떻게 해야 하나요?')).toBe('ko');
    expect(languageOf('Как добавить группу в боковую панель?')).toBe('cyrillic');
  });

  it('reads prose only: code, inline code, link targets and URLs say nothing', () => {
    expect(languageOf('```js\nexport default defineConfig({ integrations: [starlight()] })\n```')).toBeUndefined();
    expect(languageOf('Set `la` and `de` in [the config](/de/la/des/une/reference) (https://example.com/le/la/les)')).toBeUndefined();
    // A name in another script inside English prose does not make the text that language.
    expect(languageOf('The docs of the project call it 日本 in the title, and you can change it.')).toBe('en');
  });

  it('is undefined when the words do not tell: a keyword query, a short question, a mix', () => {
    expect(languageOf('sidebar autogenerate')).toBeUndefined();
    expect(languageOf('What is Starlight?')).toBeUndefined();
    expect(languageOf('')).toBeUndefined();
    expect(languageOf('the and of — le la les')).toBeUndefined();
  });
});

describe('inQuestionLanguage', () => {
  const page = (id: string, text: string) => ({ id, page: id.split('#')[0]!, text });
  const english = page('en/sidebar#1', 'The sidebar groups are generated from a directory when you set autogenerate on the group.');
  const englishToo = page('en/config#1', 'The sidebar option of the integration sets the links and groups of the sidebar.');
  const french = page('fr/sidebar#1', 'Les groupes de la barre latérale sont générés à partir d’un répertoire avec autogenerate.');
  const frenchCode = page('fr/sidebar#2', '```js\nsidebar: [{ label: "Guides", autogenerate: { directory: "guides" } }]\n```');
  const frenchToo = page('fr/config#1', 'L’option sidebar de l’intégration définit les liens et les groupes de la barre latérale.');
  const code = page('api/config#1', '```js\nsidebar: [{ label: "Reference", autogenerate: { directory: "reference" } }]\n```');
  const candidates = [english, french, frenchCode, code, englishToo, frenchToo];
  const ids = (question: string, list = candidates) => inQuestionLanguage(question, list, (c) => c.page).map((c) => c.id);

  it("keeps the candidates of pages in the question's language, and those whose language cannot be told", () => {
    expect(ids('How is the sidebar generated from a directory?')).toEqual(['en/sidebar#1', 'api/config#1', 'en/config#1']);
    // A chunk of code goes with its page: fr/sidebar#2 is French because fr/sidebar#1 is.
    expect(ids('Comment la barre latérale est-elle générée à partir d’un répertoire ?')).toEqual(['fr/sidebar#1', 'fr/sidebar#2', 'api/config#1', 'fr/config#1']);
  });

  it('keeps everything when the question does not tell its language, or none is in it', () => {
    expect(ids('sidebar autogenerate')).toHaveLength(6);
    expect(ids('Wie wird die Seitenleiste aus einem Ordner erzeugt, wenn ich das nicht will?')).toHaveLength(6);
  });

  it("uses the reader's language when the question's words do not tell, and only then", () => {
    const withReader = (question: string, reader: string | undefined) => inQuestionLanguage(question, candidates, (c) => c.page, reader).map((c) => c.id);
    expect(withReader('sidebar autogenerate', 'fr')).toEqual(['fr/sidebar#1', 'fr/sidebar#2', 'api/config#1', 'fr/config#1']);
    expect(withReader('sidebar autogenerate', 'en-GB')).toEqual(['en/sidebar#1', 'api/config#1', 'en/config#1']);
    expect(withReader('sidebar autogenerate', 'ja')).toHaveLength(6); // no candidate in Japanese
    expect(withReader('sidebar autogenerate', '')).toHaveLength(6);
    expect(withReader('sidebar autogenerate', undefined)).toHaveLength(6);
    expect(withReader('How is the sidebar generated from a directory?', 'fr')).toEqual(['en/sidebar#1', 'api/config#1', 'en/config#1']);
  });

  it('languageOfTag() reads a BCP 47 tag as languageOf() names languages; languageTagOf() the other way', () => {
    expect(['fr', 'FR-ca', 'pt_BR', 'zh-Hans', 'ja', 'ru', 'uk-UA', 'el', 'he', 'hi', 'th', 'ar'].map(languageOfTag)).toEqual(
      ['fr', 'fr', 'pt', 'zh', 'ja', 'cyrillic', 'cyrillic', 'greek', 'hebrew', 'devanagari', 'thai', 'arabic'],
    );
    expect(['xx', '', 'english', undefined, 'constructor', 'hasOwnProperty-x'].map(languageOfTag)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(languageTagOf('Comment ajouter un groupe à la barre latérale qui est généré à partir d’un répertoire ?')).toBe('fr');
    expect(languageTagOf('Как добавить группу в боковую панель, которая создаётся из каталога?')).toBeUndefined(); // a script, not a language
    expect(languageTagOf('sidebar autogenerate')).toBeUndefined();
  });

  it('leaves a language out only when two candidate pages or more are in it', () => {
    // One page that reads as another language is not a translation of the docs.
    expect(ids('How is the sidebar generated from a directory?', [english, french, code, englishToo])).toEqual(['en/sidebar#1', 'fr/sidebar#1', 'api/config#1', 'en/config#1']);
  });
});

describe('search() on docs in two languages', () => {
  it("answers a question with the pages in its language, whichever that is", async () => {
    const embedder = createHashingEmbedder();
    const database = await createTestDatabase('pglite');
    try {
      await seedDocuments(database.db, embedder, [
        { path: 'guides/sidebar.md', title: 'Sidebar', sections: [{ heading: 'Autogenerated groups', text: 'A sidebar group with `autogenerate` lists every page of a directory, and the group is sorted by file name when you do not set an order.' }] },
        { path: 'fr/guides/sidebar.md', title: 'Barre latérale', sections: [{ heading: 'Groupes autogénérés', text: 'Un groupe de la barre latérale avec `autogenerate` liste toutes les pages d’un répertoire, et le groupe est trié par nom de fichier si vous ne définissez pas d’ordre.' }] },
        { path: 'reference/frontmatter.md', title: 'Frontmatter', sections: [{ heading: 'sidebar.order', text: 'The order of the page in an autogenerate sidebar group: pages with a lower order are sorted first.' }] },
        { path: 'fr/reference/frontmatter.md', title: 'Frontmatter', sections: [{ heading: 'sidebar.order', text: 'L’ordre de la page dans un groupe autogenerate de la barre latérale : les pages avec un ordre plus petit sont triées en premier.' }] },
      ]);
      const settings = { ...DEFAULT_RETRIEVAL_SETTINGS, minScore: 0 };
      const paths = async (query: string) => (await search(database.db, { query, embedder, settings })).map((r) => r.path);
      const english = ['guides/sidebar.md', 'reference/frontmatter.md'];
      const french = ['fr/guides/sidebar.md', 'fr/reference/frontmatter.md'];
      expect((await paths('How do I sort the pages of an autogenerate sidebar group?')).sort()).toEqual(english);
      expect((await paths('Comment trier les pages d’un groupe autogenerate de la barre latérale ?')).sort()).toEqual(french);
      expect((await paths('autogenerate')).sort()).toEqual([...french, ...english].sort());
      // The reader's language (the page's) stands for a question's that its words do not tell.
      const readerPaths = async (query: string, readerLanguage: string) =>
        (await search(database.db, { query, embedder, settings, readerLanguage })).map((r) => r.path).sort();
      expect(await readerPaths('autogenerate', 'fr-CA')).toEqual(french);
      expect(await readerPaths('autogenerate', 'en')).toEqual(english);
      expect(await readerPaths('autogenerate', 'xx')).toEqual([...french, ...english].sort());
      expect(await readerPaths('How do I sort the pages of an autogenerate sidebar group?', 'fr')).toEqual(english);
      // Through the API (a new reader's settings: the default threshold), the chat's `language`
      // and the search route's `language` parameter, each way.
      const client = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
      for (const [language, wanted] of [['fr', french], ['en', english]] as const) {
        const searched = (await (await client.request(`/api/search?q=autogenerate&language=${language}`)).json()) as { results: { path: string }[] };
        expect(searched.results.length).toBeGreaterThan(0);
        for (const r of searched.results) expect(wanted).toContain(r.path);
        const chunks = await readChunks(await client.json('/api/chat', 'POST', { ...chatBody(`chat-${language}`, 'autogenerate'), language }));
        const sources = chunks.find((c) => (c as { type: string }).type === 'data-sources') as { data: { sources: { path: string }[] } };
        expect(sources.data.sources.length).toBeGreaterThan(0);
        for (const r of sources.data.sources) expect(wanted).toContain(r.path);
      }
    } finally {
      await database.close();
    }
  });
});
