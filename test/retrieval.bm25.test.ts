import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRows } from '../server/db/open';
import { documents } from '../server/db/schema';
import { BM25_PARAMETERS, type Bm25Row, bm25Columns, bm25Search, candidateLexemes, scoreBm25Rows } from '../server/retrieval/bm25';
import { areCopies, copyKey, dropNearDuplicates, pathCloseness } from '../server/retrieval/dedupe';
import { compareCorrections, editDistance, isNumericValue, isTransposition, nameLexemesOf, nameWords, orTsquery, type QueryTerms, queryLexemes, resolveQueryTerms, uuidArray, withoutStemEnding } from '../server/retrieval/query-terms';
import { search } from '../server/retrieval/search';
import { readTsvector } from '../server/retrieval/tsvector-text';
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

/** BM25 as first written: every candidate's whole tsvector unnested and joined with the terms. */
async function referenceBm25(db: Database, query: QueryTerms, filter: SQL) {
  const terms = query.terms.filter((t) => t.df > 0);
  const { k1, b, headingWeight } = BM25_PARAMETERS;
  const lexemes = sql`array[${sql.join(terms.map((t) => sql`${t.lexeme}`), sql`, `)}]::text[]`;
  const weights = sql`array[${sql.join(terms.map((t) => sql`${t.idf * t.weight}`), sql`, `)}]::float8[]`;
  const rows = await queryRows<{ id: string; bm25: number; matched_idf: number; heading_idf: number; matched: string[] }>(
    db,
    sql`with terms as (select * from unnest(${lexemes}, ${weights}) as t(lexeme, w)),
        cand as (select c.id, c.tsv, c.lexical_length::float8 as len from chunks c join documents on documents.id = c.document_id
                 where c.tsv @@ ${orTsquery(candidateLexemes(terms, query.chunkCount))}::tsquery and ${filter}),
        hits as (select cand.id, cand.len, t.w, t.lexeme,
                        (select sum(case when x = 'A' then ${headingWeight}::float8 else 1 end) from unnest(u.weights) x) as tf,
                        'A' = any(u.weights) as in_heading
                 from cand cross join lateral unnest(cand.tsv) u join terms t on t.lexeme = u.lexeme)
        select id, sum(w * tf * ${k1 + 1}::float8 / (tf + ${k1}::float8 * (1 - ${b}::float8 + ${b}::float8 * len / ${query.averageLength}::float8))) as bm25,
               sum(w) as matched_idf, sum(case when in_heading then w else 0 end) as heading_idf, array_agg(lexeme) as matched
        from hits group by id order by bm25 desc, id`,
  );
  return rows.map((r) => ({ id: r.id, bm25: Number(r.bm25), matchedIdf: Number(r.matched_idf), headingIdf: Number(r.heading_idf), matched: [...r.matched].sort() }));
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

  it('indexes a hyphenated name inside a path or dotted identifier whole too, as a question writes it bare', async () => {
    expect(await queryLexemes(database.db, 'jest/no-standalone-expect')).toEqual(expect.arrayContaining(['no-standalone-expect', 'standalon', 'expect']));
    expect(await queryLexemes(database.db, '@hono/zod-validator')).toEqual(expect.arrayContaining(['zod-valid', 'zod', 'valid']));
    await seedDocuments(database.db, embedder, [
      { path: 'rules/no-standalone-expect.md', title: 'jest/no-standalone-expect', sections: [{ heading: 'Rule details', text: 'Flags an assertion outside of a test block.' }] },
      { path: 'rules/list.md', title: 'Rules', sections: [{ heading: 'All rules', text: 'no-standalone-expect: disallow expect outside of tests.' }] },
    ]);
    try {
      // The question's rare compound matches the page titled with the path as well as the list
      // that writes the name bare.
      const terms = await resolveQueryTerms(database.db, 'what does no-standalone-expect check');
      expect(terms.terms.find((t) => t.lexeme === 'no-standalone-expect')?.df).toBe(2);
      const ranked = await bm25Search(database.db, terms, { filter: sql`true`, limit: 10 });
      const [titled] = await queryRows<{ id: string }>(database.db, sql`select id from chunks where heading like 'jest/%'`);
      expect(ranked.find((r) => r.id === titled!.id)?.matched).toContain('no-standalone-expect');
    } finally {
      await database.db.delete(documents).where(sql`${documents.path} in ('rules/no-standalone-expect.md', 'rules/list.md')`);
    }
  });

  it('indexes a snake_case identifier whole too, as the same lexeme as its camelCase form', async () => {
    expect(await queryLexemes(database.db, 'raise max_retries')).toEqual(expect.arrayContaining(['maxretri', 'max', 'retri']));
    expect(await queryLexemes(database.db, 'HTTPX_TIMEOUT and installer.max_workers')).toEqual(expect.arrayContaining(['httpxtimeout', 'maxwork']));
    // Underscores around a word or between digits join nothing: no code parts at all.
    const [row] = await queryRows<{ parts: string }>(database.db, sql`select docent_code_parts('call __init__ with 1_000, _private') as parts`);
    expect(row!.parts).toBe('');
    await seedDocuments(database.db, embedder, [
      { path: 'client/retries.md', title: 'Retries', sections: [{ heading: 'Limits', text: 'Set max_retries on the client; each retry waits longer.' }] },
      { path: 'client/js.md', title: 'JavaScript client', sections: [{ heading: 'Options', text: 'Pass maxRetries to the constructor.' }] },
      { path: 'client/pool.md', title: 'Pool', sections: [{ heading: 'Size', text: 'The max pool size. Retries of a request count once; retries wait.' }] },
    ]);
    try {
      const terms = await resolveQueryTerms(database.db, 'what does max_retries do');
      expect(terms.terms.find((t) => t.lexeme === 'maxretri')?.df).toBe(2);
      // The sections that name the identifier, in either spelling, come before the one that only
      // has its words, though that one repeats them.
      const ranked = await bm25Search(database.db, terms, { filter: sql`true`, limit: 10 });
      const paths = await queryRows<{ id: string; path: string }>(database.db, sql`select c.id, d.path from chunks c join documents d on d.id = c.document_id where d.path like 'client/%'`);
      const pathOf = new Map(paths.map((p) => [p.id, p.path]));
      expect(ranked.map((r) => pathOf.get(r.id)).filter(Boolean).slice(0, 3)).toEqual(['client/retries.md', 'client/js.md', 'client/pool.md']);
      // An identifier the docs never mention counts as a word they lack.
      const unknown = await resolveQueryTerms(database.db, 'what does max_redirects do');
      expect(unknown.terms.find((t) => t.lexeme === 'maxredirect')).toMatchObject({ df: 0 });
    } finally {
      await database.db.delete(documents).where(sql`${documents.path} like 'client/%'`);
    }
  });

  it('gives "embed" and "embedding" a lexeme in common (the english stemmer reads them as `emb` and `embed`)', async () => {
    expect(await queryLexemes(database.db, 'how do I embed the widget')).toContain('emb');
    expect(await queryLexemes(database.db, 'Embedding models and embedded widgets')).toEqual(expect.arrayContaining(['emb', 'embed']));
    await seedDocuments(database.db, embedder, [
      { path: 'site/embedding.md', title: 'Widget', sections: [{ heading: 'Embedding the widget', text: 'Add one script tag to your pages.' }] },
      { path: 'site/theme.md', title: 'Theme', sections: [{ heading: 'Colours', text: 'The script tag of the widget sets its colours.' }] },
    ]);
    try {
      const terms = await resolveQueryTerms(database.db, 'embed the widget script');
      const ranked = await bm25Search(database.db, terms, { filter: sql`true`, limit: 10 });
      const paths = await queryRows<{ id: string; path: string }>(database.db, sql`select c.id, d.path from chunks c join documents d on d.id = c.document_id where d.path like 'site/%'`);
      const pathOf = new Map(paths.map((p) => [p.id, p.path]));
      expect(ranked.map((r) => pathOf.get(r.id)).filter(Boolean)[0]).toBe('site/embedding.md');
    } finally {
      await database.db.delete(documents).where(sql`${documents.path} like 'site/%'`);
    }
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

  it('leaves an unknown acronym unknown instead of reading it as a longer word', async () => {
    // Like "QUIC" → `quick`: the index knows `insert`, one letter longer than "INSER".
    const acronym = await resolveQueryTerms(database.db, 'INSER returning');
    expect(acronym.terms[0]).toMatchObject({ lexeme: 'inser', df: 0 });
    expect(acronym.terms[0]!.original).toBeUndefined();
    const typo = await resolveQueryTerms(database.db, 'inser returning');
    expect(typo.terms[0]).toMatchObject({ lexeme: 'insert', original: 'inser' });
  });

  it('corrects a misspelt word that kept the ending its correct spelling loses to the stemmer', async () => {
    // "parse" is indexed as `pars`; "prase" stays whole, two edits from `pars`, one without its "e".
    const terms = await resolveQueryTerms(database.db, 'prase the body');
    expect(terms.terms.map((t) => [t.lexeme, t.original])).toEqual([
      ['pars', 'prase'],
      ['bodi', undefined],
    ]);
  });

  it('scores exactly as unpacking whole tsvectors did, to the last bit, with and without filters and ids', async () => {
    const db = database.db;
    for (const query of ['handler handler param', 'middleware handler', 'c.req.json body', 'json param insert returning', 'Database middleware runs']) {
      const terms = await resolveQueryTerms(db, query);
      const want = await referenceBm25(db, terms, sql`true`);
      const got = await bm25Search(db, terms, { limit: 60 });
      expect(got.length).toBeGreaterThan(0);
      expect(got.map(({ matched, ...r }) => ({ ...r, matched: [...matched].sort() }))).toEqual(want);
      const filter = sql`${documents.path} = 'guides/database.md'`;
      const filtered = await bm25Search(db, terms, { limit: 60, filter });
      expect(filtered.map((r) => r.id)).toEqual((await referenceBm25(db, terms, filter)).map((r) => r.id));
      const ids = want.slice(1, 3).map((r) => r.id);
      expect((await bm25Search(db, terms, { limit: 60, ids })).map((r) => r.id)).toEqual(want.filter((r) => ids.includes(r.id)).map((r) => r.id));
      // The same scores from columns another query reads (search()'s vector query), for any chunks.
      const rows = await queryRows<Bm25Row>(db, sql`select c.id, ${bm25Columns(terms)!} from chunks c order by c.id`);
      expect(rows.length).toBeGreaterThan(got.length);
      expect(scoreBm25Rows(terms, rows)).toEqual(await bm25Search(db, terms, { limit: rows.length, ids: rows.map((r) => r.id) }));
    }
    expect(bm25Columns(await resolveQueryTerms(db, 'zzzunknownword'))).toBeUndefined();
    // A heading occurrence counts headingWeight times: "json" is in one heading and one text.
    const [json] = await bm25Search(db, await resolveQueryTerms(db, 'json'), { limit: 1 });
    expect(json!.headingIdf).toBeGreaterThan(0);
  });

  it('bm25Search() and search() take a candidate budget: the rarest terms within it pull candidates, Infinity every term', async () => {
    const db = database.db;
    const terms = await resolveQueryTerms(db, 'middleware handler');
    expect(terms.terms.map((t) => [t.lexeme, t.df])).toEqual([['middlewar', 1], ['handler', 2]]);
    const headingsOf = async (ids: string[]) =>
      (await queryRows<{ heading: string }>(db, sql`select heading from chunks where id = any(${uuidArray(ids)}) order by heading`)).map((r) => r.heading);
    // Budget 1: only the rarest term ("middleware", in one chunk) pulls candidates.
    const budgeted = await bm25Search(db, terms, { limit: 60, candidateBudget: 1 });
    expect(await headingsOf(budgeted.map((r) => r.id))).toEqual(['Database > Middleware']);
    // No budget: "handler" pulls the chunk that has only it too, scored as without a budget.
    const unlimited = await bm25Search(db, terms, { limit: 60, candidateBudget: Infinity });
    expect(await headingsOf(unlimited.map((r) => r.id))).toEqual(['Database > Middleware', 'HonoRequest > json()']);
    expect(unlimited).toEqual(await bm25Search(db, terms, { limit: 60 }));
    expect(unlimited.find((r) => r.id === budgeted[0]!.id)).toEqual(budgeted[0]);
    for (const bad of [0, -1, Number.NaN]) {
      await expect(search(db, { query: 'middleware handler', embedder, bm25CandidateBudget: bad })).rejects.toThrow(/bm25CandidateBudget must be at least 1/);
    }
    expect((await search(db, { query: 'middleware handler', embedder, bm25CandidateBudget: Infinity })).length).toBeGreaterThan(0);
  });

  it('uuidArray() binds many ids as one parameter, keeps none, and refuses a value that is not one UUID', async () => {
    const ids = (await queryRows<{ id: string }>(database.db, sql`select id from chunks order by id`)).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(2);
    const found = await queryRows<{ id: string }>(database.db, sql`select id from chunks where id = any(${uuidArray(ids.slice(1))}) order by id`);
    expect(found.map((r) => r.id)).toEqual(ids.slice(1));
    expect(await queryRows(database.db, sql`select id from chunks where id = any(${uuidArray([])})`)).toEqual([]);
    expect(() => uuidArray([`${ids[0]},${ids[1]}`])).toThrow(/Not a UUID/);
    expect(() => uuidArray(['{}'])).toThrow(/Not a UUID/);
  });

  it('stores where the breadcrumb ends in each tsvector: heading positions at or before heading_end, text positions after', async () => {
    const [row] = await queryRows<{ positions: number; in_heading: number; wrong: number }>(
      database.db,
      sql`select count(*)::int as positions, count(*) filter (where x.w = 'A')::int as in_heading,
                 count(*) filter (where (x.w = 'A') <> (x.p <= c.heading_end))::int as wrong
          from chunks c, unnest(c.tsv) u, unnest(u.positions, u.weights) as x(p, w)`,
    );
    expect(row!.in_heading).toBeGreaterThan(0);
    expect(row!.positions).toBeGreaterThan(row!.in_heading);
    expect(row!.wrong).toBe(0);
  });

  it('reads tsvectors as Postgres writes them: quotes, backslashes, tabs and spaces in lexemes, weights, no positions, positions up to a bound', async () => {
    const literal = String.raw`'it''s':1A,2 'a\\b':5B 'tab	in':3 'two words':4C,9,12A 'bare' 'x|y':7`;
    const [row] = await queryRows<{ text: string; lexemes: string[]; counts: number[]; within: number[] }>(
      database.db,
      sql`select v::text as text, array_agg(u.lexeme order by ord) as lexemes, array_agg(coalesce(cardinality(u.positions), 0) order by ord) as counts,
                 array_agg((select count(*) from unnest(u.positions) p where p <= 4)::int order by ord) as within
          from (select ${literal}::tsvector as v) t, unnest(t.v) with ordinality as u(lexeme, positions, weights, ord) group by v`,
    );
    const expected = row!.lexemes.map((l, i) => [l, Number(row!.counts[i])]);
    expect(expected).toContainEqual(["it's", 2]);
    expect(expected).toContainEqual(['a\\b', 1]);
    expect(expected).toContainEqual(['bare', 0]);
    expect(readTsvector(row!.text)).toEqual({ occurrences: expected, within: [], end: row!.text.length });
    // Positions up to 4 (the heading's, in BM25): two of "it's", "tab\tin"'s 3, "two words"'s 4, none of 9 and 12.
    const within = row!.lexemes.map((l, i): [string, number] => [l, Number(row!.within[i])]).filter(([, n]) => n > 0);
    expect(Object.fromEntries(within)).toEqual({ "it's": 2, 'tab\tin': 1, 'two words': 1 });
    expect(readTsvector(row!.text, 0, 4).within).toEqual(within);
    expect(readTsvector(row!.text, 0, 12).within).toEqual(expected.filter(([l]) => l !== 'bare'));
    // Several in a row, as bm25Search's query writes its candidates: the quote-aware reader stops at the separator.
    const line = `${row!.text}\t${row!.text}`;
    const first = readTsvector(line);
    expect(line.charCodeAt(first.end)).toBe(9);
    expect(readTsvector(line, first.end + 1).occurrences).toEqual(expected);
    expect(readTsvector('').occurrences).toEqual([]);
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

  it('corrects a misspelt name to another name, never to a common word', async () => {
    // "Honno" is one edit from the name `hono`; "Parsy" (`parsi`) one edit from the word "parse" (`pars`) (as "Nuxt" is from "next").
    const terms = await resolveQueryTerms(database.db, 'read the Honno request with Parsy');
    expect(terms.terms.find((t) => t.original === 'honno')?.lexeme).toBe('hono');
    expect(terms.terms.find((t) => t.lexeme === 'parsi')).toMatchObject({ df: 0, name: true });
    // Two letters swapped is a typo of the word, name or not: "Hadnler" (as "Pyhton" is Python); "Parsy.js" is a name too.
    expect((await resolveQueryTerms(database.db, 'call the Hadnler')).terms.find((t) => t.original === 'hadnler')?.lexeme).toBe('handler');
    expect((await resolveQueryTerms(database.db, 'read it with Parsy.js')).terms.find((t) => t.lexeme === 'parsi')).toMatchObject({ df: 0, name: true });
    // A name with a capital inside is spelt as meant, except for two neighbouring letters swapped:
    // "HonoRequset" is HonoRequest, whole and in parts; "HonoRequst" (a letter missing) stays unknown.
    const swapped = await resolveQueryTerms(database.db, 'read the HonoRequset body');
    expect(swapped.terms.filter((t) => t.original).map((t) => [t.original, t.lexeme])).toEqual([
      ['honorequset', 'honorequest'],
      ['requset', 'request'],
    ]);
    expect(swapped.terms.some((t) => t.df === 0)).toBe(false);
    // A swap that moves where the stemmer cuts: "Handlres" is `handlr`, "handlers" `handler`.
    const handlres = await resolveQueryTerms(database.db, 'call the HonoHandlres');
    expect(handlres.terms.find((t) => t.original === 'handlr')?.lexeme).toBe('handler');
    // The first two letters swapped too, though look-alikes are read by first letter: "ahndler", "aHndler";
    // but only swapped: "aparam" (a letter more in front) is not `param`.
    for (const query of ['call the ahndler', 'call the aHndler']) {
      expect((await resolveQueryTerms(database.db, query)).terms.find((t) => t.original === 'ahndler')?.lexeme).toBe('handler');
    }
    expect((await resolveQueryTerms(database.db, 'read the aparam')).terms.find((t) => t.lexeme === 'param' || t.original === 'aparam')).toBeUndefined();
    const missing = await resolveQueryTerms(database.db, 'read the HonoRequst body');
    expect(missing.terms.find((t) => t.lexeme === 'honorequst')).toMatchObject({ df: 0, name: true });
    // Not written as a name, or a part of a compound such as a header name, the same word is a typo of "parse".
    for (const query of ['parsy the body', 'read X-Parsy-Id']) {
      const typo = await resolveQueryTerms(database.db, query);
      expect(typo.terms.find((t) => t.original === 'parsi')?.lexeme).toBe('pars');
    }
  });

  it('marks the unknown words the question writes as names, and only those', async () => {
    const terms = await resolveQueryTerms(database.db, 'Can I parse the body with Flask or with quokka handlers, like in Hono?');
    const flagged = (q: QueryTerms) => q.terms.filter((t) => t.name).map((t) => t.lexeme);
    // "Flask" and "Hono" are written as names; only "flask" is unknown. "quokka" is unknown but not written as a name.
    expect(flagged(terms)).toEqual(['flask']);
    expect(terms.terms.find((t) => t.lexeme === 'quokka')).toMatchObject({ df: 0 });
    expect(flagged(await resolveQueryTerms(database.db, 'can i parse the body with flask'))).toEqual([]);
    // A known name is not flagged: the docs mention it.
    expect(flagged(await resolveQueryTerms(database.db, 'Does MySQL support RETURNING?'))).toEqual([]);
    // A name inside a longer identifier is still a name: "app.useFlask()".
    expect(flagged(await resolveQueryTerms(database.db, 'then call app.useFlask() in the handler'))).toContain('flask');
  });

  it('nameLexemesOf() leaves out the parts of an identifier whose whole was a corrected typo', () => {
    const customLevles = { whole: ['customlevl'], parts: ['custom', 'levl'] };
    expect(nameLexemesOf(customLevles, new Set(['customlevl']))).toEqual([]);
    expect(nameLexemesOf(customLevles, new Set())).toEqual(['customlevl', 'custom', 'levl']);
  });

  it("leaves out the asker's own values the docs never contain: numbers, sizes, the words of URL paths", async () => {
    const terms = await resolveQueryTerms(database.db, 'uploads of 3 MB (or 300mb) to /quokka/import or /wombat fail with 413 and 404s');
    const lexemes = terms.terms.map((t) => t.lexeme);
    for (const value of ['300mb', '413', '404s', 'quokka', '/quokka/import', 'wombat', '/wombat']) expect(lexemes).not.toContain(value);
    // "MB" stays a term the docs lack, but a capitalised word after a number is a unit, not a name.
    expect(terms.terms.find((t) => t.lexeme === 'mb')).toMatchObject({ df: 0 });
    expect(terms.terms.some((t) => t.name)).toBe(false);
    // One value among known words is left out too.
    expect((await resolveQueryTerms(database.db, 'read the body in the handler, 413')).terms.some((t) => t.df === 0)).toBe(false);
    // A word also written outside the path counts; a question of values only keeps them.
    expect((await resolveQueryTerms(database.db, 'GET /quokka with the quokka handler')).terms.find((t) => t.lexeme === 'quokka')).toMatchObject({ df: 0 });
    expect((await resolveQueryTerms(database.db, '98765')).terms.map((t) => t.lexeme)).toEqual(['98765']);
    expect(isNumericValue('404s')).toBe(true);
    expect(isNumericValue('2nd')).toBe(true);
    for (const topic of ['4xx', '2fa', 'v6', 'pm2']) expect(isNumericValue(topic)).toBe(false);
  });

  it('drops an unknown compound whose parts are in the question', async () => {
    const terms = await resolveQueryTerms(database.db, 'path-param handler');
    expect(terms.terms.map((t) => t.lexeme)).not.toContain('path-param');
    expect(terms.terms.map((t) => t.lexeme)).toEqual(expect.arrayContaining(['path', 'param', 'handler']));
  });
});

describe('retrieval helpers', () => {
  it('isTransposition() is true only for two neighbouring letters swapped', () => {
    expect(isTransposition('pyhton', 'python')).toBe(true);
    expect(isTransposition('ab', 'ba')).toBe(true);
    expect(isTransposition('python', 'python')).toBe(false);
    expect(isTransposition('nuxt', 'next')).toBe(false);
    expect(isTransposition('abc', 'cba')).toBe(false);
    expect(isTransposition('abcd', 'badc')).toBe(false);
    expect(isTransposition('procfil', 'profil')).toBe(false);
  });

  it('compareCorrections() prefers fewer edits, then frequency, then length, then the alphabet — never row order', () => {
    const pick = (...c: { lexeme: string; df: number; distance: number }[]) => [...c].sort(compareCorrections)[0]!.lexeme;
    const param = { lexeme: 'param', df: 1, distance: 1 };
    const paramet = { lexeme: 'paramet', df: 1, distance: 1 };
    expect(pick(param, paramet)).toBe('paramet');
    expect(pick(paramet, param)).toBe('paramet');
    expect(pick(paramet, { ...param, df: 2 })).toBe('param');
    expect(pick({ ...paramet, distance: 2, df: 9 }, param)).toBe('param');
    expect(pick({ lexeme: 'beta', df: 1, distance: 1 }, { lexeme: 'alfa', df: 1, distance: 1 })).toBe('alfa');
  });

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
    // Another budget: smaller takes fewer terms, Infinity every term that is not common.
    expect(candidateLexemes(terms, chunks, 20)).toEqual(['rarer', 'rare']);
    expect(candidateLexemes(terms, chunks, Infinity)).toEqual(['rarer', 'rare', 'mid', 'wide']);
  });

  it('nameWords() finds capitalised words that are names: not English words, or English words inside a sentence', () => {
    expect(nameWords('How do I connect Docent to Slack so my team can ask questions?')).toEqual(['Docent', 'Slack']);
    expect(nameWords('gRPC server support with protobuf definitions')).toEqual(['gRPC']);
    expect(nameWords('Is there a Python client? Python is what we use.')).toEqual(['Python']);
    expect(nameWords('Kafka topics: Publish them from a handler')).toEqual(['Kafka']);
    // Words with digits, single letters and a question in capitals have none.
    expect(nameWords('Big uploads of 300MB fail on HTTP2 with SigV4, and X-Powered-By stays')).toEqual(['Powered', 'By']);
    expect(nameWords('HOW DO I USE KAFKA')).toEqual([]);
    // Units and two capitals (an abbreviation) are not names; a count before a name does not hide it.
    expect(nameWords('Files of 3 GiB fail on Deno KV in our CI')).toEqual(['Deno']);
    expect(nameWords('How do I run 3 Kafka brokers?')).toEqual(['Kafka']);
  });

  it('withoutStemEnding() drops one ending the stemmer would have removed, keeping at least 4 letters', () => {
    expect(withoutStemEnding('chnage')).toBe('chnag');
    expect(withoutStemEnding('recievs')).toBe('reciev');
    expect(withoutStemEnding('retreiving')).toBe('retreiv');
    expect(withoutStemEnding('lsit')).toBe('lsit');
    expect(withoutStemEnding('uses')).toBe('uses');
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

  it('dropNearDuplicates keeps what comparing every pair of copy keys keeps', () => {
    // The first version: every item's key, compared with every kept item's.
    const reference = <T extends { headings: string[]; text: string }>(items: T[]) => {
      const kept: { item: T; key: ReturnType<typeof copyKey> }[] = [];
      for (const item of items) {
        const key = copyKey(item);
        if (!kept.some((k) => areCopies(k.key, key))) kept.push({ item, key });
      }
      return kept.map((k) => k.item);
    };
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
    const vocabulary = ['app', 'route', 'cookie', 'export', 'default', 'handler', 'deno', 'bun', 'node', 'install', 'run', 'Setup'];
    for (let round = 0; round < 200; round++) {
      const base = Array.from({ length: 12 }, () => vocabulary[next(vocabulary.length)]).join(' ');
      const items = Array.from({ length: 1 + next(20) }, (_, id) => ({
        id,
        headings: ['Page', ['Setup', 'setup ', 'Run', ''][next(4)]!],
        text: next(3) === 0 ? `${base} ${vocabulary[next(vocabulary.length)]}` : Array.from({ length: next(6) }, () => vocabulary[next(vocabulary.length)]).join(' '),
      }));
      expect(dropNearDuplicates(items)).toEqual(reference(items));
    }
  });

  it('dropNearDuplicates keeps one copy of a long section whose copies matched the question in different chunks', () => {
    // A rule's own page and the page listing every rule: the same two-chunk section on both.
    const first = 'Style aligned requires the pipes of every row to line up vertically in a table.';
    const second = 'Style compact puts a single space around each cell and tight puts none at all.';
    const items = [
      { id: 'list, first chunk', page: 'Rules.md', headings: ['Rules', 'MD060 - Table column style'], text: first },
      { id: 'own page, second chunk', page: 'md060.md', headings: ['MD060 - Table column style'], text: second },
      { id: 'own page, first chunk', page: 'md060.md', headings: ['MD060 - Table column style'], text: first },
      { id: 'other rule', page: 'Rules.md', headings: ['Rules', 'MD055 - Table pipe style'], text: first },
      { id: 'list, second chunk', page: 'Rules.md', headings: ['Rules', 'MD060 - Table column style'], text: second },
    ];
    const bySection = (item: (typeof items)[number]) => `${item.page}#${item.headings.join('>')}`;
    expect(dropNearDuplicates(items, bySection).map((i) => i.id)).toEqual(['list, first chunk', 'other rule', 'list, second chunk']);
    // Chunk by chunk (each item its own section), each page keeps the chunk it matched best.
    expect(dropNearDuplicates(items).map((i) => i.id)).toEqual(['list, first chunk', 'own page, second chunk', 'other rule']);
  });

  it('dropNearDuplicates with nearPage keeps the copy in the reader\'s part of the site, unless another scores clearly more', () => {
    const text = 'Set the timeout option to the number of milliseconds the client waits.';
    const items = [
      { id: 'v1', url: '/v1/client/options/#timeout', score: 0.9, headings: ['Client options', 'Timeout'], text },
      { id: 'other', url: '/v2/client/retries/', score: 0.89, headings: ['Retries'], text: 'Retries happen after a timeout.' },
      { id: 'v2', url: '/v2/client/options/#timeout', score: 0.88, headings: ['Client options', 'Timeout'], text: `${text} ` },
      { id: 'v3', url: '/v3/client/options/#timeout', score: 0.7, headings: ['Client options', 'Timeout'], text },
    ];
    type Item = (typeof items)[number];
    const near = (page: string) => ({ score: (i: Item) => i.score, closeness: (i: Item) => pathCloseness(page)(i.url) });
    expect(dropNearDuplicates(items).map((i) => i.id)).toEqual(['v1', 'other']);
    expect(dropNearDuplicates(items, undefined, undefined, near('/v2/guide/install/')).map((i) => i.id)).toEqual(['other', 'v2']);
    expect(dropNearDuplicates(items, undefined, undefined, near('/v1/guide/')).map((i) => i.id)).toEqual(['v1', 'other']);
    // 0.2 under the best copy: the question points elsewhere, and the reader gets that copy.
    expect(dropNearDuplicates(items, undefined, undefined, near('/v3/guide/')).map((i) => i.id)).toEqual(['v1', 'other']);
    // A page outside every copy's part of the site changes nothing.
    expect(dropNearDuplicates(items, undefined, undefined, near('/chat/')).map((i) => i.id)).toEqual(['v1', 'other']);
  });

  it('pathCloseness counts the leading path segments a URL shares with the reader\'s page', () => {
    const closeness = pathCloseness('https://docs.example.com/v2/guide/install/?x=1#top');
    expect(closeness('/v2/guide/routing/')).toBe(2);
    expect(closeness('https://docs.example.com/v2/api/')).toBe(1);
    expect(closeness('/v1/guide/install/')).toBe(0);
    expect(pathCloseness('/')('/v2/')).toBe(0);
  });
});
