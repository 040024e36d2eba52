/**
 * A stand-in Docent server for the site's browser tests: it speaks the API contract of issue 4
 * (the same endpoints, JSON shapes and UI message stream parts the real server sends, built with
 * the AI SDK's own `createUIMessageStream`) over a docs folder held in memory, and serves a built
 * site. It lets the widget and the review page be tested in a real browser without the database,
 * an embedder or an LLM. It is a test double, not Docent: the end-to-end suite
 * (`test/e2e.*.test.ts`) runs the same journeys against the real server.
 *
 * Retrieval here (the chat's and `GET /api/search`'s) is a plain word-overlap score (0–1) honouring the user's settings; answers
 * cite `[1]`, `[2]` and one number that matches no source (`[9]`), which must stay plain text.
 * Questions containing "fail" break mid-stream; "slow" streams slowly (for the Stop button).
 * Settings have versions as on the real server (`ETag`, `If-Match` on `PUT` and `DELETE` refused
 * with 409 `settings_changed` when stale: test/contract-server.settings.test.ts checks both alike).
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { createUIMessageStream, createUIMessageStreamResponse, type UIMessageChunk } from 'ai';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { canonicalTimeZone } from '../../server/feedback/review';
import { ApiError } from '../../server/http/errors';
import { ifMatchVersion, SETTINGS_CHANGED_MESSAGE } from '../../server/http/routes/settings';
import { DEFAULT_RETRIEVAL_SETTINGS, retrievalSettingsSchema, type RetrievalSettings } from '../../server/retrieval/settings';
import { DEFAULT_SETTINGS_VERSION } from '../../server/retrieval/user-settings';
import type { FixtureDoc } from './fixture-docs';
import { listenOnFreePort } from './listen';

export interface ContractSource {
  rank: number;
  score: number;
  source: string;
  path: string;
  title: string;
  heading: string;
  headings: string[];
  anchor: string;
  url: string;
  snippet: string;
}

interface StoredMessage {
  id: string;
  clientId: string | null;
  role: 'user' | 'assistant';
  content: string;
  parts: unknown[];
  status: 'complete' | 'error' | 'aborted' | 'streaming';
  createdAt: string;
  retrievalSettings: RetrievalSettings | null;
  sources: (ContractSource & { cited: boolean })[];
}

interface StoredChat {
  id: string;
  clientId: string;
  userId: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  messages: StoredMessage[];
}

export interface StoredFeedback {
  id: string;
  userId: string;
  messageId: string;
  vote: 'up' | 'down';
  rating: number | null;
  comment: string | null;
  createdAt: string;
  /** When the vote, rating or comment last changed (as the real server: the same feedback again is no change). */
  updatedAt: string;
}

export interface ContractServer {
  url: string;
  /** Everything the server holds, for assertions. */
  state: {
    chats: Map<string, StoredChat>;
    feedback: StoredFeedback[];
    settings: Map<string, RetrievalSettings>;
    requests: { method: string; path: string; body?: unknown }[];
    evalCases: unknown[];
  };
  /** Makes the next `n` chat requests fail with a 503 JSON error before streaming. */
  failNextChats(n: number): void;
  /**
   * Makes the next `n` answers stop after a few words and end the stream normally, without the
   * `finish` part: what a proxy closing the response mid-answer looks like to the browser.
   */
  cutNextChats(n: number): void;
  /** Makes the next `n` answers stop after a few words and drop the connection: a network failure mid-answer. */
  dropNextChats(n: number): void;
  close(): Promise<void>;
}

export interface ContractServerOptions {
  /** The built site to serve (Astro's output folder). */
  siteDir: string;
  docs: FixtureDoc[];
  adminToken: string;
  /** Where "export as eval case" appends JSONL. */
  evalFile: string;
  /** Origins allowed to call the API cross-origin (the standalone widget). Default: none. */
  corsOrigins?: string[];
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const error = (c: Context, status: 400 | 401 | 403 | 404 | 409 | 503, code: string, message: string) =>
  c.json({ error: { code, message } }, status);

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g)?.filter((w) => w.length > 2) ?? [];
}

export async function startContractServer(options: ContractServerOptions): Promise<ContractServer> {
  const siteDir = resolve(options.siteDir);
  const sections = options.docs.flatMap((doc) =>
    // Link targets are not words of the text.
    doc.sections.map((s) => ({ doc, section: s, words: new Set(words(`${doc.title} ${s.headings.join(' ')} ${s.text.replace(/\]\([^)]*\)/g, ']')}`)) })),
  );
  const users = new Map<string, { id: string; admin: boolean }>();
  const state: ContractServer['state'] = { chats: new Map(), feedback: [], settings: new Map(), requests: [], evalCases: [] };
  let failChats = 0;
  let cutChats = 0;
  let dropChats = 0;
  const cors = new Set(options.corsOrigins ?? []);

  const app = new Hono<{ Variables: { userId: string } }>();

  app.use('/api/*', async (c, next) => {
    const origin = c.req.header('origin');
    if (origin && cors.has(origin)) {
      if (c.req.method === 'OPTIONS') {
        return new Response(null, {
          status: 204,
          headers: {
            'access-control-allow-origin': origin,
            'access-control-allow-credentials': 'true',
            'access-control-allow-methods': 'GET,POST,PUT,DELETE',
            'access-control-allow-headers': 'content-type, if-match',
          },
        });
      }
    }
    let token = getCookie(c, 'docent_session');
    if (!token || !users.has(token)) {
      token = randomUUID();
      users.set(token, { id: randomUUID(), admin: false });
      setCookie(c, 'docent_session', token, { httpOnly: true, sameSite: origin && cors.has(origin) ? 'None' : 'Lax', path: '/', secure: Boolean(origin && cors.has(origin)) });
    }
    c.set('userId', users.get(token)!.id);
    let body: unknown;
    if (c.req.header('content-type')?.includes('json')) body = await c.req.raw.clone().json().catch(() => undefined);
    state.requests.push({ method: c.req.method, path: c.req.path, body });
    await next();
    if (origin && cors.has(origin)) {
      c.res.headers.set('access-control-allow-origin', origin);
      c.res.headers.set('access-control-allow-credentials', 'true');
      c.res.headers.set('access-control-expose-headers', 'etag');
    }
  });

  const isAdmin = (c: Context) => {
    const token = getCookie(c, 'docent_session');
    return Boolean(token && users.get(token)?.admin);
  };
  const settingsOf = (userId: string) => state.settings.get(userId) ?? { ...DEFAULT_RETRIEVAL_SETTINGS };
  const settingsVersions = new Map<string, string>();
  let lastVersion = 0n;

  app.get('/api/health', (c) => c.json({ status: 'ok' }));

  // Versions as the real server's: `ETag` on every answer (`"0"`: the defaults), `If-Match` on
  // PUT and DELETE honoured (409 `settings_changed` with the current `ETag` when stale).
  const versionOf = (userId: string) => settingsVersions.get(userId) ?? DEFAULT_SETTINGS_VERSION;
  const tagged = (c: Context, version: string) => c.header('ETag', `"${version}"`);
  /** The version `If-Match` asks for (`undefined`: none, or `*`), or the 400 answer to a malformed one. */
  const askedVersion = (c: Context): { version: string | undefined } | Response => {
    try {
      return { version: ifMatchVersion(c.req.header('if-match')) };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return error(c, 400, e.code, e.message);
    }
  };
  /** The 409 answer when the settings are no longer at the version asked for. */
  const staleAnswer = (c: Context, userId: string, asked: string | undefined): Response | undefined => {
    if (asked === undefined || asked === versionOf(userId)) return undefined;
    tagged(c, versionOf(userId));
    return error(c, 409, 'settings_changed', SETTINGS_CHANGED_MESSAGE);
  };
  app.get('/api/settings', (c) => {
    tagged(c, versionOf(c.get('userId')));
    return c.json(settingsOf(c.get('userId')));
  });
  app.put('/api/settings', async (c) => {
    const userId = c.get('userId');
    const asked = askedVersion(c);
    if (asked instanceof Response) return asked;
    const parsed = retrievalSettingsSchema.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return error(c, 400, 'invalid_body', `Invalid settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const stale = staleAnswer(c, userId, asked.version);
    if (stale) return stale;
    state.settings.set(userId, parsed.data);
    // Every save moves the version forward, also two within one microsecond.
    lastVersion = [BigInt(Date.now()) * 1000n, lastVersion + 1n].reduce((a, b) => (a > b ? a : b));
    settingsVersions.set(userId, String(lastVersion));
    tagged(c, versionOf(userId));
    return c.json(parsed.data);
  });
  app.delete('/api/settings', (c) => {
    const userId = c.get('userId');
    const asked = askedVersion(c);
    if (asked instanceof Response) return asked;
    const stale = staleAnswer(c, userId, asked.version);
    if (stale) return stale;
    state.settings.delete(userId);
    settingsVersions.delete(userId);
    tagged(c, DEFAULT_SETTINGS_VERSION);
    return c.json(settingsOf(userId));
  });
  app.get('/api/sources', (c) => {
    const folders = new Map<string, number>();
    for (const doc of options.docs) {
      const top = doc.path.includes('/') ? `${doc.path.split('/')[0]}/` : undefined;
      if (top) folders.set(top, (folders.get(top) ?? 0) + 1);
    }
    return c.json({
      sources: [{ name: 'docs', documents: options.docs.length, folders: [...folders].map(([path, documents]) => ({ path, documents })) }],
    });
  });

  const retrieve = (question: string, settings: RetrievalSettings): ContractSource[] => {
    if (!settings.enabled) return [];
    const q = new Set(words(question));
    const matches = (list: string[], path: string) => list.some((s) => s === 'docs' || path.startsWith(s.replace(/^\/+/, '')));
    const scored = sections
      .filter((s) => !matches(settings.excludedSources, s.doc.path))
      .map((s) => {
        const hits = [...q].filter((w) => s.words.has(w)).length;
        // Word-overlap share, scaled so the default threshold (0.45) admits what 0.3 admitted
        // before the real score was calibrated: this stand-in only has to exercise the contract.
        let score = q.size ? Math.min(1, (1.5 * hits) / q.size) : 0;
        if (matches(settings.preferredSources, s.doc.path)) score = Math.min(1, score * 1.2);
        return { ...s, score: Math.round(score * 1000) / 1000 };
      })
      .filter((s) => s.score > 0 && s.score >= settings.minScore)
      .sort((a, b) => b.score - a.score)
      .slice(0, settings.maxResults);
    return scored.map((s, i) => ({
      rank: i + 1,
      score: s.score,
      source: 'docs',
      path: s.doc.path,
      title: s.doc.title,
      heading: s.section.heading,
      headings: s.section.headings,
      anchor: s.section.anchor,
      url: s.section.anchor ? `${s.doc.url}#${s.section.anchor}` : s.doc.url,
      snippet: s.section.text.replace(/\s+/g, ' ').slice(0, 200),
    }));
  };

  app.post('/api/chat', async (c) => {
    const body = (await c.req.json().catch(() => null)) as {
      id?: unknown;
      messages?: { id?: string; role?: string; parts?: { type: string; text?: string }[] }[];
    } | null;
    if (!body || typeof body.id !== 'string' || !Array.isArray(body.messages) || body.messages.length === 0) {
      return error(c, 400, 'invalid_body', 'Invalid request body: expected { id, messages: [...] }.');
    }
    const last = body.messages.at(-1)!;
    const question = (last.parts ?? []).filter((p) => p.type === 'text').map((p) => p.text ?? '').join('\n').trim();
    if (last.role !== 'user' || !question) return error(c, 400, 'invalid_body', 'Invalid request body: the last message must be the user’s question.');
    // As the real server (server/http/routes/chat.ts, MAX_QUESTION_CHARS).
    if (question.length > 4000) return error(c, 400, 'invalid_body', `Invalid request body: the question is ${question.length} characters; the limit is 4000.`);
    for (const m of body.messages) {
      if (m.parts?.some((p) => p.type !== 'text')) return error(c, 400, 'invalid_body', 'Only text parts are expected from the widget.');
    }
    if (failChats > 0) {
      failChats--;
      return error(c, 503, 'unavailable', 'The answer service is busy. Try again in a moment.');
    }
    const userId = c.get('userId');
    let chat = [...state.chats.values()].find((ch) => ch.userId === userId && ch.clientId === body.id);
    const now = new Date().toISOString();
    if (!chat) {
      chat = { id: randomUUID(), clientId: body.id, userId, title: question.slice(0, 80), createdAt: now, updatedAt: now, messages: [] };
      state.chats.set(chat.id, chat);
    }
    chat.updatedAt = now;
    // A retry (regenerate) resends the same question: replace the failed answer, not the question.
    const lastUser = chat.messages.findLast((m) => m.role === 'user');
    const retry = lastUser && last.id && lastUser.clientId === last.id;
    if (retry) chat.messages.splice(chat.messages.indexOf(lastUser) + 1);
    if (!retry) chat.messages.push({
      id: randomUUID(),
      clientId: last.id ?? null,
      role: 'user',
      content: question,
      parts: [{ type: 'text', text: question }],
      status: 'complete',
      createdAt: now,
      retrievalSettings: null,
      sources: [],
    });
    const settings = settingsOf(userId);
    const sources = retrieve(question, settings);
    const assistant: StoredMessage = {
      id: randomUUID(),
      clientId: null,
      role: 'assistant',
      content: '',
      parts: [],
      status: 'streaming',
      createdAt: new Date(Date.now() + 1).toISOString(),
      retrievalSettings: settings,
      sources: sources.map((s) => ({ ...s, cited: s.rank <= 2 })),
    };
    chat.messages.push(assistant);
    const metadata = { chatId: chat.id, messageId: assistant.id };
    const slow = /\bslow\b/i.test(question);
    const fail = /\bfail\b/i.test(question);
    const cut = cutChats > 0;
    if (cut) cutChats--;
    const drop = !cut && dropChats > 0;
    if (drop) dropChats--;
    const socket = (c.env as { incoming?: { socket: { destroy(): void } } }).incoming?.socket;
    const cited = sources.slice(0, 2);
    const answer = !settings.enabled
      ? 'Searching the docs is off in your settings, so this answer uses no documents.'
      : sources.length === 0
        ? 'I could not find anything about that in the docs.'
        : [
            `According to **${cited[0]!.title}**, the section _${cited[0]!.heading || cited[0]!.title}_ covers this [1].`,
            cited[1] ? `See also ${cited[1].title} [2].` : '',
            'An invalid citation [9] stays plain text.',
            '',
            '```ts',
            "app.get('/user/:name', (c) => c.text('hi'))",
            '```',
            '',
            '<img src=x onerror="window.__xss = true"> <script>window.__xss = true</script>',
          ].join('\n');
    const chunks = slow ? answer.split(/(?<=\s)/).flatMap((w) => [w]) : answer.match(/[\s\S]{1,12}/g) ?? [];

    const stream = createUIMessageStream({
      onError: (e) => (e instanceof Error ? e.message : String(e)),
      execute: async ({ writer }) => {
        const write = (part: UIMessageChunk) => writer.write(part);
        write({ type: 'start', messageId: assistant.id, messageMetadata: metadata });
        for (const s of sources) {
          const part = {
            type: 'source-url' as const,
            sourceId: `s${s.rank}`,
            url: s.url,
            title: s.heading ? `${s.title} › ${s.heading}` : s.title,
            providerMetadata: { docent: { rank: s.rank, score: s.score, path: s.path, heading: s.heading, source: s.source } },
          };
          write(part);
          assistant.parts.push(part);
        }
        const data = { sources, query: question, retrieval: !settings.enabled ? 'disabled' : sources.length ? 'found' : 'none' };
        write({ type: 'data-sources', id: 'sources', data });
        assistant.parts.push({ type: 'data-sources', id: 'sources', data });
        write({ type: 'text-start', id: 't1' });
        let i = 0;
        try {
          for (const delta of chunks) {
            if (c.req.raw.signal.aborted) throw new Error('aborted');
            write({ type: 'text-delta', id: 't1', delta });
            assistant.content += delta;
            i++;
            if (fail && i === 4) throw new Error('The language model stopped answering. Try again.');
            if (drop && i === 4) {
              await sleep(50); // let the words written so far reach the browser
              socket?.destroy();
            }
            if (cut && i === 4) {
              // The server finished its side (stored as complete); the response just ends here.
              assistant.parts.push({ type: 'text', text: assistant.content, state: 'done' });
              assistant.status = 'complete';
              return;
            }
            await sleep(slow ? 120 : 8);
          }
          write({ type: 'text-end', id: 't1' });
          assistant.parts.push({ type: 'text', text: assistant.content, state: 'done' });
          assistant.status = 'complete';
          write({ type: 'finish', messageMetadata: { ...metadata, status: 'complete' } });
        } catch (e) {
          assistant.status = c.req.raw.signal.aborted ? 'aborted' : 'error';
          assistant.parts.push({ type: 'text', text: assistant.content, state: 'done' });
          throw e;
        }
      },
    });
    const response = createUIMessageStreamResponse({ stream });
    // Through `c`, so the session cookie set by the middleware goes out with the stream.
    for (const [name, value] of response.headers) c.header(name, value);
    return c.body(response.body as ReadableStream, 200);
  });

  // As the real server (server/http/routes/search.ts): the chat's retrieval with the reader's
  // settings, retrieval on, at most `k` results, each a section with its whole text.
  app.get('/api/search', (c) => {
    const q = c.req.query('q')?.trim() ?? '';
    if (!q) return error(c, 400, 'invalid_query', 'Invalid query parameters: q (the question) is required');
    const k = c.req.query('k') === undefined ? undefined : Number(c.req.query('k'));
    if (k !== undefined && !(Number.isInteger(k) && k >= 1 && k <= 50)) return error(c, 400, 'invalid_query', 'Invalid query parameters: k must be a whole number from 1 to 50');
    const settings = settingsOf(c.get('userId'));
    const found = retrieve(q, { ...settings, enabled: true, maxResults: k ?? settings.maxResults });
    const textOf = (path: string, anchor: string) => options.docs.find((d) => d.path === path)?.sections.find((s) => s.anchor === anchor)?.text ?? '';
    return c.json({
      results: found.map(({ rank, score, path, title, headings, anchor, url }) => ({ rank, score, path, title, headings, anchor, url, text: textOf(path, anchor) })),
    });
  });

  const ownChat = (c: Context<{ Variables: { userId: string } }>) => {
    const id = c.req.param('id');
    const chat = [...state.chats.values()].find((ch) => (ch.id === id || ch.clientId === id) && ch.userId === c.get('userId'));
    return chat;
  };

  app.get('/api/chats', (c) => {
    const list = [...state.chats.values()]
      .filter((ch) => ch.userId === c.get('userId'))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      .map(({ id, clientId, title, createdAt, updatedAt, messages }) => ({ id, clientId, title, createdAt, updatedAt, messageCount: messages.length }));
    return c.json({ chats: list });
  });
  app.get('/api/chats/:id', (c) => {
    const chat = ownChat(c);
    if (!chat) return error(c, 404, 'not_found', 'No such chat among your chats.');
    return c.json({
      id: chat.id,
      clientId: chat.clientId,
      title: chat.title,
      createdAt: chat.createdAt,
      updatedAt: chat.updatedAt,
      messages: chat.messages.map((m) => {
        const f = state.feedback.find((x) => x.messageId === m.id && x.userId === c.get('userId'));
        return {
          id: m.id,
          clientId: m.clientId,
          role: m.role,
          content: m.content,
          parts: m.parts,
          metadata: { chatId: chat.id, messageId: m.id },
          status: m.status,
          createdAt: m.createdAt,
          retrievalSettings: m.retrievalSettings,
          sources: m.sources,
          feedback: f ? { vote: f.vote, rating: f.rating, comment: f.comment, updatedAt: f.updatedAt } : null,
        };
      }),
    });
  });
  app.delete('/api/chats/:id', (c) => {
    const chat = ownChat(c);
    if (!chat) return error(c, 404, 'not_found', 'No such chat among your chats.');
    state.chats.delete(chat.id);
    return c.json({ deleted: true, id: chat.id });
  });

  app.post('/api/messages/:id/feedback', async (c) => {
    const id = c.req.param('id');
    const body = (await c.req.json().catch(() => null)) as { vote?: unknown; rating?: unknown; comment?: unknown } | null;
    if (!body || (body.vote !== 'up' && body.vote !== 'down')) return error(c, 400, 'invalid_body', 'vote must be "up" or "down".');
    if (body.rating !== undefined && body.rating !== null && (typeof body.rating !== 'number' || body.rating < 1 || body.rating > 5)) return error(c, 400, 'invalid_body', 'rating must be 1–5.');
    const answer = [...state.chats.values()].filter((ch) => ch.userId === c.get('userId')).flatMap((ch) => ch.messages).find((m) => m.id === id && m.role === 'assistant');
    if (!answer) return error(c, 404, 'not_found', 'No such answer among your messages.');
    // As the real server: an answer still being written cannot be rated yet.
    if (answer.status === 'streaming') return error(c, 409, 'answer_not_finished', 'That answer is still being written: rate it once it is complete.');
    if (answer.status === 'error') return error(c, 409, 'answer_failed', 'That answer failed before its end, so it cannot be rated: ask the question again, and rate the new answer.');
    const existing = state.feedback.find((f) => f.messageId === id && f.userId === c.get('userId'));
    const next: StoredFeedback = {
      id: existing?.id ?? randomUUID(),
      userId: c.get('userId'),
      messageId: id,
      vote: body.vote,
      // As the real server (server/feedback/store.ts): a field left out keeps its stored value,
      // null (or an empty comment) clears it.
      rating: body.rating === undefined ? (existing?.rating ?? null) : typeof body.rating === 'number' ? body.rating : null,
      comment: body.comment === undefined ? (existing?.comment ?? null) : typeof body.comment === 'string' && body.comment.trim() ? body.comment.trim() : null,
      createdAt: existing?.createdAt ?? new Date().toISOString(),
      updatedAt: existing?.updatedAt ?? new Date().toISOString(),
    };
    if (existing && (existing.vote !== next.vote || existing.rating !== next.rating || existing.comment !== next.comment)) next.updatedAt = new Date().toISOString();
    if (existing) Object.assign(existing, next);
    else state.feedback.push(next);
    return c.json({ feedback: next }, existing ? 200 : 201);
  });

  // Review ------------------------------------------------------------------------------------
  app.get('/api/admin/session', (c) => c.json({ configured: true, admin: isAdmin(c) }));
  app.post('/api/admin/login', async (c) => {
    const body = (await c.req.json().catch(() => null)) as { token?: unknown } | null;
    if (body?.token !== options.adminToken) return error(c, 401, 'invalid_token', 'That is not this server’s ADMIN_TOKEN.');
    users.get(getCookie(c, 'docent_session')!)!.admin = true;
    return c.json({ admin: true });
  });
  app.post('/api/admin/logout', (c) => {
    const user = users.get(getCookie(c, 'docent_session') ?? '');
    if (user) user.admin = false;
    return c.json({ admin: false });
  });

  // As the real server: a source's page or section may be gone from the docs since the answer.
  const pageIndexed = (path: string) => options.docs.some((d) => d.path === path);
  const sectionIndexed = (path: string, anchor: string) => !anchor || options.docs.some((d) => d.path === path && d.sections.some((s) => s.anchor === anchor));
  const reviewRows = (c: Context) => {
    const q = c.req.query();
    const from = q.from ? Date.parse(q.from) : -Infinity;
    // A bare date is that whole UTC day, as on the real server.
    const to = q.to ? Date.parse(q.to) + (/^\d{4}-\d{2}-\d{2}$/.test(q.to) ? 86_400_000 : 1) : Infinity;
    return state.feedback
      .map((f) => {
        const chat = [...state.chats.values()].find((ch) => ch.messages.some((m) => m.id === f.messageId))!;
        const index = chat.messages.findIndex((m) => m.id === f.messageId);
        const m = chat.messages[index]!;
        return {
          feedbackId: f.id,
          messageId: m.id,
          chatId: chat.id,
          vote: f.vote,
          rating: f.rating,
          comment: f.comment,
          createdAt: f.createdAt,
          updatedAt: f.updatedAt,
          question: chat.messages[index - 1]?.content ?? '',
          answer: m.content,
          status: m.status,
          model: null,
          latencyMs: 1200,
          retrievalSettings: m.retrievalSettings,
          retrievalQuery: chat.messages[index - 1]?.content ?? null,
          citations: { valid: [1, 2], invalid: [9] },
          answeredAt: m.createdAt,
          sources: m.sources.map(({ rank, score, cited, source, path, title, heading, anchor, url }) => ({
            rank,
            score,
            cited,
            source,
            path,
            title,
            heading,
            url,
            pageRemoved: !pageIndexed(path),
            sectionRemoved: pageIndexed(path) && !sectionIndexed(path, anchor),
          })),
        };
      })
      .filter((r) => !q.vote || r.vote === q.vote)
      .filter((r) => !q.rating || r.rating === Number(q.rating))
      .filter((r) => !q.hasComment || (q.hasComment === 'true') === Boolean(r.comment))
      .filter((r) => !q.source || r.sources.some((s) => s.path.startsWith(q.source!)))
      .filter((r) => Date.parse(r.updatedAt) >= from && Date.parse(r.updatedAt) < to)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  };
  app.use('/api/review/*', async (c, next) => (isAdmin(c) ? next() : error(c, 401, 'unauthorized', 'Log in with the admin token.')));
  app.get('/api/review/feedback', (c) => {
    const rows = reviewRows(c);
    const limit = Number(c.req.query('limit') ?? 50);
    // A cursor names the last row of the page before (the real server's is opaque too).
    const cursor = c.req.query('cursor');
    const offset = cursor === undefined ? Number(c.req.query('offset') ?? 0) : rows.findIndex((r) => r.feedbackId === cursor) + 1;
    const items = rows.slice(offset, offset + limit);
    const nextCursor = offset + limit < rows.length ? items.at(-1)!.feedbackId : null;
    return c.json({ items, total: rows.length, limit, offset, nextCursor });
  });
  app.get('/api/review/feedback.csv', (c) => {
    const rows = reviewRows(c);
    const csv = ['created_at,vote,rating,question,comment', ...rows.map((r) => [r.createdAt, r.vote, r.rating ?? '', JSON.stringify(r.question), JSON.stringify(r.comment ?? '')].join(','))].join('\n');
    return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="docent-feedback.csv"' });
  });
  app.get('/api/review/stats', (c) => {
    const rows = reviewRows(c);
    const up = rows.filter((r) => r.vote === 'up').length;
    const rated = rows.filter((r) => r.rating !== null);
    // As the real server: weeks start on Monday at midnight in the `timeZone` asked for (default UTC).
    const timeZone = c.req.query('timeZone') === undefined ? 'UTC' : canonicalTimeZone(c.req.query('timeZone')!);
    if (!timeZone) return error(c, 400, 'invalid_query', 'Invalid query parameters: timeZone must be an IANA time zone name such as "Europe/Paris" or "UTC"');
    const week = (iso: string) => {
      const localDay = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
      const d = new Date(`${localDay}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
      return d.toISOString().slice(0, 10);
    };
    const weeks = new Map<string, typeof rows>();
    for (const r of rows) weeks.set(week(r.updatedAt), [...(weeks.get(week(r.updatedAt)) ?? []), r]);
    const docs = new Map<string, { path: string; title: string; cited: number; retrieved: number; pageRemoved: boolean }>();
    for (const r of rows.filter((x) => x.vote === 'down')) {
      for (const s of r.sources) {
        const d = docs.get(s.path) ?? { path: s.path, title: s.title, cited: 0, retrieved: 0, pageRemoved: s.pageRemoved };
        d.retrieved++;
        if (s.cited) d.cited++;
        docs.set(s.path, d);
      }
    }
    return c.json({
      totals: {
        feedback: rows.length,
        up,
        down: rows.length - up,
        // Rounded to 3 decimals, as on the real server.
        positiveRate: rows.length ? Math.round((up / rows.length) * 1000) / 1000 : null,
        withComment: rows.filter((r) => r.comment).length,
        rated: rated.length,
        averageRating: rated.length ? rated.reduce((a, r) => a + r.rating!, 0) / rated.length : null,
        ratings: Object.fromEntries([1, 2, 3, 4, 5].map((n) => [String(n), rated.filter((r) => r.rating === n).length])),
        answers: [...state.chats.values()].reduce((a, ch) => a + ch.messages.filter((m) => m.role === 'assistant').length, 0),
      },
      weekly: [...weeks].sort().map(([w, list]) => {
        const u = list.filter((r) => r.vote === 'up').length;
        const rr = list.filter((r) => r.rating !== null);
        return {
          week: w,
          feedback: list.length,
          up: u,
          down: list.length - u,
          positiveRate: u / list.length,
          averageRating: rr.length ? rr.reduce((a, r) => a + r.rating!, 0) / rr.length : null,
        };
      }),
      downvotedDocuments: [...docs.values()].sort((a, b) => b.cited - a.cited || b.retrieved - a.retrieved),
    });
  });
  app.post('/api/review/eval-cases', async (c) => {
    const body = (await c.req.json().catch(() => null)) as { messageId?: string; question?: string; gold?: { path: string; heading: string }[] } | null;
    if (!body?.messageId || !body.question || !Array.isArray(body.gold) || body.gold.length === 0) {
      return error(c, 400, 'invalid_body', 'Expected { messageId, question, gold: [{ path, heading }] }.');
    }
    const evalCase = { id: `review-${body.messageId.slice(0, 8)}`, question: body.question, gold: body.gold };
    appendFileSync(options.evalFile, `${JSON.stringify(evalCase)}\n`);
    state.evalCases.push(evalCase);
    return c.json({ id: evalCase.id, file: options.evalFile, case: evalCase }, 201);
  });

  // Docs pages may live under /api/ too (an `api/` folder is common: Hono's docs have one). Page
  // URLs end with "/", API routes never do: a GET the API has no route for is a page, if one exists.
  app.all('/api/*', (c) => {
    if ((c.req.method === 'GET' || c.req.method === 'HEAD') && existsSync(join(siteDir, decodeURIComponent(c.req.path), 'index.html'))) return sendPage(c);
    return error(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`);
  });

  // The built site --------------------------------------------------------------------------------
  const sendPage = (c: Context) => {
    let path = decodeURIComponent(c.req.path);
    if (path.endsWith('/')) path += 'index.html';
    let file = join(siteDir, path);
    if (!file.startsWith(siteDir)) return c.text('Forbidden', 403);
    if (existsSync(file) && statSync(file).isDirectory()) return c.redirect(`${c.req.path}/`, 308);
    let status: 200 | 404 = 200;
    if (!existsSync(file)) {
      file = join(siteDir, '404.html');
      status = 404;
    }
    const body = Readable.toWeb(createReadStream(file)) as ReadableStream;
    return new Response(body, { status, headers: { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' } });
  };
  app.get('*', sendPage);

  const server = await listenOnFreePort(app.fetch);
  return {
    url: server.url,
    state,
    failNextChats: (n) => {
      failChats = n;
    },
    cutNextChats: (n) => {
      cutChats = n;
    },
    dropNextChats: (n) => {
      dropChats = n;
    },
    close: server.close,
  };
}
