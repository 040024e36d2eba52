import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Config, loadConfig } from '../server/config';
import { messageSources, messages } from '../server/db/schema';
import { questionOf } from '../server/feedback/eval-cases';
import { createApp } from '../server/http/app';
import { chatRequestSchema } from '../server/http/routes/chat';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { createClient } from './helpers/client';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { type OpenAIStub, startOpenAIStub } from './helpers/openai-stub';
import { seedDocuments } from './helpers/seed';
import { assemble, chatBody, readChunks, textOf } from './helpers/ui-stream';

const embedder = createHashingEmbedder();

describe.each(DRIVER_KINDS)('POST /api/chat through %s', (kind) => {
  let database: TestDatabase;
  let stub: OpenAIStub;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    stub = await startOpenAIStub();
  });
  afterAll(async () => {
    await stub?.close();
    await database?.close();
  });

  const llmApp = () =>
    createApp({
      database,
      config: loadConfig({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' }),
      embedder,
      siteDir: false,
    });

  it('streams sources with scores, a data-sources part, the cited answer and the server ids; persists it all', async () => {
    stub.setReply(() => ({ text: 'Use setCookie(c, "name", "value") [1]. See also the delete helper [2] and this [7].' }));
    const client = createClient(llmApp());
    const res = await client.json('/api/chat', 'POST', chatBody('chat-1', 'How do I set a cookie on the response, and delete it later?'));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(client.cookie).toBeTruthy();

    const chunks = await readChunks(res);
    expect(chunks[0]).toMatchObject({ type: 'start' });
    const start = chunks[0] as { messageId: string; messageMetadata: { chatId: string; messageId: string } };
    expect(start.messageMetadata.messageId).toBe(start.messageId);
    expect(start.messageId).toMatch(/^[0-9a-f-]{36}$/);

    const sourceParts = chunks.filter((c) => c.type === 'source-url') as unknown as {
      sourceId: string;
      url: string;
      title?: string;
      providerMetadata: { docent: { score: number; rank: number } };
    }[];
    expect(sourceParts.length).toBeGreaterThanOrEqual(2);
    expect(sourceParts[0]!.url).toBe('/guides/cookies/#set-a-cookie');
    expect(sourceParts[0]!.providerMetadata.docent.rank).toBe(1);
    expect(sourceParts[0]!.providerMetadata.docent.score).toBeGreaterThan(0);
    expect(sourceParts[0]!.providerMetadata.docent.score).toBeLessThanOrEqual(1);

    const data = chunks.find((c) => c.type === 'data-sources') as {
      data: { sources: Record<string, unknown>[]; retrieval: string; query: string };
    };
    expect(data.data.retrieval).toBe('found');
    expect(data.data.sources[0]).toMatchObject({
      rank: 1,
      path: 'guides/cookies.md',
      title: 'Cookies',
      heading: 'Set a cookie',
      url: '/guides/cookies/#set-a-cookie',
    });
    expect(data.data.sources[0]!.snippet).toContain('setCookie');
    expect(data.data.sources.length).toBe(sourceParts.length);

    // The model saw numbered sources and the rules.
    const generation = stub.requests.at(-1)!;
    expect(generation.stream).toBe(true);
    expect(generation.system).toContain('[1] Cookies › Set a cookie');
    expect(generation.lastUser).toBe('How do I set a cookie on the response, and delete it later?');

    const message = await assemble(chunks);
    const text = textOf(message);
    expect(text).toContain('setCookie(c, "name", "value") [1]');
    expect(text).toContain('[2]');
    expect(text).not.toContain('[7]');
    expect(text).toContain('and this.');
    expect(message.metadata).toMatchObject({ chatId: start.messageMetadata.chatId, messageId: start.messageId, status: 'complete' });

    const [row] = await database.db.select().from(messages).where(eq(messages.id, start.messageId));
    expect(row).toMatchObject({ status: 'complete', role: 'assistant', model: 'stub-model', content: text });
    expect(row!.citations).toEqual({ valid: [1, 2], invalid: [7] });
    expect(row!.usage).toMatchObject({ inputTokens: 42 });
    expect(row!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(row!.retrievalSettings).toMatchObject({ enabled: true, maxResults: 5, minScore: 0.45 });
    const stored = await database.db.select().from(messageSources).where(eq(messageSources.messageId, start.messageId));
    expect(stored.length).toBe(sourceParts.length);
    expect(stored.find((s) => s.rank === 1)).toMatchObject({ cited: true, path: 'guides/cookies.md', heading: 'Cookies > Set a cookie' });
    expect(stored.every((s) => s.score > 0 && s.score <= 1)).toBe(true);

    // History: the chat with both messages, sources and scores.
    const chat = await (await client.request(`/api/chats/${start.messageMetadata.chatId}`)).json();
    expect(chat.clientId).toBe('chat-1');
    expect(chat.title).toBe('How do I set a cookie on the response, and delete it later?');
    expect(chat.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
    expect(chat.messages[1]).toMatchObject({ id: start.messageId, status: 'complete', content: text, feedback: null });
    expect(chat.messages[1].sources[0]).toMatchObject({ rank: 1, cited: true, url: '/guides/cookies/#set-a-cookie' });
    expect(chat.messages[1].parts.map((p: { type: string }) => p.type)).toContain('data-sources');
    const list = await (await client.request('/api/chats')).json();
    expect(list.chats).toEqual([expect.objectContaining({ id: chat.id, clientId: 'chat-1', messageCount: 2 })]);
  });

  it('rewrites a follow-up into a standalone query with the chat so far', async () => {
    const client = createClient(llmApp());
    stub.setReply(() => ({ text: 'Cookies are set with setCookie [1].' }));
    await readChunks(await client.json('/api/chat', 'POST', chatBody('chat-2', 'How do I set a cookie?')));
    stub.setReply((req) => (req.stream ? { text: 'Use deleteCookie [1].' } : { text: 'How do I delete a cookie?' }));
    const before = stub.requests.length;
    const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody('chat-2', 'And how do I remove it?')));
    const rewrite = stub.requests.slice(before).find((r) => !r.stream)!;
    expect(rewrite.lastUser).toContain('Reader: How do I set a cookie?');
    expect(rewrite.lastUser).toContain('Last question: And how do I remove it?');
    // The answer's earlier turn, without its citation (its number pointed at that turn's sources).
    const answer = stub.requests.slice(before).find((r) => r.stream)!;
    expect(answer.messages.find((m) => m.role === 'assistant')?.content).toBe('Cookies are set with setCookie.');
    const data = chunks.find((c) => c.type === 'data-sources') as { data: { query: string; sources: { heading: string }[] } };
    expect(data.data.query).toBe('How do I delete a cookie?');
    expect(data.data.sources[0]!.heading).toBe('Delete a cookie');
    const id = (chunks[0] as { messageId: string }).messageId;
    const [row] = await database.db.select().from(messages).where(eq(messages.id, id));
    expect(row!.retrievalQuery).toBe('How do I delete a cookie?');
  });

  it('a rewrite with a NUL or a lone surrogate is cleaned before retrieval and storage', async () => {
    const client = createClient(llmApp());
    stub.setReply(() => ({ text: 'Cookies are set with setCookie [1].' }));
    await readChunks(await client.json('/api/chat', 'POST', chatBody('chat-nul-rewrite', 'How do I set a cookie?')));
    stub.setReply((req) => (req.stream ? { text: 'Use deleteCookie [1].' } : { text: 'How do I delete a \u0000cookie \ud800?' }));
    const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody('chat-nul-rewrite', 'And how do I remove it?')));
    expect(chunks.some((c) => c.type === 'error')).toBe(false);
    const id = (chunks[0] as { messageId: string }).messageId;
    const [row] = await database.db.select().from(messages).where(eq(messages.id, id));
    expect(row).toMatchObject({ status: 'complete', retrievalQuery: 'How do I delete a cookie \ufffd?' });
  });

  describe('a message id sent again with new text (useChat edit: sendMessage({ text, messageId }))', () => {
    const ask = (client: ReturnType<typeof createClient>, chatId: string, messageId: string, question: string) =>
      client.json('/api/chat', 'POST', { ...chatBody(chatId, question, messageId), messageId }).then(readChunks);
    const turns = (chat: { messages: { role: string; content: string; clientId: string | null }[] }) =>
      chat.messages.map((m) => [m.role, m.role === 'user' ? `${m.clientId}: ${m.content}` : '']);

    it('stores the edited question: the chat, the model and the eval export all see the new text', async () => {
      const client = createClient(llmApp());
      stub.setReply((req) => (req.stream ? { text: 'Use setCookie [1].' } : { text: req.lastUser }));
      await ask(client, 'edit-last', 'e-q1', 'How do I set a cookie?');
      const before = stub.requests.length;
      stub.setReply((req) => (req.stream ? { text: 'Use deleteCookie [1].' } : { text: req.lastUser }));
      const chunks = await ask(client, 'edit-last', 'e-q1', 'How do I delete a cookie?');
      const answerId = (chunks[0] as { messageId: string }).messageId;

      const generation = stub.requests.slice(before).find((r) => r.stream)!;
      expect(generation.lastUser).toBe('How do I delete a cookie?');
      expect(JSON.stringify(generation.messages)).not.toContain('set a cookie');

      const chat = await (await client.request('/api/chats/edit-last')).json();
      expect(turns(chat)).toEqual([
        ['user', 'e-q1: How do I delete a cookie?'],
        ['assistant', ''],
      ]);
      expect(chat.messages[1].id).toBe(answerId);
      // What the review page and the eval-case export read as this answer's question.
      expect(await questionOf(database.db, answerId)).toBe('How do I delete a cookie?');
    });

    it('an earlier question edited drops the turns after it, as the client does', async () => {
      const client = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
      await ask(client, 'edit-mid', 'q1', 'How do I set a cookie?');
      await ask(client, 'edit-mid', 'q2', 'How do I delete a cookie?');
      const chunks = await ask(client, 'edit-mid', 'q1', 'How do I read a cookie?');
      const answerId = (chunks[0] as { messageId: string }).messageId;
      const chat = await (await client.request('/api/chats/edit-mid')).json();
      expect(turns(chat)).toEqual([
        ['user', 'q1: How do I read a cookie?'],
        ['assistant', ''],
      ]);
      expect(await questionOf(database.db, answerId)).toBe('How do I read a cookie?');
      // A follow-up continues from the edited branch.
      await ask(client, 'edit-mid', 'q3', 'And how do I delete it?');
      const after = await (await client.request('/api/chats/edit-mid')).json();
      expect(turns(after).map(([, q]) => q)).toEqual(['q1: How do I read a cookie?', '', 'q3: And how do I delete it?', '']);
    });

    it('GET /api/chats counts the messages GET /api/chats/:id shows, after a regenerate and an edit', async () => {
      const client = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
      const counts = async () => {
        const chat = await (await client.request('/api/chats/edit-count')).json();
        const list = await (await client.request('/api/chats')).json();
        return [chat.messages.length, list.chats.find((c: { clientId: string }) => c.clientId === 'edit-count').messageCount];
      };
      await ask(client, 'edit-count', 'c-q1', 'How do I set a cookie?');
      await ask(client, 'edit-count', 'c-q2', 'How do I delete a cookie?');
      expect(await counts()).toEqual([4, 4]);
      await ask(client, 'edit-count', 'c-q2', 'How do I delete a cookie?'); // regenerate
      expect(await counts()).toEqual([4, 4]);
      await ask(client, 'edit-count', 'c-q1', 'How do I read a cookie?'); // edit of the first question
      expect(await counts()).toEqual([2, 2]);
    });

    it('the chat’s title follows an edit of its first question, and only of its first question', async () => {
      const client = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
      const titles = async () => {
        const chat = await (await client.request('/api/chats/edit-title')).json();
        const list = await (await client.request('/api/chats')).json();
        return [chat.title, list.chats.find((c: { clientId: string }) => c.clientId === 'edit-title').title];
      };
      await ask(client, 'edit-title', 't-q1', 'How do I set a cookie?');
      await ask(client, 'edit-title', 't-q2', 'How do I delete a cookie?');
      await ask(client, 'edit-title', 't-q2', 'How do I read a cookie?');
      expect(await titles()).toEqual(['How do I set a cookie?', 'How do I set a cookie?']);
      await ask(client, 'edit-title', 't-q1', 'How do I sign   a\ncookie?');
      expect(await titles()).toEqual(['How do I sign a cookie?', 'How do I sign a cookie?']);
      await ask(client, 'edit-title', 't-q1', 'How do I set a signed cookie?');
      expect(await titles()).toEqual(['How do I set a signed cookie?', 'How do I set a signed cookie?']);
    });

    it('the title follows an edit sent with the question’s server id (a chat reopened from history)', async () => {
      const client = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
      const withoutId = { ...chatBody('edit-title-2', ''), messages: [{ role: 'user', parts: [{ type: 'text', text: 'How do I set a cookie?' }] }] };
      await readChunks(await client.json('/api/chat', 'POST', withoutId));
      const chat = await (await client.request('/api/chats/edit-title-2')).json();
      expect(chat.messages[0].clientId).toBeNull();
      await ask(client, 'edit-title-2', chat.messages[0].id, 'How do I delete a cookie?');
      expect((await (await client.request('/api/chats/edit-title-2')).json()).title).toBe('How do I delete a cookie?');
    });
  });

  it('ends the stream with an error part and records status error when the model fails mid-stream', async () => {
    stub.setReply(() => ({ text: ['Use ', 'setCookie ', '[1] ', 'and then ', 'more.'], failAfterChunks: 3 }));
    const client = createClient(llmApp());
    const res = await client.json('/api/chat', 'POST', chatBody('chat-3', 'How do I set a cookie?'));
    expect(res.status).toBe(200);
    const chunks = await readChunks(res);
    expect(chunks.at(-1)).toMatchObject({
      type: 'error',
      errorText: 'The language model could not answer: the connection to the model server failed. Please try again.',
    });
    expect(chunks.some((c) => c.type === 'finish')).toBe(false);
    const id = (chunks[0] as { messageId: string }).messageId;
    const [row] = await database.db.select().from(messages).where(eq(messages.id, id));
    expect(row!.status).toBe('error');
    expect(row!.content.trim()).toBe('Use setCookie [1]');
    expect(row!.error).toBe('The language model could not answer: the connection to the model server failed. Please try again.');
    const sources = await database.db.select().from(messageSources).where(eq(messageSources.messageId, id));
    expect(sources.length).toBeGreaterThan(0);
  });

  it('records status error, with the partial answer, when the model’s stream ends without a finish reason', async () => {
    // A clean end of the HTTP body with no finish_reason and no [DONE]: a proxy's timeout, say.
    stub.setReply(() => ({ text: ['Use ', 'setCookie ', '[1] ', 'and then '], endWithoutFinish: true }));
    const client = createClient(llmApp());
    const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody('chat-cut', 'How do I set a cookie?')));
    const failed = 'The language model could not answer: the connection to the model server failed. Please try again.';
    expect(chunks.at(-1)).toMatchObject({ type: 'error', errorText: failed });
    const id = (chunks[0] as { messageId: string }).messageId;
    const [row] = await database.db.select().from(messages).where(eq(messages.id, id));
    expect(row).toMatchObject({ status: 'error', error: failed, content: 'Use setCookie [1] and then ' });
  });

  it.each([
    ['a NUL', ['Only NUL \u0000 here [1].'], 'Only NUL  here [1].'],
    [
      'lone surrogates, and a pair split across chunks',
      ['Only \udc00surrogate \ud800 here ', '\ud83d', '\ude00 [1].'],
      'Only \ufffdsurrogate \ufffd here \u{1f600} [1].',
    ],
  ])('stores an answer whose text holds %s as it streamed it, cleaned', async (_, text, cleaned) => {
    stub.setReply(() => ({ text }));
    const client = createClient(llmApp());
    const res = await client.json('/api/chat', 'POST', chatBody(`chat-odd-${Math.random()}`, 'How do I set a cookie?'));
    const chunks = await readChunks(res);
    expect(chunks.some((c) => c.type === 'error')).toBe(false);
    expect(textOf(await assemble(chunks))).toBe(cleaned);
    const { chatId } = (chunks[0] as { messageMetadata: { chatId: string } }).messageMetadata;
    const chat = await (await client.request(`/api/chats/${chatId}`)).json();
    const answer = chat.messages.find((m: { role: string }) => m.role === 'assistant');
    expect(answer).toMatchObject({ status: 'complete', content: cleaned });
  });

  it.each([
    ['no text at all', { text: '' }],
    ['only whitespace', { text: ['   \n\n', ' '] }],
    ['only a citation that matches no source', { text: '[9]' }],
    ['only a tool call', { text: '', toolCall: true, finishReason: 'tool_calls' }],
  ])('an answer with %s is an error the reader can retry, not an empty complete answer', async (_, reply) => {
    stub.setReply(() => reply);
    const client = createClient(llmApp());
    const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody(`chat-empty-${Math.random()}`, 'How do I set a cookie?')));
    const empty = 'The language model returned no answer. Please try again.';
    expect(chunks.at(-1)).toMatchObject({ type: 'error', errorText: empty });
    expect(chunks.some((c) => c.type === 'finish')).toBe(false);
    // Nothing of it reaches the reader before the error (not even its whitespace).
    expect(chunks.some((c) => c.type === 'text-delta')).toBe(false);
    const id = (chunks[0] as { messageId: string }).messageId;
    const [row] = await database.db.select().from(messages).where(eq(messages.id, id));
    expect(row).toMatchObject({ status: 'error', error: empty });
    const { chatId } = (chunks[0] as { messageMetadata: { chatId: string } }).messageMetadata;
    const chat = await (await client.request(`/api/chats/${chatId}`)).json();
    expect(chat.messages.at(-1)).toMatchObject({ status: 'error', error: empty });
  });

  it.each([
    ['length', 'The answer reached the length limit and was cut off.'],
    ['content_filter', "The model's content filter cut the answer off."],
  ])('keeps an answer the model ended with finish reason %s, as truncated, and says why', async (finishReason, why) => {
    stub.setReply(() => ({ text: 'Long answer cut [1] and', finishReason }));
    const client = createClient(llmApp());
    const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody(`chat-cut-${finishReason}`, 'How do I set a cookie?')));
    expect(chunks.some((c) => c.type === 'error')).toBe(false);
    expect(chunks.find((c) => c.type === 'finish')).toMatchObject({
      finishReason: finishReason === 'length' ? 'length' : 'content-filter',
      messageMetadata: { status: 'truncated' },
    });
    expect(textOf(await assemble(chunks))).toBe('Long answer cut [1] and');
    const id = (chunks[0] as { messageId: string }).messageId;
    const [row] = await database.db.select().from(messages).where(eq(messages.id, id));
    expect(row).toMatchObject({ status: 'truncated', error: why, content: 'Long answer cut [1] and', citations: { valid: [1], invalid: [] } });
    const { chatId } = (chunks[0] as { messageMetadata: { chatId: string } }).messageMetadata;
    const chat = await (await client.request(`/api/chats/${chatId}`)).json();
    expect(chat.messages.at(-1)).toMatchObject({ status: 'truncated', error: why });
    // A follow-up still sees the answer, as the reader did.
    stub.setReply((req) => (req.stream ? { text: 'More [1].' } : { text: 'How do I delete a cookie?' }));
    const before = stub.requests.length;
    await readChunks(await client.json('/api/chat', 'POST', chatBody(`chat-cut-${finishReason}`, 'And how do I remove it?')));
    const answer = stub.requests.slice(before).find((r) => r.stream)!;
    expect(answer.messages.find((m) => m.role === 'assistant')?.content).toBe('Long answer cut and');
  });

  it('drops a <think> block that opens the answer, also when split across chunks', async () => {
    stub.setReply(() => ({ text: ['<thi', 'nk>Let me reason about [9] the system', ' prompt</thi', 'nk>\n\n', 'Use `setCookie` [1].'] }));
    const client = createClient(llmApp());
    const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody('chat-think', 'How do I set a cookie?')));
    expect(textOf(await assemble(chunks))).toBe('Use `setCookie` [1].');
    const id = (chunks[0] as { messageId: string }).messageId;
    const [row] = await database.db.select().from(messages).where(eq(messages.id, id));
    expect(row).toMatchObject({ status: 'complete', content: 'Use `setCookie` [1].', citations: { valid: [1], invalid: [] } });
  });

  it("sends earlier answers back to the model without their citations, but with their code as written", async () => {
    const code = '```sh\nLANGSMITH_TRACING=true # see [2]\nitems[0]\n```';
    stub.setReply(() => ({ text: `Turn tracing on [1]:\n\n${code}\n` }));
    const client = createClient(llmApp());
    await readChunks(await client.json('/api/chat', 'POST', chatBody('chat-history-code', 'How do I set a cookie?')));
    stub.setReply((req) => (req.stream ? { text: 'Off [1].' } : { text: 'How do I delete a cookie?' }));
    const before = stub.requests.length;
    await readChunks(await client.json('/api/chat', 'POST', chatBody('chat-history-code', 'And how do I remove it?')));
    const answer = stub.requests.slice(before).find((r) => r.stream)!;
    expect(answer.messages.find((m) => m.role === 'assistant')?.content).toBe(`Turn tracing on:\n\n${code}\n`);
  });

  it("shows a made-up link to the docs as text; keeps links to indexed pages, to the sources' links and to other sites", async () => {
    stub.setReply(() => ({
      text: 'See [the page](/guides/nonexistent/#nope), [cookies](/guides/cookies/#delete-a-cookie), [MDN](https://developer.mozilla.org/) [1].',
    }));
    const client = createClient(llmApp());
    const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody('chat-links', 'How do I set a cookie?')));
    const expected = 'See the page, [cookies](/guides/cookies/#delete-a-cookie), [MDN](https://developer.mozilla.org/) [1].';
    expect(textOf(await assemble(chunks))).toBe(expected);
    const id = (chunks[0] as { messageId: string }).messageId;
    const [row] = await database.db.select().from(messages).where(eq(messages.id, id));
    expect(row!.content).toBe(expected);
  });

  it('removes a reference definition that would send a citation to another URL, and keeps the citation', async () => {
    stub.setReply(() => ({ text: 'Set it with setCookie [1].\n\n[1]: https://evil.example.com/phish\n' }));
    const client = createClient(llmApp());
    const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody('chat-definition', 'How do I set a cookie?')));
    const text = textOf(await assemble(chunks));
    expect(text).not.toContain('evil.example.com');
    expect(text.trim()).toBe('Set it with setCookie [1].');
  });
});

describe('POST /api/chat answering paths', () => {
  let database: TestDatabase;
  let stub: OpenAIStub;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    stub = await startOpenAIStub(() => ({ text: 'should not be called' }));
  });
  afterAll(async () => {
    await stub?.close();
    await database?.close();
  });
  const llmConfig = () => loadConfig({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' });

  it('abstains without calling the model when no source reaches the threshold, suggesting the closest pages', async () => {
    const client = createClient(createApp({ database, config: llmConfig(), embedder, siteDir: false }));
    const before = stub.requests.length;
    const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody('abstain', 'quantum chromodynamics lattice gauge')));
    expect(stub.requests.length).toBe(before);
    expect(chunks.filter((c) => c.type === 'source-url')).toEqual([]);
    const data = chunks.find((c) => c.type === 'data-sources') as { data: { retrieval: string; sources: unknown[] } };
    expect(data.data).toMatchObject({ retrieval: 'none', sources: [] });
    const text = textOf(await assemble(chunks));
    expect(text).toContain('could not find this in the documentation');
    const id = (chunks[0] as { messageId: string }).messageId;
    const [row] = await database.db.select().from(messages).where(eq(messages.id, id));
    expect(row).toMatchObject({ status: 'complete', model: null });
  });

  it("sends ANSWER_INSTRUCTIONS to the model after Docent's rules, with or without retrieval", async () => {
    const instructions = 'The product is called Acme Web. Answer in the language of the question.';
    const config = loadConfig({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model', ANSWER_INSTRUCTIONS: instructions });
    const client = createClient(createApp({ database, config, embedder, siteDir: false }));
    stub.setReply(() => ({ text: 'Use setCookie [1].' }));
    await readChunks(await client.json('/api/chat', 'POST', chatBody('instructed', 'How do I set a cookie?')));
    const { system } = stub.requests.at(-1)!;
    expect(system).toContain(instructions);
    expect(system.indexOf(instructions)).toBeGreaterThan(system.indexOf('Cite every statement'));
    expect(system.indexOf(instructions)).toBeLessThan(system.indexOf('[1] Cookies'));

    expect((await client.json('/api/settings', 'PUT', { ...DEFAULT_RETRIEVAL_SETTINGS, enabled: false })).status).toBe(200);
    await readChunks(await client.json('/api/chat', 'POST', chatBody('instructed-off', 'How do I set a cookie?')));
    expect(stub.requests.at(-1)!.system).toContain('turned documentation search');
    expect(stub.requests.at(-1)!.system).toContain(instructions);
  });

  it('with CHAT_CONTEXT_TOKENS, fits the rules, the best sources and the newest turns into the window, and shows only the sources sent', async () => {
    const config = loadConfig({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model', CHAT_CONTEXT_TOKENS: '2048' });
    const client = createClient(createApp({ database, config, embedder, siteDir: false }));
    expect((await client.json('/api/settings', 'PUT', { ...DEFAULT_RETRIEVAL_SETTINGS, maxResults: 20, minScore: 0 })).status).toBe(200);
    // Long earlier answers, so the chat alone would fill a small window.
    stub.setReply((req) => (req.stream ? { text: `Cookies are set with setCookie [1]. ${'More detail. '.repeat(150)}` } : { text: 'How do I delete a cookie?' }));
    for (const q of ['How do I set a cookie?', 'And how do I read it back?']) await readChunks(await client.json('/api/chat', 'POST', chatBody('budget', q)));
    stub.setReply((req) => (req.stream ? { text: 'Use deleteCookie [1].' } : { text: 'How do I delete a cookie?' }));
    const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody('budget', 'And how do I remove it?')));
    const request = stub.requests.filter((r) => r.stream).at(-1)!;
    const chars = request.messages.reduce((n, m) => n + String(m.content).length, 0);
    // About 3 characters a token, with room left for the 1,200-token answer.
    expect(chars / 3).toBeLessThanOrEqual(2_048 - 1_200);
    expect(request.system).toContain('Rules:');
    expect(request.lastUser).toBe('And how do I remove it?');
    const sent = [...request.system.matchAll(/^\[(\d+)\] /gm)].map((m) => Number(m[1]));
    const shown = chunks.filter((c) => c.type === 'source-url');
    expect(sent.length).toBeGreaterThan(0);
    expect(shown.length).toBe(sent.length);
    expect(request.system).toContain(`Only the numbers 1 to ${sent.length} exist`);
  });

  it('answers extractively, labelled and cited, when no model is configured', async () => {
    const client = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
    const before = stub.requests.length;
    const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody('extract', 'How do I set a cookie?')));
    expect(stub.requests.length).toBe(before);
    const text = textOf(await assemble(chunks));
    expect(text).toMatch(/^_Extracted from the documentation/);
    expect(text).toContain('> Use setCookie(c, "name", "value") to set a cookie on the response. [1]');
    expect(text).toContain('```ts\nsetCookie(c, "session", token, { httpOnly: true })\n```');
    const id = (chunks[0] as { messageId: string }).messageId;
    const [row] = await database.db.select().from(messages).where(eq(messages.id, id));
    expect(row).toMatchObject({ status: 'complete', model: 'extractive' });
    expect(row!.citations!.valid).toContain(1);
    expect(row!.citations!.invalid).toEqual([]);
  });

  it('without a model, builds follow-ups on the previous retrieval query and searches a standalone question as asked', async () => {
    const client = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
    const queryOf = async (question: string) => {
      const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody('extract-chain', question)));
      return (chunks.find((c) => c.type === 'data-sources') as { data: { query: string } }).data.query;
    };
    expect(await queryOf('How do I set a cookie?')).toBe('How do I set a cookie?');
    expect(await queryOf('and how do I delete it?')).toBe('How do I set a cookie? and how do I delete it?');
    expect(await queryOf('What about its options?')).toBe('How do I set a cookie? and how do I delete it? What about its options?');
    expect(await queryOf('What is Hono?')).toBe('What is Hono?');
  });

  it('regenerate-message answers the same question again; the chat then shows only the new answer', async () => {
    const client = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
    const body = chatBody('regen', 'How do I set a cookie?', 'regen-q1');
    const first = (await readChunks(await client.json('/api/chat', 'POST', body)))[0] as { messageId: string };
    const again = await readChunks(await client.json('/api/chat', 'POST', { ...body, trigger: 'regenerate-message' }));
    const second = again[0] as { messageId: string };
    expect(second.messageId).not.toBe(first.messageId);

    const chat = await (await client.request('/api/chats/regen')).json();
    expect(chat.messages.map((m: { role: string; id: string }) => [m.role, m.role === 'assistant' ? m.id : ''])).toEqual([
      ['user', ''],
      ['assistant', second.messageId],
    ]);
    // The first answer is kept (with its sources) for the review page.
    const [old] = await database.db.select().from(messages).where(eq(messages.id, first.messageId));
    expect(old).toMatchObject({ status: 'complete' });
    const questions = await database.db.select().from(messages).where(eq(messages.clientMessageId, 'regen-q1'));
    expect(questions).toHaveLength(1);
  });

  it('regenerate-message from a client that sends no message ids answers the last question again, not as a new one', async () => {
    const client = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
    const body = (text: string, trigger: string) => ({ id: 'regen-no-ids', messages: [{ role: 'user', parts: [{ type: 'text', text }] }], trigger });
    const ask = async (text: string, trigger: string) => ((await readChunks(await client.json('/api/chat', 'POST', body(text, trigger))))[0] as { messageId: string }).messageId;
    const shown = async () =>
      ((await (await client.request('/api/chats/regen-no-ids')).json()).messages as { role: string; id: string; content: string }[]).map((m) =>
        m.role === 'assistant' ? m.id : m.content,
      );
    await ask('How do I set a cookie?', 'submit-message');
    const again = await ask('How do I set a cookie?', 'regenerate-message');
    expect(await shown()).toEqual(['How do I set a cookie?', again]);
    const chatId = (await (await client.request('/api/chats/regen-no-ids')).json()).id as string;
    const stored = await database.db.select().from(messages).where(eq(messages.chatId, chatId));
    expect(stored.filter((m) => m.role === 'user')).toHaveLength(1); // the question is not stored twice
    expect(stored.filter((m) => m.role === 'assistant')).toHaveLength(2); // the first answer is kept for the review page

    // Asked again with submit-message, the same words are a new question; a regenerate with other
    // words than the last question's is one too.
    const repeat = await ask('How do I set a cookie?', 'submit-message');
    const other = await ask('How do I delete a cookie?', 'regenerate-message');
    expect(await shown()).toEqual(['How do I set a cookie?', again, 'How do I set a cookie?', repeat, 'How do I delete a cookie?', other]);
  });

  it("messageId (useChat's regenerate({ messageId })) names the answer written again: a message of another chat or question gets a 4xx", async () => {
    const client = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
    const q1 = { id: 'named-q1', role: 'user', parts: [{ type: 'text', text: 'How do I set a cookie?' }] };
    const q2 = { id: 'named-q2', role: 'user', parts: [{ type: 'text', text: 'How do I delete a cookie?' }] };
    const send = async (body: Record<string, unknown>) => client.json('/api/chat', 'POST', { id: 'named', ...body });
    const answerId = async (res: Response) => {
      expect(res.status).toBe(200);
      return ((await readChunks(res))[0] as { messageId: string }).messageId;
    };
    const asAnswer = (id: string) => ({ id, role: 'assistant', parts: [{ type: 'text', text: '…' }] });
    const shown = async (chat = 'named') =>
      ((await (await client.request(`/api/chats/${chat}`)).json()).messages as { role: string; id: string; content: string }[]).map((m) =>
        m.role === 'assistant' ? m.id : m.content,
      );
    const a1 = await answerId(await send({ messages: [q1], trigger: 'submit-message' }));
    const a2 = await answerId(await send({ messages: [q1, asAnswer(a1), q2], trigger: 'submit-message' }));
    const stored = async () => (await database.db.select({ id: messages.id }).from(messages)).length;
    const before = await stored();

    // Refused, with nothing stored: a message this chat does not have (another reader's answer
    // included), the answer of another question, and an answer named by a submit (an edit names its question).
    const other = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
    const othersAnswer = await answerId(await other.json('/api/chat', 'POST', chatBody('named', 'How do I set a cookie?')));
    for (const [messageId, body, status, code, message] of [
      ['no-such-message', { messages: [q1, asAnswer(a1), q2], trigger: 'regenerate-message' }, 404, 'message_not_found', /^messageId "no-such-message" is not a message of this chat/],
      [othersAnswer, { messages: [q1, asAnswer(a1), q2], trigger: 'regenerate-message' }, 404, 'message_not_found', /is not a message of this chat/],
      [a1, { messages: [q1, asAnswer(a1), q2], trigger: 'regenerate-message' }, 400, 'invalid_body', /names an answer to another question than the last message: send the messages up to the question it answers/],
      ['named-q1', { messages: [q1, asAnswer(a1), q2], trigger: 'regenerate-message' }, 400, 'invalid_body', /names another question than the last message/],
      [a2, { messages: [q1, asAnswer(a1), q2], trigger: 'submit-message' }, 400, 'invalid_body', /names an answer, not the question the last message edits/],
    ] as const) {
      const res = await send({ ...body, messageId });
      expect(res.status, messageId).toBe(status);
      const error = (await res.json()).error;
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    }
    expect(await stored()).toBe(before + 2); // the other reader's turn only
    expect(await shown()).toEqual(['How do I set a cookie?', a1, 'How do I delete a cookie?', a2]);

    // As useChat sends it: the messages up to the question, and the answer named.
    const again = await answerId(await send({ messages: [q1, asAnswer(a1), q2], trigger: 'regenerate-message', messageId: a2 }));
    expect(await shown()).toEqual(['How do I set a cookie?', a1, 'How do I delete a cookie?', again]);

    // A client whose messages carry no ids: the answer named says which question is answered
    // again, an earlier one too (and what followed it is dropped, as the client does).
    const bare = (m: typeof q1) => ({ role: m.role, parts: m.parts });
    const b1 = await answerId(await send({ id: 'named-bare', messages: [bare(q1)], trigger: 'submit-message' }));
    await answerId(await send({ id: 'named-bare', messages: [bare(q1), asAnswer(b1), bare(q2)], trigger: 'submit-message' }));
    const b1again = await answerId(await send({ id: 'named-bare', messages: [bare(q1)], trigger: 'regenerate-message', messageId: b1 }));
    expect(await shown('named-bare')).toEqual(['How do I set a cookie?', b1again]);
  });

  it('a question stopped before its turn began, arriving after it was asked again, records nothing: the chat keeps the new answer', async () => {
    const client = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
    const body = chatBody('stopped-late', 'How do I set a cookie?', 'stopped-late-q1');
    // The reader stopped the first request and pressed Regenerate: the regenerate got here first.
    const regenerated = (await readChunks(await client.json('/api/chat', 'POST', { ...body, trigger: 'regenerate-message' })))[0] as { messageId: string };
    const before = await database.db.select({ id: messages.id }).from(messages);
    // Then the first request, its reader gone.
    const gone = new AbortController();
    gone.abort();
    const late = await client.request('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: gone.signal,
    });
    expect(late.status).toBe(409);
    expect((await late.json()).error.code).toBe('question_stopped');
    expect(await database.db.select({ id: messages.id }).from(messages)).toHaveLength(before.length);
    const chat = await (await client.request('/api/chats/stopped-late')).json();
    expect(chat.messages.map((m: { role: string; id: string; status: string }) => [m.role, m.role === 'assistant' ? m.id : '', m.status])).toEqual([
      ['user', '', 'complete'],
      ['assistant', regenerated.messageId, 'complete'],
    ]);
  });

  it('a question the database fails to store gets 500 and leaves no chat behind', async () => {
    const client = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
    await database.db.execute(sql`alter table messages add constraint test_refuses_question check (content <> 'Refused question')`);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await client.json('/api/chat', 'POST', chatBody('refused', 'Refused question'));
      expect(res.status).toBe(500);
      expect((await res.json()).error.code).toBe('internal_error');
    } finally {
      errors.mockRestore();
      await database.db.execute(sql`alter table messages drop constraint test_refuses_question`);
    }
    expect((await (await client.request('/api/chats')).json()).chats).toEqual([]);
    expect((await client.request('/api/chats/refused')).status).toBe(404);
  });

  it('records an aborted answer when the client goes away mid-stream', async () => {
    stub.setReply(() => ({ text: Array.from({ length: 40 }, (_, i) => `word${i} `), chunkDelayMs: 25 }));
    const app = createApp({ database, config: llmConfig(), embedder, siteDir: false });
    const controller = new AbortController();
    const res = await app.request('http://localhost/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatBody('abort', 'How do I set a cookie?')),
      signal: controller.signal,
    });
    const messageId = res.headers.get('x-docent-message-id')!;
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('word2')) seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    await reader.cancel();
    let row;
    for (let i = 0; i < 100; i++) {
      [row] = await database.db.select().from(messages).where(eq(messages.id, messageId));
      if (row!.status !== 'streaming') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(row!.status).toBe('aborted');
    expect(row!.content).toContain('word0');
    expect(row!.content).not.toContain('word39');
  });

  describe('a failed answer tells the reader what kind of failure, never hosts, URLs or keys', () => {
    const KEY = 'ollama-secret-key-5678';
    const failAndRead = async (env: Record<string, string>, config: Config = loadConfig(env)) => {
      const logged: string[] = [];
      const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
      try {
        const client = createClient(createApp({ database, config, embedder, siteDir: false }));
        const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody(`fail-${Math.random()}`, 'How do I set a cookie?')));
        const errorPart = chunks.find((c) => c.type === 'error') as { errorText: string };
        const chat = await (await client.request(`/api/chats/${(chunks[0] as { messageMetadata: { chatId: string } }).messageMetadata.chatId}`)).json();
        const answer = chat.messages.find((m: { role: string }) => m.role === 'assistant');
        const retryable = chunks.some((c) => c.type === 'message-metadata' && (c as { messageMetadata: { retryable?: boolean } }).messageMetadata.retryable === false)
          ? false
          : undefined;
        return { errorText: errorPart.errorText, stored: answer.error as string, status: answer.status, content: answer.content as string, log: logged.join('\n'), retryable, reopened: chat.messages.at(-1).metadata?.retryable as boolean | undefined };
      } finally {
        spy.mockRestore();
      }
    };

    it('an HTTP error from the provider: status and kind for the reader, the details (redacted) in the log', async () => {
      stub.setReply(() => ({
        text: '',
        status: 401,
        errorMessage: `Incorrect API key ${KEY} (also sk-proj-abcdef123456) at http://llm-gw.internal.example:8443/v1?api_key=q-secret-99`,
      }));
      const { errorText, stored, status, log, retryable, reopened } = await failAndRead({ OPENAI_BASE_URL: stub.url, OPENAI_API_KEY: KEY, CHAT_MODEL: 'stub-model' });
      expect(status).toBe('error');
      // A refused key does not pass on a retry: the reader is told so, and offered no Retry (now or when the chat is reopened).
      for (const text of [errorText, stored]) {
        expect(text).toBe(
          'The language model could not answer: HTTP 401 (not authorized: check the API key). Trying again will not help until the site’s operator fixes the server’s configuration.',
        );
      }
      expect([retryable, reopened]).toEqual([false, false]);
      expect(log).toContain('llm-gw.internal.example');
      expect(log).toContain('401');
      for (const secret of [KEY, 'sk-proj-abcdef123456', 'q-secret-99']) expect(log).not.toContain(secret);
    });

    it.each([
      ['OpenRouter’s error chunk with finish_reason "error"', 'error-chunk', 'stub: provider disconnected'],
      ['an error object in the stream (Ollama, OpenAI)', 'error-event', 'stub: the model crashed'],
    ] as const)('a failure the model server reports mid-answer (%s): status error, the partial answer kept, its message in the log', async (_, failWith, serverText) => {
      stub.setReply(() => ({ text: ['Use ', 'setCookie ', '[1] ', 'and then ', 'more.'], failAfterChunks: 3, failWith }));
      const { errorText, stored, status, content, log } = await failAndRead({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' });
      expect(status).toBe('error');
      expect(content.trim()).toBe('Use setCookie [1]');
      for (const text of [errorText, stored]) {
        expect(text).toBe('The language model could not answer: the model server failed while answering. Please try again.');
      }
      expect(log).toContain(serverText);
    });

    it('a prompt too long for the model’s context window (vLLM’s 400): the reader is told so, the log has the server’s own words', async () => {
      stub.setReply(() => ({
        text: '',
        status: 400,
        // vLLM's error body, which is not OpenAI's {"error":{"message"}}.
        errorBody: {
          object: 'error',
          message: "This model's maximum context length is 4096 tokens. However, you requested 5321 tokens (4121 in the messages, 1200 in the completion).",
          type: 'BadRequestError',
          param: null,
          code: 400,
        },
      }));
      const { errorText, stored, status, log } = await failAndRead({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' });
      expect(status).toBe('error');
      for (const text of [errorText, stored]) {
        expect(text).toBe(
          'The language model could not answer: HTTP 400 (the question and its sources are too long for the model: lower the maximum results in the settings). Please try again.',
        );
      }
      expect(log).toContain("maximum context length is 4096 tokens");
    });

    it('a chunk that is not valid JSON is told as an invalid response', async () => {
      stub.setReply(() => ({ text: ['Use ', 'setCookie ', '[1] '], failAfterChunks: 2, failWith: 'invalid-json' }));
      const { errorText, status } = await failAndRead({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' });
      expect(status).toBe('error');
      expect(errorText).toBe('The language model could not answer: the model server sent an invalid response. Please try again.');
    });

    it('a base URL with credentials: neither the reader nor the log sees them', async () => {
      const url = new URL(stub.url);
      url.username = 'docent';
      url.password = 'hunter2-password';
      // The configuration refuses such a URL (fetch cannot send it); the answer path still never shows it.
      expect(() => loadConfig({ OPENAI_BASE_URL: url.toString() })).toThrow(/OPENAI_BASE_URL: remove the user name and password from the URL/);
      const config = loadConfig({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' });
      const { errorText, stored, log } = await failAndRead({}, { ...config, llm: { ...config.llm, baseURL: url.toString() } });
      for (const text of [errorText, stored]) {
        expect(text).toMatch(/^The language model could not answer: /);
        expect(text).not.toContain(url.host);
      }
      expect(log).not.toContain('hunter2-password');
      expect(log).toContain('[docent] answering failed');
    });

    it('an answer the database refuses to store: the log shows the database’s error, not the answer or its sources', async () => {
      stub.setReply(() => ({ text: 'Refused answer: call setCookie [1].' }));
      await database.db.execute(sql`alter table messages add constraint test_refuses_answer check (position('Refused answer' in content) = 0)`);
      try {
        const { errorText, log } = await failAndRead({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' });
        expect(errorText).toBe('The answer failed on the server. Please try again.');
        expect(log).toContain('[docent] answering failed: DrizzleQueryError: Failed query: update "messages"');
        expect(log).toContain('violates check constraint "test_refuses_answer"');
        for (const readerText of ['Refused answer', 'setCookie', 'params:']) expect(log).not.toContain(readerText);
      } finally {
        await database.db.execute(sql`alter table messages drop constraint test_refuses_answer`);
      }
    });

    it('an answer stored before, with the provider’s raw text as its error, is read back as the kind of failure only', async () => {
      const client = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
      const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody('old-error', 'How do I set a cookie?')));
      const { chatId, messageId } = (chunks[0] as { messageMetadata: { chatId: string; messageId: string } }).messageMetadata;
      const readBack = async (status: 'error' | 'aborted', error: string) => {
        // Written the way Docent stored failed answers before (the provider's message as it came).
        await database.db.update(messages).set({ status, error }).where(eq(messages.id, messageId));
        const chat = await (await client.request(`/api/chats/${chatId}`)).json();
        return chat.messages.find((m: { id: string }) => m.id === messageId).error as string;
      };
      const raw = 'HTTP 401: Incorrect API key provided: sk-proj-abcdef123456 (http://llm-gw.internal.example:8443/v1?api_key=q-secret-99)';
      const stored = await readBack('error', raw);
      expect(stored).toBe(
        'The language model could not answer: HTTP 401 (not authorized: check the API key). Trying again will not help until the site’s operator fixes the server’s configuration.',
      );
      // Told before with the ending of a failure that passes: read back with today's.
      expect(await readBack('error', 'The language model could not answer: HTTP 404 (model or endpoint not found). Please try again.')).toBe(
        'The language model could not answer: HTTP 404 (model or endpoint not found). Trying again will not help until the site’s operator fixes the server’s configuration.',
      );
      expect(await readBack('error', 'Cannot connect to API: connect ECONNREFUSED 10.0.0.7:11434')).toBe(
        'The language model could not answer: the connection to the model server failed. Please try again.',
      );
      expect(await readBack('error', 'password authentication failed for user "docent" (db.internal:5432)')).toBe(
        'The answer failed on the server. Please try again.',
      );
      // What Docent stores now is read back as it is.
      for (const [status, error] of [
        ['error', 'The language model could not answer: HTTP 429 (rate limited or out of quota). Please try again.'],
        ['error', 'The language model could not answer: timed out. Please try again.'],
        ['aborted', 'The client went away before the answer was complete.'],
        ['aborted', 'The server stopped while this answer was being written.'],
      ] as const) {
        expect(await readBack(status, error)).toBe(error);
      }
    });
  });

  describe('limits questions per visitor (429 with Retry-After)', () => {
    // app.request() has no socket: the test's peer address comes from a header only it sets.
    const limitedApp = (env: Record<string, string> = {}) =>
      createApp({
        database,
        config: loadConfig(env),
        embedder,
        siteDir: false,
        chatRateLimit: { max: 2, windowMs: 60_000 },
        peerAddress: (c) => c.req.header('x-test-peer'),
      });
    const ask = (app: ReturnType<typeof createApp>, peer: string, forwardedFor?: string) =>
      app.request('/api/chat', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-test-peer': peer,
          ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
        },
        body: JSON.stringify(chatBody(`limit-${peer}-${forwardedFor ?? ''}`, 'How do I set a cookie?')),
      });

    it('keys a visitor without a cookie on the TCP peer address, ignoring a spoofed X-Forwarded-For', async () => {
      const app = limitedApp();
      expect((await ask(app, '203.0.113.7', '10.0.0.1')).status).toBe(200);
      expect((await ask(app, '203.0.113.7', '10.0.0.2')).status).toBe(200);
      const limited = await ask(app, '203.0.113.7', '10.0.0.3');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await limited.json()).error.code).toBe('too_many_requests');
      expect((await ask(app, '198.51.100.1')).status).toBe(200);
    });

    it('with TRUST_PROXY, keys on the X-Forwarded-For entry the trusted proxy wrote', async () => {
      const app = limitedApp({ TRUST_PROXY: '1' });
      const proxy = '10.0.0.9';
      // The client prepends whatever it likes; nginx appends the address it saw.
      expect((await ask(app, proxy, 'spoof-1, 203.0.113.7')).status).toBe(200);
      expect((await ask(app, proxy, 'spoof-2, 203.0.113.7')).status).toBe(200);
      expect((await ask(app, proxy, '203.0.113.7')).status).toBe(429);
      // Another reader behind the same proxy has a limit of their own.
      expect((await ask(app, proxy, 'spoof-1, 198.51.100.1')).status).toBe(200);
    });

    it('with TRUST_PROXY=2, skips the entry the nearest proxy appended', async () => {
      const app = limitedApp({ TRUST_PROXY: '2' });
      expect((await ask(app, '10.0.0.9', 'spoof-1, 203.0.113.8, 10.1.0.1')).status).toBe(200);
      expect((await ask(app, '10.0.0.9', 'spoof-2, 203.0.113.8, 10.1.0.2')).status).toBe(200);
      expect((await ask(app, '10.0.0.9', '203.0.113.8, 10.1.0.3')).status).toBe(429);
    });
  });

  describe('bad bodies get 400 with a clear message', () => {
    const cases: [string, unknown, RegExp][] = [
      ['not JSON', '{"id":', /not valid JSON/],
      ['no chat id', { messages: [{ id: 'a', role: 'user', parts: [{ type: 'text', text: 'hi' }] }] }, /id \(the chat id\)/],
      ['messages not an array', { id: 'x', messages: 'hi' }, /messages: messages must be an array/],
      ['last message not from the user', { id: 'x', messages: [{ id: 'a', role: 'assistant', parts: [{ type: 'text', text: 'hi' }] }] }, /last message must be the user/],
      ['no text', { id: 'x', messages: [{ id: 'a', role: 'user', parts: [{ type: 'file', url: 'x' }] }] }, /no text/],
      ['question too long', { id: 'x', messages: [{ id: 'a', role: 'user', parts: [{ type: 'text', text: 'a'.repeat(4001) }] }] }, /limit is 4000/],
      ['unknown role', { id: 'x', messages: [{ id: 'a', role: 'robot', parts: [] }] }, /role must be/],
    ];
    it.each(cases)('%s', async (_name, body, message) => {
      const client = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
      const res = await client.json('/api/chat', 'POST', body);
      expect(res.status).toBe(400);
      const json = await res.json();
      expect(json.error.code).toMatch(/^invalid_/);
      expect(json.error.message).toMatch(message);
      expect(client.cookie).toBeUndefined();
    });

    it('refuses a body over the size limit (413)', async () => {
      const app = createApp({ database, config: loadConfig({}), embedder, siteDir: false, maxBodyBytes: 1000 });
      const body = JSON.stringify(chatBody('big', 'x'.repeat(2000)));
      const res = await app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length) }, body });
      expect(res.status).toBe(413);
      expect((await res.json()).error.code).toBe('payload_too_large');
    });

    it('refuses a body that is not JSON-typed (415)', async () => {
      const app = createApp({ database, config: loadConfig({}), embedder, siteDir: false });
      const res = await app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
      expect(res.status).toBe(415);
      expect((await res.json()).error.code).toBe('unsupported_media_type');
    });
  });

  it('reads a body once: the route answers the request the body check read (up to 1 MiB, not parsed twice)', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    const check = vi.spyOn(chatRequestSchema, 'safeParse');
    try {
      const client = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
      const body = JSON.stringify(chatBody('read-once', 'How do I set a cookie?'));
      const res = await client.json('/api/chat', 'POST', body);
      expect(res.status).toBe(200);
      expect(parse.mock.calls.filter(([text]) => text === body)).toHaveLength(1);
      expect(check).toHaveBeenCalledTimes(1);
      await res.text();
    } finally {
      parse.mockRestore();
      check.mockRestore();
    }
  });
});
