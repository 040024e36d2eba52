import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../server/db/migrate';
import { queryRows } from '../server/db/open';
import {
  chats,
  chunks,
  documents,
  EMBEDDING_DIMENSIONS,
  messageFeedback,
  messages,
  messageSources,
  sessions,
  userRetrievalSettings,
  users,
} from '../server/db/schema';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';

/** A deterministic unit vector pointing mostly along `axis`, with a little seeded noise. */
function unitVector(axis: number, seed: number): number[] {
  let s = seed * 9301 + 49297;
  const v = Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => {
    s = (s * 9301 + 49297) % 233280;
    return (i === axis ? 10 : 0) + s / 233280 - 0.5;
  });
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function cosine(a: number[], b: number[]) {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot; // both unit length
}

async function explain(database: TestDatabase, query: ReturnType<typeof sql>): Promise<string> {
  // Force the planner off sequential scans so the test proves the index *can* serve the query.
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    const rows = await queryRows<{ 'QUERY PLAN': string }>(tx as never, sql`explain ${query}`);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

/** The migration that defines the current `docent_code_parts`. */
const LATEST_CODE_PARTS = '0016_code_parts_embed_forms.sql';

describe.each(DRIVER_KINDS)('database through %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('migrations create the vector extension and every table, and re-running them is a no-op', async () => {
    await migrateDatabase(database);
    const ext = await queryRows<{ extname: string }>(database.db, sql`select extname from pg_extension where extname = 'vector'`);
    expect(ext).toHaveLength(1);
    const tables = await queryRows<{ table_name: string }>(
      database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining([
        'chats',
        'chunks',
        'documents',
        'ingest_runs',
        'message_feedback',
        'message_sources',
        'messages',
        'sessions',
        'user_retrieval_settings',
        'users',
      ]),
    );
  });

  it('deleting a user cascades to sessions, settings, chats, messages, sources and feedback', async () => {
    const { db } = database;
    const [user] = await db.insert(users).values({}).returning();
    await db.insert(sessions).values({ userId: user!.id, tokenHash: `hash-${user!.id}`, expiresAt: new Date(Date.now() + 60_000) });
    await db.insert(userRetrievalSettings).values({ userId: user!.id, maxResults: 5, minScore: 0.3 });
    const [chat] = await db.insert(chats).values({ userId: user!.id, clientChatId: 'c1', title: 'Routing' }).returning();
    const [message] = await db
      .insert(messages)
      .values({ chatId: chat!.id, role: 'assistant', content: 'Use app.get().' })
      .returning();
    await db.insert(messageSources).values({
      messageId: message!.id,
      rank: 1,
      score: 0.8,
      source: 'docs',
      path: 'api/routing.md',
      title: 'Routing',
      heading: 'Routing > Basic',
      anchor: 'basic',
      url: '/api/routing/#basic',
      quote: 'app.get()',
    });
    await db.insert(messageFeedback).values({ messageId: message!.id, userId: user!.id, vote: 'up', rating: 5 });

    await db.delete(users).where(eq(users.id, user!.id));

    const counts = await queryRows<Record<string, number>>(
      db,
      sql`select
        (select count(*)::int from sessions where user_id = ${user!.id}) as sessions,
        (select count(*)::int from user_retrieval_settings where user_id = ${user!.id}) as settings,
        (select count(*)::int from chats where id = ${chat!.id}) as chats,
        (select count(*)::int from messages where id = ${message!.id}) as messages,
        (select count(*)::int from message_sources where message_id = ${message!.id}) as sources,
        (select count(*)::int from message_feedback where message_id = ${message!.id}) as feedback`,
    );
    expect(counts[0]).toEqual({ sessions: 0, settings: 0, chats: 0, messages: 0, sources: 0, feedback: 0 });
  });

  it('deleting a document removes its chunks but keeps message sources, unlinked, with their snapshot', async () => {
    const { db } = database;
    const [doc] = await db
      .insert(documents)
      .values({ source: 'docs', path: 'guide/a.md', title: 'A', url: '/guide/a/', contentHash: 'h' })
      .returning();
    const [chunk] = await db
      .insert(chunks)
      .values({
        documentId: doc!.id,
        ordinal: 0,
        headings: ['A'],
        heading: 'A',
        anchor: '',
        text: 'Alpha text',
        tokenCount: 2,
        contentHash: 'c',
        embedding: unitVector(0, 1),
        embeddingModel: 'test',
      })
      .returning();
    const [user] = await db.insert(users).values({}).returning();
    const [chat] = await db.insert(chats).values({ userId: user!.id, clientChatId: 'c2', title: 'A' }).returning();
    const [message] = await db.insert(messages).values({ chatId: chat!.id, role: 'assistant', content: 'x' }).returning();
    await db.insert(messageSources).values({
      messageId: message!.id,
      chunkId: chunk!.id,
      rank: 1,
      score: 0.5,
      source: 'docs',
      path: 'guide/a.md',
      title: 'A',
      heading: 'A',
      anchor: '',
      url: '/guide/a/',
      quote: 'Alpha text',
    });

    await db.delete(documents).where(eq(documents.id, doc!.id));

    expect(await db.select().from(chunks).where(eq(chunks.documentId, doc!.id))).toEqual([]);
    const [kept] = await db.select().from(messageSources).where(eq(messageSources.messageId, message!.id));
    expect(kept).toMatchObject({ chunkId: null, path: 'guide/a.md', quote: 'Alpha text', score: 0.5 });
  });

  it('documents are unique per source and path', async () => {
    const { db } = database;
    const row = { source: 'docs', path: 'dup.md', title: 'D', url: '/dup/', contentHash: 'h' };
    await db.insert(documents).values(row);
    await expect(db.insert(documents).values(row)).rejects.toThrow();
    await db.insert(documents).values({ ...row, source: 'other' });
  });

  it('feedback is one row per user and message, and ratings must be 1 to 5', async () => {
    const { db } = database;
    const [user] = await db.insert(users).values({}).returning();
    const [chat] = await db.insert(chats).values({ userId: user!.id, clientChatId: 'c3', title: 'F' }).returning();
    const [message] = await db.insert(messages).values({ chatId: chat!.id, role: 'assistant', content: 'x' }).returning();

    await expect(
      db.insert(messageFeedback).values({ messageId: message!.id, userId: user!.id, vote: 'up', rating: 6 }),
    ).rejects.toThrow();

    const upsert = (vote: 'up' | 'down', rating: number) =>
      db
        .insert(messageFeedback)
        .values({ messageId: message!.id, userId: user!.id, vote, rating })
        .onConflictDoUpdate({
          target: [messageFeedback.userId, messageFeedback.messageId],
          set: { vote, rating },
        });
    await upsert('up', 4);
    await upsert('down', 2);
    const rows = await db.select().from(messageFeedback).where(eq(messageFeedback.messageId, message!.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ vote: 'down', rating: 2 });
  });

  it('retrieval settings reject max results outside 1–20 and scores outside 0–1', async () => {
    const { db } = database;
    const [user] = await db.insert(users).values({}).returning();
    await expect(db.insert(userRetrievalSettings).values({ userId: user!.id, maxResults: 21, minScore: 0.2 })).rejects.toThrow();
    await expect(db.insert(userRetrievalSettings).values({ userId: user!.id, maxResults: 5, minScore: 1.5 })).rejects.toThrow();
    const [row] = await db.insert(userRetrievalSettings).values({ userId: user!.id, maxResults: 20, minScore: 0 }).returning();
    expect(row).toMatchObject({ enabled: true, preferredSources: [], excludedSources: [] });
  });

  it('the review statistics count the answers of a period, or all of them, from an index on when answers were given', async () => {
    // With sequential scans off, the plan shows an index can serve the count without reading every message.
    for (const period of [sql``, sql` and created_at >= '2026-01-01' and created_at < '2026-02-01'`]) {
      const plan = await explain(database, sql`select count(*) from messages where role = 'assistant'${period}`);
      expect(plan).toContain('messages_assistant_created_at_idx');
    }
  });

  describe('search indexes', () => {
    const docId = { current: '' };

    beforeAll(async () => {
      const { db } = database;
      const [doc] = await db
        .insert(documents)
        .values({ source: 'idx', path: 'many.md', title: 'Many', url: '/many/', contentHash: 'm' })
        .returning();
      docId.current = doc!.id;
      const words = ['routing', 'middleware', 'context', 'validator', 'streaming', 'cookies', 'jwt', 'cors'];
      const rows = Array.from({ length: 240 }, (_, i) => ({
        documentId: doc!.id,
        ordinal: i,
        headings: ['Many', `Section ${i}`],
        heading: `Many > Section ${i}`,
        anchor: `section-${i}`,
        text: `This part explains ${words[i % words.length]}.`,
        tokenCount: 6,
        contentHash: `c${i}`,
        embedding: unitVector(i % 16, i),
        embeddingModel: 'test',
      }));
      await db.insert(chunks).values(rows);
      await db.execute(sql`analyze chunks`);
    });

    it('a cosine-distance query is served by the HNSW index and returns the nearest chunks', async () => {
      const { db } = database;
      const query = unitVector(3, 999);
      const literal = `[${query.join(',')}]`;
      const plan = await explain(
        database,
        sql`select id from chunks order by embedding <=> ${literal}::vector limit 5`,
      );
      expect(plan).toContain('chunks_embedding_hnsw_idx');
      const [index] = await queryRows<{ indexdef: string }>(db, sql`select indexdef from pg_indexes where indexname = 'chunks_embedding_hnsw_idx'`);
      expect(index!.indexdef).toContain("WITH (ef_construction='128')");

      const nearest = await queryRows<{ ordinal: number; similarity: number }>(
        db,
        sql`select ordinal, 1 - (embedding <=> ${literal}::vector) as similarity
            from chunks where document_id = ${docId.current}
            order by embedding <=> ${literal}::vector limit 5`,
      );
      expect(nearest).toHaveLength(5);
      for (const row of nearest) expect(row.ordinal % 16).toBe(3);
      const exact = Array.from({ length: 240 }, (_, i) => ({ i, s: cosine(unitVector(i % 16, i), query) }))
        .sort((a, b) => b.s - a.s)
        .slice(0, 5);
      expect(Number(nearest[0]!.similarity)).toBeCloseTo(exact[0]!.s, 4);
    });

    it('full-text search is served by the GIN index and covers the heading breadcrumb', async () => {
      const { db } = database;
      const plan = await explain(database, sql`select id from chunks where tsv @@ to_tsquery('english', 'cookies')`);
      expect(plan).toContain('chunks_tsv_gin_idx');

      const hits = await queryRows<{ ordinal: number }>(
        db,
        sql`select ordinal from chunks where document_id = ${docId.current} and tsv @@ to_tsquery('english', 'cookie') order by ordinal`,
      );
      expect(hits.map((h) => h.ordinal)).toEqual(Array.from({ length: 30 }, (_, k) => 5 + k * 8));
      const heading = await queryRows<{ ordinal: number }>(
        db,
        sql`select ordinal from chunks where tsv @@ to_tsquery('english', 'section & 17') and document_id = ${docId.current}`,
      );
      expect(heading.map((h) => h.ordinal)).toEqual([17]);
    });

    it("a large chunk's tsvector stays in its row while its embedding moves to TOAST", async () => {
      const { db } = database;
      // ~350 distinct words: a tsvector of ~3 kB. With the default storage, tsvectors from ~1.5 kB
      // up went out of the row (BM25 then read every candidate's tsvector through the TOAST index).
      const text = Array.from({ length: 350 }, (_, i) => `term${i.toString(36)}x${(i * 7919).toString(36)}`).join(' ');
      const [row] = await db
        .insert(chunks)
        .values({
          documentId: docId.current,
          ordinal: 1000,
          headings: ['Many', 'Large'],
          heading: 'Many > Large',
          anchor: 'large',
          text,
          tokenCount: 350,
          contentHash: 'large',
          embedding: unitVector(1, 1000),
          embeddingModel: 'test',
        })
        .returning({ id: chunks.id });
      const [stored] = await queryRows<{ tsv_size: number; tsv_toasted: boolean; embedding_toasted: boolean }>(
        db,
        sql`select pg_column_size(tsv) as tsv_size, pg_column_toast_chunk_id(tsv) is not null as tsv_toasted,
                   pg_column_toast_chunk_id(embedding) is not null as embedding_toasted
            from chunks where id = ${row!.id}`,
      );
      expect(stored!.tsv_size).toBeGreaterThan(2500);
      expect(stored!.embedding_toasted).toBe(true);
      expect(stored!.tsv_toasted).toBe(false);
      await db.delete(chunks).where(eq(chunks.id, row!.id));
    });

    /** The statements of a migration file. */
    const statements = (file: string) => readFileSync(join(import.meta.dirname, '../migrations', file), 'utf8').split('--> statement-breakpoint');
    /** The `docent_code_parts` a migration file defines. */
    const codeParts = (file: string) => statements(file).find((st) => st.includes('CREATE OR REPLACE FUNCTION docent_code_parts'))!;
    /** Rows whose lexemes disagree with `lexeme_stats` (0 when the triggers kept it in step). */
    const statsDrift = async () => {
      const [row] = await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from (select u.lexeme, count(*) as df from chunks c, unnest(c.tsv) u group by u.lexeme) x
            full join lexeme_stats s using (lexeme) where s.df is distinct from x.df`,
      );
      return row!.n;
    };

    /** Migrations that rewrite the chunks stored before them, because `docent_code_parts` changed. */
    const reindexing = [
      {
        migration: '0011_code_parts_hyphenated_words.sql',
        what: 'a hyphenated name inside a path becomes a lexeme',
        // 0002's code parts split every non-alphanumeric character.
        before: '0002_lexical_functions.sql',
        lexeme: 'no-standalone-expect',
        chunk: { headings: ['jest/no-standalone-expect', 'Rule details'], heading: 'jest/no-standalone-expect > Rule details', text: 'Flags an assertion written outside of a test block.' },
      },
      {
        migration: '0013_code_parts_snake_case_whole.sql',
        what: 'a snake_case identifier becomes a lexeme whole',
        // 0011's code parts left `max_retries` to the parser's split, `max` and `retri`.
        before: '0011_code_parts_hyphenated_words.sql',
        lexeme: 'maxretri',
        chunk: { headings: ['Client', 'Retries'], heading: 'Client > Retries', text: 'Set max_retries to retry a failed download.' },
      },
      {
        migration: '0016_code_parts_embed_forms.sql',
        what: '"Embedding" gets the lexeme of "embed"',
        // 0013's code parts left "embedding" to the stemmer alone, `embed` (and "embed" is `emb`).
        before: '0013_code_parts_snake_case_whole.sql',
        lexeme: 'emb',
        chunk: { headings: ['Widget', 'Embedding'], heading: 'Widget > Embedding', text: 'The widget is embedded with one script tag.' },
      },
    ];

    for (const { migration, what, before, lexeme, chunk } of reindexing) {
      it(`migration ${migration.slice(0, 4)} re-indexes the chunks stored before it: ${what}, and the BM25 statistics follow`, async () => {
        const { db } = database;
        const lexemeOf = (id: string) =>
          queryRows<{ has: boolean }>(db, sql`select ${lexeme} = any(tsvector_to_array(tsv)) as has from chunks where id = ${id}`).then((r) => r[0]!.has);
        const df = () => queryRows<{ df: number }>(db, sql`select df from lexeme_stats where lexeme = ${lexeme}`).then((r) => Number(r[0]?.df ?? 0));
        // The chunk as a database before the migration stored it: with the earlier code parts.
        await db.execute(sql.raw(codeParts(before)));
        let id = '';
        try {
          const [row] = await db
            .insert(chunks)
            .values({
              documentId: docId.current,
              ordinal: 2000,
              ...chunk,
              anchor: 'reindexed',
              tokenCount: 10,
              contentHash: migration,
              embedding: unitVector(2, 2000),
              embeddingModel: 'test',
            })
            .returning({ id: chunks.id });
          id = row!.id;
          expect(await lexemeOf(id)).toBe(false);
          expect(await df()).toBe(0);
        } finally {
          for (const statement of statements(migration)) await db.execute(sql.raw(statement));
        }
        expect(await lexemeOf(id)).toBe(true);
        expect(await df()).toBe(1);
        expect(await statsDrift()).toBe(0);
        await db.delete(chunks).where(eq(chunks.id, id));
        expect(await df()).toBe(0);
        await db.execute(sql.raw(codeParts(LATEST_CODE_PARTS)));
      });
    }

    it("documents keep their path's words as lexemes for the path feature", async () => {
      const { db } = database;
      const [doc] = await db
        .insert(documents)
        .values({ source: 'idx', path: 'guides/Chat-Widget_setup.mdx', title: 'Chat widget', url: '/guides/chat-widget/', contentHash: 'p' })
        .returning({ pathTsv: documents.pathTsv, id: documents.id });
      const lexemes = await queryRows<{ lexeme: string }>(db, sql`select unnest(tsvector_to_array(${doc!.pathTsv}::tsvector)) as lexeme`);
      expect(lexemes.map((l) => l.lexeme).sort()).toEqual(['chat', 'guid', 'mdx', 'setup', 'widget']);
      await db.delete(documents).where(eq(documents.id, doc!.id));
    });
  });
});
