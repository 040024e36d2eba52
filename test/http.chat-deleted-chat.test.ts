/**
 * `POST /api/chat` in a chat the reader no longer has: a client that shows earlier answers of the
 * chat (its request carries assistant messages) gets `404 chat_not_found` when the chat was
 * deleted (in another tab, say), instead of a new chat holding only the new turn; and never
 * reaches another reader's chat with the same client id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { createApp } from '../server/http/app';
import { createClient, type TestClient } from './helpers/client';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';
import { readChunks } from './helpers/ui-stream';

const embedder = createHashingEmbedder();

type Message = { id: string; role: 'user' | 'assistant'; parts: { type: 'text'; text: string }[] };
const userMessage = (id: string, text: string): Message => ({ id, role: 'user', parts: [{ type: 'text', text }] });

/** Asks `question` in `chatId` as `useChat` does, with the messages the client shows; returns them with the answer added. */
async function ask(client: TestClient, chatId: string, shown: Message[], question: string) {
  const messages = [...shown, userMessage(`q-${shown.length}`, question)];
  const res = await client.json('/api/chat', 'POST', { id: chatId, messages, trigger: 'submit-message' });
  if (res.status !== 200) return { res, messages };
  const start = (await readChunks(res))[0] as { messageId: string };
  return { res, messages: [...messages, { id: start.messageId, role: 'assistant' as const, parts: [{ type: 'text' as const, text: 'an answer' }] }] };
}

describe.each(DRIVER_KINDS)('POST /api/chat in a deleted chat, through %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDocuments(database.db, embedder, SERVER_DOCS);
  });
  afterAll(async () => {
    await database?.close();
  });

  const app = () => createApp({ database, config: loadConfig({}), embedder, siteDir: false });

  it('after the chat was deleted (another tab), a follow-up gets 404 chat_not_found and no chat is recreated', async () => {
    const client = createClient(app());
    const first = await ask(client, 'two-tabs', [], 'How do I set a cookie?');
    expect(first.res.status).toBe(200);
    const chatId = first.res.headers.get('x-docent-chat-id')!;
    expect((await client.request(`/api/chats/${chatId}`, { method: 'DELETE' })).status).toBe(200);

    const followUp = await ask(client, 'two-tabs', first.messages, 'And how do I delete it?');
    expect(followUp.res.status).toBe(404);
    const body = (await followUp.res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('chat_not_found');
    expect(body.error.message).toMatch(/deleted.*Start a new chat/);
    expect(((await (await client.request('/api/chats')).json()) as { chats: unknown[] }).chats).toEqual([]);

    // A new chat (a new client id) works as ever.
    expect((await ask(client, 'after-delete', [], 'And how do I delete a cookie?')).res.status).toBe(200);
  });

  it('a chat whose first question was refused before any answer began is still created by the next question', async () => {
    const client = createClient(app());
    const res = await client.json('/api/chat', 'POST', {
      id: 'first-turn-failed',
      messages: [userMessage('q-0', 'How do I set a cookie?'), userMessage('q-1', 'How do I set a cookie, please?')],
      trigger: 'submit-message',
    });
    expect(res.status).toBe(200);
    await res.text();
  });

  it('a regenerate of a first question, after its chat was deleted, answers it in a chat of that one turn: it is also how a Retry of a question never stored looks', async () => {
    const client = createClient(app());
    const first = await ask(client, 'first-only', [], 'How do I set a cookie?');
    const chatId = first.res.headers.get('x-docent-chat-id')!;
    expect((await client.request(`/api/chats/${chatId}`, { method: 'DELETE' })).status).toBe(200);
    // Regenerate drops the answer shown, so the request holds the question alone, as a Retry's does.
    const regenerate = { id: 'first-only', messages: first.messages.slice(0, 1), trigger: 'regenerate-message' };
    const again = await client.json('/api/chat', 'POST', regenerate);
    expect(again.status).toBe(200);
    await again.text();
    const { chats } = (await (await client.request('/api/chats')).json()) as { chats: { id: string; messageCount: number }[] };
    expect(chats).toEqual([expect.objectContaining({ messageCount: 2 })]);
    const chat = (await (await client.request(`/api/chats/${chats[0]!.id}`)).json()) as { messages: { role: string; content: string }[] };
    expect(chat.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(chat.messages[0]!.content).toBe('How do I set a cookie?');

    // A Retry of a first question the server never stored (it answered 503 or 429 before) cannot be
    // told apart from it, and must create the chat.
    const retry = await client.json('/api/chat', 'POST', { id: 'never-stored', messages: [userMessage('q-0', 'How do I delete a cookie?')], trigger: 'regenerate-message' });
    expect(retry.status).toBe(200);
    await retry.text();
  });

  it('another reader sending the same client id with earlier answers gets 404, and the first reader’s chat is untouched', async () => {
    const owner = createClient(app());
    const asked = await ask(owner, 'shared-client-id', [], 'How do I set a cookie?');
    const chatId = asked.res.headers.get('x-docent-chat-id')!;
    const intruder = createClient(app());
    const res = await ask(intruder, 'shared-client-id', asked.messages, 'What did I ask before?');
    expect(res.res.status).toBe(404);
    expect(((await res.res.json()) as { error: { code: string } }).error.code).toBe('chat_not_found');
    const chat = (await (await owner.request(`/api/chats/${chatId}`)).json()) as { messages: unknown[] };
    expect(chat.messages).toHaveLength(2);
    expect(((await (await intruder.request('/api/chats')).json()) as { chats: unknown[] }).chats).toEqual([]);
  });
});
