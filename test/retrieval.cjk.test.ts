import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasUnspacedScript, wordsOf } from '../server/answer/words';
import { queryRows } from '../server/db/open';
import type { EmbeddingProvider } from '../server/embed/provider';
import { loadLocalTokenizer, unknownCharacterShare } from '../server/embed/local';
import { queryLexemes, straddlingPairs, uninformativePairs } from '../server/retrieval/query-terms';
import { search } from '../server/retrieval/search';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';

/**
 * The hashing embedder, reading text as USE-Lite does: it knows ASCII only, gives any other text
 * the same vector (USE-Lite's "unknown" token) and says so through `unreadableShare`.
 */
function latinOnlyEmbedder(): EmbeddingProvider {
  const inner = createHashingEmbedder();
  const unknown = (text: string) => {
    const letters = text.match(/[\p{L}\p{N}]/gu) ?? [];
    return letters.length ? letters.filter((c) => !/[A-Za-z0-9]/.test(c)).length / letters.length : 0;
  };
  const withUnknown = (text: string) => (unknown(text) > 0 ? `${text} unknowntoken` : text);
  return {
    ...inner,
    unreadableShare: unknown,
    embedDocuments: (texts, options) => inner.embedDocuments(texts.map(withUnknown), options),
    embedQuery: (text, options) => inner.embedQuery(withUnknown(text), options),
  };
}

/** Each code point range `[first, last]` of characters `matches` accepts, over all of Unicode. */
function codePointRanges(matches: (c: string) => boolean): [number, number][] {
  const ranges: [number, number][] = [];
  let start = -1;
  for (let c = 0; c <= 0x110000; c++) {
    const inside = c < 0x110000 && !(c >= 0xd800 && c <= 0xdfff) && matches(String.fromCodePoint(c));
    if (inside && start < 0) start = c;
    if (!inside && start >= 0) {
      ranges.push([start, c - 1]);
      start = -1;
    }
  }
  return ranges;
}

/** A character this Node's Unicode data assigns. */
const ASSIGNED = /\p{Assigned}/u;

/** The ranges of a regular-expression character class written with `\uXXXX` and `\UXXXXXXXX` escapes. */
function classRanges(chars: string): [number, number][] {
  const escape = String.raw`\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))`;
  return [...chars.matchAll(new RegExp(`${escape}(?:-${escape})?`, 'g'))].map((m) => {
    const first = parseInt(m[1] ?? m[2]!, 16);
    return [first, m[3] || m[4] ? parseInt(m[3] ?? m[4]!, 16) : first];
  });
}

describe('straddlingPairs, uninformativePairs', () => {
  it('finds the unknown pairs next to a known one in the same run, not a run of unknown pairs', () => {
    const known = new Set(['服务', '端口', '配置']);
    // 务在 follows 服务, 在端 precedes 端口; 启动 is unknown but next to no known pair.
    expect([...straddlingPairs('服务在端口启动', (p) => known.has(p))].sort()).toEqual(['务在', '口启', '在端'].sort());
    // A word the docs lack keeps its pairs, except the one meeting a known word.
    expect([...straddlingPairs('配置单点登录', (p) => known.has(p))]).toEqual(['置单']);
    // Runs are separate: punctuation and Latin letters end one.
    expect([...straddlingPairs('服务，在哪 port 端口', (p) => known.has(p))]).toEqual([]);
    expect([...straddlingPairs('How do I change the port?', () => false)]).toEqual([]);
  });

  it('also leaves out unknown pairs of hiragana only (Japanese grammar), not unknown kanji or katakana', () => {
    const known = new Set(['解析']);
    expect([...uninformativePairs('解析できないときはどう', (p) => known.has(p))].sort()).toEqual(['析で', 'でき', 'きな', 'ない', 'いと', 'とき', 'きは', 'はど', 'どう'].sort());
    expect([...uninformativePairs('シングルサインオン', () => false)]).toEqual([]);
  });
});

describe('unknownCharacterShare (local embedder)', () => {
  it('is 0 for English and accented Latin text, most of a Chinese or Japanese question', () => {
    const tokenizer = loadLocalTokenizer();
    expect(unknownCharacterShare(tokenizer, 'How do I configure `getConnInfo()` for HTTP/2 on port 8080?')).toBe(0);
    expect(unknownCharacterShare(tokenizer, 'Wann löscht der Server alte Einträge, und was heißt naïve façade?')).toBeLessThan(0.1);
    expect(unknownCharacterShare(tokenizer, '')).toBe(0);
    expect(unknownCharacterShare(tokenizer, '请求日志的记录会保存多久？')).toBe(1);
    expect(unknownCharacterShare(tokenizer, 'リクエストログの記録はいつ削除されますか？')).toBe(1);
    expect(unknownCharacterShare(tokenizer, '想连自己的Postgres，要设置哪个环境变量？')).toBeGreaterThan(0.5);
  });
});

describe.each(DRIVER_KINDS)('Chinese and Japanese retrieval (%s)', (kind) => {
  let database: TestDatabase;
  const embedder = latinOnlyEmbedder();

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDocuments(database.db, embedder, [
      {
        path: 'zh/configuration.md',
        title: '服务器配置',
        sections: [
          { heading: '端口', text: '服务器和文档网站使用同一个端口。默认端口是 4321，可以通过 `PORT` 变量修改。' },
          { heading: '数据库', text: '默认情况下，数据保存在 `.data/` 目录中的内置 PGlite 数据库里。外部服务器必须安装 pgvector 扩展。' },
          { heading: '请求日志', text: '每个读者的问题都会和找到的来源以及回答的评分一起保存。超过九十天的记录会在服务器启动时自动删除。' },
        ],
      },
      {
        path: 'ja/ingest.md',
        title: 'ドキュメントの取り込み',
        sections: [
          { heading: '再実行', text: '再実行すると、変更されたページだけが処理されます。削除されたページは検索結果から消えます。' },
          { heading: '解析エラー', text: 'ページを解析できない場合、取り込みはファイル名と行番号を報告します。ほかのページはいつもどおり取り込まれます。' },
        ],
      },
      {
        path: 'en/configuration.md',
        title: 'Server configuration',
        sections: [
          { heading: 'Port', text: 'The server and the docs site share one port. The default port is 4321; set `PORT` to change it.' },
          { heading: 'Request log', text: 'Records older than ninety days are deleted automatically when the server starts.' },
        ],
      },
    ]);
  });
  afterAll(async () => {
    await database?.close();
    await embedder.close();
  });

  const best = async (query: string) => {
    const results = await search(database.db, { query, embedder });
    return results.map((r) => `${r.path} › ${r.headings.at(-1)}`)[0];
  };

  it('finds a Chinese question its section, in words other than the page’s', async () => {
    expect(await best('请求日志的记录会保存多久？')).toBe('zh/configuration.md › 请求日志');
    expect(await best('默认端口是多少？')).toBe('zh/configuration.md › 端口');
  });

  it('finds a Japanese question its section', async () => {
    expect(await best('ページを解析できないときはどうなりますか？')).toBe('ja/ingest.md › 解析エラー');
    expect(await best('再実行すると削除されたページはどうなりますか？')).toBe('ja/ingest.md › 再実行');
  });

  it('abstains on a Chinese question about something the docs never mention', async () => {
    expect(await search(database.db, { query: '如何配置单点登录？', embedder })).toEqual([]);
  });

  it('indexes a run of Han or kana as the pairs wordsOf reads, on both sides', async () => {
    const text = '使用PGlite数据库，请求日志。ページを解析 x 日';
    const [row] = await queryRows<{ lexemes: string[] }>(
      database.db,
      sql`select array(select lexeme from unnest(docent_chunk_tsv('', ${text})) order by lexeme) as lexemes`,
    );
    const pairs = wordsOf(text).filter(hasUnspacedScript);
    expect(row!.lexemes.filter(hasUnspacedScript)).toEqual([...new Set(pairs)].sort());
    expect(row!.lexemes).toContain('pglite');
    expect((await queryLexemes(database.db, text)).filter(hasUnspacedScript).sort()).toEqual([...new Set(pairs)].sort());
  });

  it('gives text without Han or kana exactly the tsvector it had before (migrations/0012)', async () => {
    const samples: [string, string][] = [
      ['Guides > Configuration', 'Set `c.req.json()` and getConnInfo in hono/jsx; the embedding model re-embeds chunks.'],
      ['Référence > Café', 'Die Größe der naïve Ünïcödé-Wörter, façade, Zoë — and snake_case_names, built-in, v2.1.0.'],
      ['Настройка', 'Записи старше девяноста дней удаляются автоматически. 사이드바에 그룹을 추가하려면 ＡＰＩ'],
      ['', 'Punctuation only: 。、？「」・ and numbers 4321 8080 — $env_VAR, user@example.com, https://hono.dev/docs.'],
    ];
    for (const [heading, body] of samples) {
      const [row] = await queryRows<{ now: string; before: string; end_now: number; end_before: number; lexemes: string[] }>(
        database.db,
        sql`select docent_chunk_tsv(${heading}, ${body})::text as now,
                   (setweight(to_tsvector('english', ${heading}), 'A')
                    || setweight(to_tsvector('english', docent_code_parts(${heading})), 'A')
                    || setweight(to_tsvector('english', ${body}), 'D')
                    || setweight(to_tsvector('english', docent_code_parts(${body})), 'D'))::text as before,
                   docent_heading_end(${heading}) as end_now,
                   (select coalesce(max(p), 0)::integer
                    from unnest(setweight(to_tsvector('english', ${heading}), 'A') || setweight(to_tsvector('english', docent_code_parts(${heading})), 'A')) u,
                         unnest(u.positions) p) as end_before,
                   array(select u.lexeme from unnest(to_tsvector('english', ${body}) || to_tsvector('english', docent_code_parts(${body}))) u order by 1) as lexemes`,
      );
      expect(row!.now).toBe(row!.before);
      expect(row!.end_now).toBe(row!.end_before);
      expect((await queryLexemes(database.db, body)).sort()).toEqual(row!.lexemes);
    }
  });

  it('splits exactly the characters words.ts splits (the character class agrees with \\p{Script=Han}, kana and ー)', async () => {
    const [row] = await queryRows<{ definition: string }>(database.db, sql`select pg_get_functiondef('docent_cjk_bigrams'::regproc) as definition`);
    const chars = /'((?:\\[uU][0-9a-fA-F]+(?:-\\[uU][0-9a-fA-F]+)?)+)'::text/.exec(row!.definition)?.[1];
    expect(chars, 'the character class of docent_cjk_bigrams').toBeDefined();
    const expected = codePointRanges(hasUnspacedScript);
    // Compared on the characters this Node's Unicode data assigns: an older Node (which knows fewer
    // Han characters) agrees on those it knows. Different ranges mean words.ts changed, or a newer
    // Node knows Han or kana characters the class lacks: redefine docent_cjk_bigrams in a new
    // migration with the ranges words.ts now matches.
    const sqlClass = classRanges(chars!);
    const inSqlClass = (c: string) => {
      const point = c.codePointAt(0)!;
      return sqlClass.some(([first, last]) => point >= first && point <= last);
    };
    expect(codePointRanges((c) => ASSIGNED.test(c) && inSqlClass(c))).toEqual(expected);
    // And Postgres reads those escapes as meant: each range's ends and their neighbours.
    const probes = [...new Set(expected.flatMap(([a, b]) => [a - 1, a, b, b + 1]))].filter((c) => c > 0 && c < 0x110000 && !(c >= 0xd800 && c <= 0xdfff));
    const split = await queryRows<{ c: number; split: boolean }>(
      database.db,
      sql`select c, docent_cjk_bigrams(chr(c)) <> chr(c) as split from unnest(${`{${probes.join(',')}}`}::int[]) as c order by c`,
    );
    expect(split.filter((r) => r.split !== hasUnspacedScript(String.fromCodePoint(r.c))).map((r) => r.c.toString(16))).toEqual([]);
    expect(split.filter((r) => r.split).length).toBeGreaterThan(0);
  });
});
