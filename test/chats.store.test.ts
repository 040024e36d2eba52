/**
 * Recording an answer's sources while an ingest changes the index: a chunk retrieved for the
 * answer may be removed (its page edited or deleted) before its sources are recorded.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrCreateChat, insertAssistantMessage, saveMessageSources } from '../server/chats/store';
import type { AnswerSource } from '../server/chats/sources';
import { chunks, messageSources, users } from '../server/db/schema';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';

describe.each(DRIVER_KINDS)('saveMessageSources, on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDocuments(database.db, createHashingEmbedder(), SERVER_DOCS);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('records a source whose chunk an ingest removed since it was retrieved, without its link, rather than failing the answer', async () => {
    const [user] = await database.db.insert(users).values({}).returning({ id: users.id });
    const chat = await findOrCreateChat(database.db, user!.id, 'chunk-removed', 'How do I set a cookie?');
    const messageId = await insertAssistantMessage(database.db, { chatId: chat.id, model: 'stub', retrievalSettings: DEFAULT_RETRIEVAL_SETTINGS });
    const [kept, removed] = await database.db.select({ id: chunks.id }).from(chunks).limit(2);
    const source = (rank: number, chunkId: string): AnswerSource => ({
      rank,
      score: 0.8,
      chunkId,
      source: 'docs',
      path: `page-${rank}.md`,
      title: `Page ${rank}`,
      heading: '',
      headings: [`Page ${rank}`],
      anchor: '',
      url: `/page-${rank}/`,
      snippet: 'quoted',
      text: `quoted text ${rank}`,
    });
    // The ingest removes the second chunk between retrieval and the recording of the sources.
    await database.db.delete(chunks).where(eq(chunks.id, removed!.id));
    await saveMessageSources(database.db, messageId, [source(1, kept!.id), source(2, removed!.id)]);
    const rows = await database.db
      .select({ rank: messageSources.rank, chunkId: messageSources.chunkId, quote: messageSources.quote })
      .from(messageSources)
      .where(eq(messageSources.messageId, messageId))
      .orderBy(messageSources.rank);
    expect(rows).toEqual([
      { rank: 1, chunkId: kept!.id, quote: 'quoted text 1' },
      { rank: 2, chunkId: null, quote: 'quoted text 2' },
    ]);
  });
});
