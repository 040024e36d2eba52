import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatTurn } from '../server/answer/turn';
import { renderAnswer, sseChunks, streamChunks } from '../server/answer/ui-stream';
import { loadConfig } from '../server/config';
import { users } from '../server/db/schema';
import { createApp } from '../server/http/app';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';
import { chatBody } from './helpers/ui-stream';

const embedder = createHashingEmbedder();

describe('npm run ask', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
  });
  afterAll(async () => database?.close());

  it('renderAnswer() prints the streamed answer, then the sources with their scores', async () => {
    const [user] = await database.db.insert(users).values({ displayName: 'ask-cli' }).returning();
    const turn = await startChatTurn({ db: database.db, embedder }, { userId: user!.id, clientChatId: 'cli', question: 'How do I set a cookie?' });
    let out = '';
    const writes: string[] = [];
    const answer = await renderAnswer(streamChunks(turn.stream), {
      write: (s: string) => {
        writes.push(s);
        out += s;
      },
    });
    expect(await turn.done).toEqual({ status: 'complete' });
    expect(answer.error).toBeUndefined();
    expect(out).toContain('> Use setCookie(c, "name", "value") to set a cookie on the response. [1]');
    expect(out).toMatch(/\nSources\n {2}\[1\] [01]\.\d{3} {2}Cookies › Set a cookie {2}guides\/cookies\.md {2}\/guides\/cookies\/#set-a-cookie\n/);
    expect(writes.length).toBeGreaterThan(3); // streamed in pieces, not printed at the end
  });

  it('sseChunks() reads a server’s /api/chat response (the hand-off when the server holds the database)', async () => {
    const app = createApp({ database, config: loadConfig({}), embedder, siteDir: false });
    const res = await app.request('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatBody('cli-http', 'How do I delete a cookie?')),
    });
    let out = '';
    const answer = await renderAnswer(sseChunks(res.body!), { write: (s: string) => (out += s) });
    expect(answer.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.sources?.sources[0]).toMatchObject({ rank: 1, heading: 'Delete a cookie' });
    expect(out).toContain('deleteCookie');
  });

  it('explains its usage when no question is given (exit code 2)', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/ask.ts'], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('ask: no question given.');
    expect(run.stderr).toContain('Usage: npm run ask -- "your question"');
  });
});
