/**
 * A small client for the Docent REST API used by the widget and the review page. Every request
 * carries the visitor's session cookie (`credentials: 'include'`, which also works for the
 * standalone widget on another origin when CORS allows it). Error bodies
 * `{"error":{"code","message"}}` become {@link ApiRequestError}s with the server's message.
 *
 * Responses are normalised here, so the components see one shape.
 */
import { sendInTurn } from './first-write';
import { normalizeSources } from './sources';
import type { ChatSummary, DocentMessage, Feedback, RetrievalSettings, SourceInfo, SourceOption } from './types';

export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What `fetch` says (in a TypeError) when the server cannot be reached or the connection drops.
 * Chromium: "Failed to fetch", or "network error" when the connection drops mid-answer;
 * Firefox: "NetworkError when attempting to fetch resource."; Safari: "Load failed".
 */
const NETWORK_FAILURE = /failed to fetch|network ?error|load failed/i;

/** Whether `error` is `fetch`'s own error for a server it could not reach or a connection that dropped, in any browser. */
export function isNetworkFailure(error: unknown): error is TypeError {
  return error instanceof TypeError && NETWORK_FAILURE.test(error.message);
}

const UNREACHABLE = 'Could not reach the Docent server. Check your connection and try again.';

/**
 * Turns an error thrown by `fetch`, the API or the chat stream into a sentence for the user.
 * `serverBase` is the Docent server's origin when the widget runs on another site: a browser
 * reports a request its CORS rules refused as an unreachable server, so the sentence then names
 * the setting too.
 */
export function describeError(error: unknown, serverBase = ''): string {
  if (error instanceof ApiRequestError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  // useChat's transport throws the response body as the message: unwrap Docent's JSON errors.
  const apiError = parseApiError(message);
  if (apiError) return apiError.message;
  // Any error with fetch's message: the chat stream passes a dropped connection on as text (transport.ts).
  if (NETWORK_FAILURE.test(message)) {
    return isOtherOrigin(serverBase)
      ? `${UNREACHABLE} (If you run this site: the Docent server must list ${globalThis.location.origin} in CORS_ORIGINS.)`
      : UNREACHABLE;
  }
  // A body that is not Docent's (a proxy's or web server's HTML page) is never shown as it is.
  if (/^\s*</.test(message)) return 'The Docent server answered with an error page instead of an answer. Try again in a moment.';
  return message || 'Something went wrong.';
}

/**
 * What the reader is told about an error response that is not Docent's JSON error: a proxy's
 * "502 Bad Gateway" page while Docent restarts, or a web server's 404 page.
 */
export function httpErrorMessage(status: number, statusText = ''): string {
  const answer = `The Docent server answered ${status}${statusText ? ` ${statusText}` : ''}`;
  return status >= 500 ? `${answer}: it may be restarting or overloaded. Try again in a moment.` : `${answer}.`;
}

/** The `{ error: { code, message } }` of a Docent JSON error body, or `undefined` for any other text. */
export function parseApiError(text: string): { code: string | undefined; message: string } | undefined {
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof error?.message !== 'string') return undefined;
    return { code: typeof error.code === 'string' ? error.code : undefined, message: error.message };
  } catch {
    return undefined;
  }
}

/** Whether `url` (absolute, or relative to this page) is on another origin than this page. */
export function isOtherOrigin(url: string): boolean {
  const here = globalThis.location?.origin;
  if (!url || !here || here === 'null') return false;
  try {
    return new URL(url, here).origin !== here;
  } catch {
    return false;
  }
}

export interface DocentApi {
  readonly base: string;
  url(path: string): string;
  request<T>(path: string, init?: RequestInit): Promise<T>;
  /** {@link request} for a write that may create the visitor's user (an admin login): sent in turn with the others (first-write.ts). */
  requestInTurn<T>(path: string, init?: RequestInit): Promise<T>;
  getSettings(): Promise<RetrievalSettings>;
  putSettings(settings: RetrievalSettings): Promise<RetrievalSettings>;
  getSources(): Promise<SourceOption[]>;
  listChats(): Promise<ChatSummary[]>;
  getChat(id: string): Promise<{ chat: ChatSummary; messages: DocentMessage[] }>;
  deleteChat(id: string): Promise<void>;
  sendFeedback(messageId: string, feedback: Feedback): Promise<void>;
}

/** `base` is the Docent server's origin (`''` for same-origin relative `/api/...`). */
export function createDocentApi(base = ''): DocentApi {
  const root = base.replace(/\/+$/, '');
  const url = (path: string) => `${root}${path}`;

  /** `inTurn`: the request may create the visitor's user, so it waits its turn (first-write.ts). */
  async function send<T>(path: string, init: RequestInit = {}, inTurn = false): Promise<T> {
    return (await exchange<T>(path, init, inTurn)).body;
  }

  /** {@link send}, with the response's `ETag` (its quotes kept). */
  async function exchange<T>(path: string, init: RequestInit = {}, inTurn = false): Promise<{ body: T; etag: string | undefined }> {
    const headers = new Headers(init.headers);
    if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
    headers.set('accept', 'application/json');
    const go = () => fetch(url(path), { ...init, headers, credentials: 'include' });
    const response = await (inTurn ? sendInTurn(root, go) : go());
    const text = await response.text();
    if (!response.ok) {
      const error = parseApiError(text);
      throw new ApiRequestError(
        response.status,
        error?.code ?? `http_${response.status}`,
        error?.message ?? httpErrorMessage(response.status, response.statusText),
      );
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { body: body as T, etag: response.headers.get('etag') ?? undefined };
  }

  /** Settings from a response, with its `ETag` as their version (a server without one: none). */
  const versioned = ({ body, etag }: { body: unknown; etag: string | undefined }): RetrievalSettings => ({
    ...normalizeSettings(body),
    ...(etag ? { version: etag } : {}),
  });

  const request = <T>(path: string, init?: RequestInit) => send<T>(path, init);
  const requestInTurn = <T>(path: string, init?: RequestInit) => send<T>(path, init, true);

  return {
    base: root,
    url,
    request,
    requestInTurn,
    async getSettings() {
      return versioned(await exchange<unknown>('/api/settings'));
    },
    async putSettings({ unmatched: _unmatched, version, ...settings }) {
      // Saved only over the version they were made from: a save from another tab meanwhile is not overwritten (409).
      const headers: Record<string, string> = version ? { 'if-match': version } : {};
      return versioned(await exchange<unknown>('/api/settings', { method: 'PUT', headers, body: JSON.stringify(settings) }, true));
    },
    async getSources() {
      return normalizeSourceOptions(await request<unknown>('/api/sources'));
    },
    async listChats() {
      const body = await request<unknown>('/api/chats');
      const list = Array.isArray(body) ? body : ((body as { chats?: unknown[] } | undefined)?.chats ?? []);
      return list.map(normalizeChatSummary).filter((c): c is ChatSummary => c !== undefined);
    },
    async getChat(id) {
      const body = await request<Record<string, unknown>>(`/api/chats/${encodeURIComponent(id)}`);
      const chat = normalizeChatSummary(body.chat ?? body) ?? { id, clientChatId: id, title: 'Chat', updatedAt: undefined };
      const raw = (Array.isArray(body.messages) ? body.messages : ((body.chat as { messages?: unknown[] })?.messages ?? [])) as unknown[];
      return { chat, messages: raw.map((m) => messageFromServer(m, chat.id)).filter((m): m is DocentMessage => m !== undefined) };
    },
    async deleteChat(id) {
      await request<unknown>(`/api/chats/${encodeURIComponent(id)}`, { method: 'DELETE' });
    },
    async sendFeedback(messageId, feedback) {
      // Rating and comment are always sent: the server keeps a field that is left out, so an
      // omitted (cleared) comment would stay stored while the widget says "Saved".
      const body = { vote: feedback.vote, rating: feedback.rating ?? null, comment: feedback.comment?.trim() || null };
      await request<unknown>(`/api/messages/${encodeURIComponent(messageId)}/feedback`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
    },
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

export function normalizeSettings(value: unknown): RetrievalSettings {
  const v = asRecord(asRecord(value).settings ?? value);
  return {
    enabled: v.enabled !== false,
    maxResults: typeof v.maxResults === 'number' ? v.maxResults : 5,
    minScore: typeof v.minScore === 'number' ? v.minScore : 0,
    preferredSources: strings(v.preferredSources),
    excludedSources: strings(v.excludedSources),
    ...(Array.isArray(v.unmatched) ? { unmatched: strings(v.unmatched) } : {}),
  };
}

/**
 * `GET /api/sources` → options. Accepts a list of names, or objects with a `name` (or `source`,
 * `value`, `path`), optional `label`/`title`, `documents`/`count`, and nested `folders`/`paths`.
 */
export function normalizeSourceOptions(value: unknown): SourceOption[] {
  const list = Array.isArray(value) ? value : (asRecord(value).sources as unknown[] | undefined) ?? [];
  const out: SourceOption[] = [];
  const seen = new Set<string>();
  const add = (option: SourceOption) => {
    if (!option.value || seen.has(option.value)) return;
    seen.add(option.value);
    out.push(option);
  };
  for (const item of list) {
    if (typeof item === 'string') {
      add({ value: item, label: item, kind: item.includes('/') || item.includes('.') ? 'folder' : 'source' });
      continue;
    }
    const r = asRecord(item);
    const value = str(r.name) ?? str(r.source) ?? str(r.value) ?? str(r.path) ?? str(r.id);
    if (!value) continue;
    const documents = typeof r.documents === 'number' ? r.documents : typeof r.count === 'number' ? r.count : undefined;
    const kind = r.kind === 'folder' || r.kind === 'document' ? r.kind : r.path && !r.name ? 'folder' : 'source';
    add({ value, label: str(r.label) ?? str(r.title) ?? value, kind, ...(documents !== undefined ? { documents } : {}) });
    for (const sub of [...((r.folders as unknown[]) ?? []), ...((r.paths as unknown[]) ?? [])]) {
      const sr = asRecord(sub);
      const subValue = typeof sub === 'string' ? sub : (str(sr.path) ?? str(sr.value) ?? str(sr.name));
      if (!subValue) continue;
      const subDocs = typeof sr.documents === 'number' ? sr.documents : typeof sr.count === 'number' ? sr.count : undefined;
      add({
        value: subValue,
        label: str(sr.label) ?? str(sr.title) ?? subValue,
        kind: subValue.endsWith('/') ? 'folder' : 'document',
        ...(subDocs !== undefined ? { documents: subDocs } : {}),
      });
    }
  }
  return out;
}

function normalizeChatSummary(value: unknown): ChatSummary | undefined {
  const r = asRecord(value);
  const id = str(r.id);
  if (!id) return undefined;
  return {
    id,
    clientChatId: str(r.clientId) ?? str(r.clientChatId) ?? id,
    title: str(r.title) || 'Untitled chat',
    updatedAt: str(r.updatedAt) ?? str(r.createdAt),
  };
}

/** A stored message (`GET /api/chats/:id`) as the chat client renders it. */
export function messageFromServer(value: unknown, chatId: string): DocentMessage | undefined {
  const r = asRecord(value);
  const role = r.role;
  if (role !== 'user' && role !== 'assistant') return undefined;
  const serverId = str(r.id);
  const content = str(r.content) ?? '';
  const storedParts = Array.isArray(r.parts) ? (r.parts as DocentMessage['parts']) : [];
  const parts: DocentMessage['parts'] = storedParts.some((p) => p.type === 'text')
    ? storedParts
    : [...storedParts, { type: 'text', text: content }];
  const sources: SourceInfo[] = normalizeSources(r.sources);
  if (sources.length && !parts.some((p) => p.type === 'data-sources')) parts.unshift({ type: 'data-sources', data: sources });
  const feedback = asRecord(r.feedback);
  const failedWith = r.status === 'error' ? str(r.error) : undefined;
  return {
    id: str(r.clientId) ?? str(r.clientMessageId) ?? serverId ?? `m-${Math.random().toString(36).slice(2)}`,
    role,
    parts,
    metadata: {
      chatId,
      ...(serverId ? { messageId: serverId } : {}),
      ...(str(r.status) ? { status: str(r.status) } : {}),
      ...(failedWith ? { error: failedWith } : {}),
      ...(asRecord(r.metadata).retryable === false ? { retryable: false } : {}),
      feedback:
        feedback.vote === 'up' || feedback.vote === 'down'
          ? {
              vote: feedback.vote,
              rating: typeof feedback.rating === 'number' ? feedback.rating : null,
              comment: str(feedback.comment) ?? null,
            }
          : null,
    },
  };
}
