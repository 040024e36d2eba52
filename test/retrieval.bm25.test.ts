import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../server/db/open';
import { documents } from '../server/db/schema';
import { BM25_PARAMETERS, bm25Search, candidateLexemes } from '../server/retrieval/bm25';
import { dropNearDuplicates } from '../server/retrieval/dedupe';
import { editDistance, queryLexemes, resolveQueryTerms } from '../server/retrieval/query-terms';
import { search } from '../server/retrieval/search';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';

const embedder = createHashingEmbedder();

async function df(database: TestDatabase, lexeme: string): Promise<number> {
  const [row] = await queryRows<{ df: number }>(database.db, sql`select df from lexeme_stats where lexeme = ${lexeme}`);
  return Number(row?.df ?? 0);
}
async function corpus(database: TestDatabase) {
  const [row] = await queryRows<{ chunks: number; total_length: number }>(database.db, sql`select chunks, total_length from corpus_stats`);
  return { chunks: Number(row!.chunks), totalLength: Number(row!.total_length) };
}

describe.each(DRIVER_KINDS)('BM25 in Postgres through %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDocuments(database.db, embedder, [
      {
        path: 'api/request.md',
        title: 'HonoRequest',
        sections: [
          { heading: 'json()', text: 'Parse the body with await c.req.json() in the handler.' },
          { heading: 'param()', text: 'Read a path parameter with c.req.param("id").' },
        ],
      },
      {
        path: 'guides/database.md',
        title: 'Database',
        sections: [
          { heading: 'Inserts', text: 'MySQL has no RETURNING, so call $returningId() after insert. Columns use snake_case like created_at.' },
          { heading: 'Middleware', text: 'Middleware middleware middleware runs before the handler.' },
        ],
      },
    ]);
  });
  afterAll(async () => database?.close());

  it('keeps document frequencies and corpus length in step with chunk inserts and deletes', async () => {
    expect(await df(database, 'handler')).toBe(2);
    expect(await corpus(database)).toMatchObject({ chunks: 4 });
    const before = await corpus(database);
    await seedDocuments(database.db, embedder, [{ path: 'extra.md', title: 'Extra', sections: [{ heading: 'More', text: 'Another handler.' }] }]);
    expect(await df(database, 'handler')).toBe(3);
    expect((await corpus(database)).chunks).toBe(5);
    await database.db.delete(documents).where(sql`${documents.path} = 'extra.md'`);
    expect(await df(database, 'handler')).toBe(2);
    expect(await corpus(database)).toEqual(before);
    expect(await df(database, 'extra')).toBe(0);
  });

  it('indexes code identifiers whole and in parts, on both the chunk and the query side', async () => {
    expect(await queryLexemes(database.db, 'c.req.json()')).toEqual(expect.arrayContaining(['c.req.json', 'req', 'json']));
    expect(await queryLexemes(database.db, '$returningId')).toEqual(expect.arrayContaining(['returningid', 'return', 'id']));
    expect(await queryLexemes(database.db, 'snake_case')).toEqual(expect.arrayContaining(['snake', 'case']));
    expect(await df(database, 'c.req.json')).toBe(1);
    expect(await df(database, 'returningid')).toBe(1);
    const results = await search(database.db, { query: '$returningId', embedder, settings: { ...DEFAULT_RETRIEVAL_SETTINGS, minScore: 0 } });
    expect(results[0]?.headings).toEqual(['Database', 'Inserts']);
  });

  it('ranks by BM25: rare terms outweigh common ones and repeated terms saturate', async () => {
    const terms = await resolveQueryTerms(database.db, 'handler handler param');
    const ranked = await bm25Search(database.db, terms, { filter: sql`true`, limit: 10 });
    // "param" is in one chunk only (high IDF); "handler", in three, counts less however often it appears.
    expect(ranked[0]!.bm25).toBeGreaterThan(0);
    const [top] = await queryRows<{ heading: string }>(database.db, sql`select heading from chunks where id = ${ranked[0]!.id}`);
    expect(top!.heading).toBe('HonoRequest > param()');
  });

  it('corrects a misspelt word to the nearest frequent word of the index, and leaves unknown words alone', async () => {
    const terms = await resolveQueryTerms(database.db, 'midleware paramter kubernetes');
    expect(terms.terms.map((t) => [t.lexeme, t.original])).toEqual([
      ['middlewar', 'midlewar'],
      ['paramet', 'paramt'],
      ['kubernet', undefined],
    ]);
    expect(terms.terms[2]!.df).toBe(0);
    const off = await resolveQueryTerms(database.db, 'midleware', { correctTypos: false });
    expect(off.terms[0]!.lexeme).toBe('midlewar');
  });

  it('does not correct words spelt as meant: English words and names stay unknown, other forms of a word are found', async () => {
    // "calm" and "reed" are one edit from "call" and "read", "HANDLR" (a name) from "handler".
    const meant = await resolveQueryTerms(database.db, 'calm reed HANDLR creator');
    expect(meant.terms.map((t) => [t.lexeme, t.original])).toEqual([
      ['calm', undefined],
      ['reed', undefined],
      ['handlr', undefined],
      ['creat', 'creator'],
    ]);
    expect(meant.terms.slice(0, 3).map((t) => t.df)).toEqual([0, 0, 0]);
    const typo = await resolveQueryTerms(database.db, 'handlr');
    expect(typo.terms.map((t) => [t.lexeme, t.original])).toEqual([['handler', 'handlr']]);
  });

  it('drops an unknown compound whose parts are in the question', async () => {
    const terms = await resolveQueryTerms(database.db, 'path-param handler');
    expect(terms.terms.map((t) => t.lexeme)).not.toContain('path-param');
    expect(terms.terms.map((t) => t.lexeme)).toEqual(expect.arrayContaining(['path', 'param', 'handler']));
  });
});

describe('retrieval helpers', () => {
  it('candidateLexemes() pulls candidates with the rarest terms, within the candidate budget', () => {
    const budget = BM25_PARAMETERS.candidateBudget;
    const chunks = 100_000;
    const terms = [
      { lexeme: 'common', df: 30_000 },
      { lexeme: 'mid', df: budget / 2 },
      { lexeme: 'rare', df: 10 },
      { lexeme: 'rarer', df: 3 },
      { lexeme: 'wide', df: budget },
    ];
    expect(candidateLexemes(terms, chunks)).toEqual(['rarer', 'rare', 'mid']);
    // The rarest term always pulls, even past the budget; common terms only when nothing else.
    expect(candidateLexemes([{ lexeme: 'wide', df: budget * 2 }, { lexeme: 'common', df: 30_000 }], chunks)).toEqual(['wide']);
    expect(candidateLexemes([{ lexeme: 'common', df: 30_000 }, { lexeme: 'commoner', df: 40_000 }], chunks)).toEqual(['common']);
    // A small corpus: every non-common term pulls.
    expect(candidateLexemes([{ lexeme: 'a', df: 40 }, { lexeme: 'b', df: 90 }, { lexeme: 'c', df: 5 }], 800)).toEqual(['c', 'a', 'b']);
  });

  it('editDistance counts an adjacent swap as one edit', () => {
    expect(editDistance('lsit', 'list')).toBe(1);
    expect(editDistance('cookie', 'cookies')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
  });

  it('dropNearDuplicates keeps the best-scored copy of a section repeated on near-identical pages', () => {
    const text = 'Install the package, then export the app as the default export of the entry file.';
    const items = [
      { id: 'deno', headings: ['Deno', 'Setup'], text },
      { id: 'bun', headings: ['Bun', 'Setup'], text: `${text} ` },
      { id: 'other', headings: ['Bun', 'Run'], text },
      { id: 'different', headings: ['Node', 'Setup'], text: 'Run npm create hono and pick the nodejs template.' },
    ];
    expect(dropNearDuplicates(items).map((i) => i.id)).toEqual(['deno', 'other', 'different']);
  });
});
