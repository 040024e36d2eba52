/**
 * A local OpenAI-compatible server for tests: `POST /v1/chat/completions`, streamed (SSE chunks
 * as OpenAI sends them, usage in the last chunk) or not. Each request is recorded; `reply` decides
 * the answer and can make the stream fail part-way (socket destroyed, an error event, or a body
 * that ends without a finish reason). The text is sent as given, NUL and lone surrogates included.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  model: string;
  stream: boolean;
  messages: { role: string; content: unknown }[];
  /** The system prompt, if any. */
  system: string;
  /** The last user message's text. */
  lastUser: string;
  body: Record<string, unknown>;
}

export interface StubReply {
  /** The answer, as one string or as the chunks to stream. */
  text: string | string[];
  /** Stream this many chunks, then fail. */
  failAfterChunks?: number;
  /**
   * How to fail: destroy the socket (default); send an error event (`{"error":{…}}`, as OpenAI
   * and Ollama do); send OpenRouter's error chunk (an `error` object beside
   * `finish_reason: "error"`, then `[DONE]`); or send a chunk cut in the middle of its JSON.
   */
  failWith?: 'disconnect' | 'error-event' | 'error-chunk' | 'invalid-json';
  /**
   * End the response cleanly after the chunks, with no `finish_reason`, usage or `data: [DONE]`
   * (as a proxy that closes a response at its timeout does).
   */
  endWithoutFinish?: boolean;
  /** The stream's `finish_reason`. Default `stop`. */
  finishReason?: string;
  /** Send a `tool_calls` delta (a call of a `lookup` function) after the text. */
  toolCall?: boolean;
  /** Delay before each chunk, ms. Default 0. */
  chunkDelayMs?: number;
  /** Answer with this HTTP status and an OpenAI error body instead. */
  status?: number;
  /** The error body's message with `status`. Default `stub failure`. */
  errorMessage?: string;
  /** The error body with `status`, as sent, instead of OpenAI's `{"error":{"message"}}` (vLLM's `{"object":"error",…}`). */
  errorBody?: unknown;
  /** Response headers sent with `status` (`retry-after`, `retry-after-ms`). */
  headers?: Record<string, string>;
  /** Send no `usage` in the stream (as Ollama and some proxies do). */
  omitUsage?: boolean;
}

export interface OpenAIStub {
  /** Base URL to use as `OPENAI_BASE_URL` (ends with `/v1`). */
  url: string;
  requests: StubRequest[];
  /** How many streamed replies were cut short because the client closed the connection (it stopped reading the answer). */
  readonly streamsCutByClient: number;
  /** Replaces how requests are answered. */
  setReply(reply: (request: StubRequest) => StubReply): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const textOf = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((p: { text?: string }) => p.text ?? '').join('')
      : '';

export async function startOpenAIStub(reply: (request: StubRequest) => StubReply = () => ({ text: 'OK' })): Promise<OpenAIStub> {
  let current = reply;
  const requests: StubRequest[] = [];
  let streamsCutByClient = 0;
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    const messages = (body.messages ?? []) as { role: string; content: unknown }[];
    const request: StubRequest = {
      model: String(body.model),
      stream: body.stream === true,
      messages,
      system: messages.filter((m) => m.role === 'system').map((m) => textOf(m.content)).join('\n'),
      lastUser: textOf([...messages].reverse().find((m) => m.role === 'user')?.content),
      body,
    };
    requests.push(request);
    const r = current(request);
    if (r.status) {
      res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
      res.end(JSON.stringify(r.errorBody ?? { error: { message: r.errorMessage ?? 'stub failure', type: 'server_error', code: null } }));
      return;
    }
    const chunks = Array.isArray(r.text) ? r.text : r.text.match(/\S+\s*|\s+/g) ?? [''];
    const full = chunks.join('');
    const usage = { prompt_tokens: 42, completion_tokens: chunks.length, total_tokens: 42 + chunks.length };
    const base = { id: 'chatcmpl-stub', created: Math.floor(Date.now() / 1000), model: request.model };
    if (!request.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          ...base,
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: full }, finish_reason: 'stop' }],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (data: unknown) => res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
    chunk({ role: 'assistant', content: '' });
    for (let i = 0; i < chunks.length; i++) {
      if (r.failAfterChunks !== undefined && i === r.failAfterChunks) {
        if (r.failWith === 'error-event') {
          send({ error: { message: 'stub: the model crashed', type: 'server_error', code: 'stub_crash' } });
          res.end();
        } else if (r.failWith === 'error-chunk') {
          send({
            ...base,
            object: 'chat.completion.chunk',
            error: { code: 'server_error', message: 'stub: provider disconnected' },
            choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
          });
          send('[DONE]');
          res.end();
        } else if (r.failWith === 'invalid-json') {
          res.write('data: {"id":"chatcmpl-stub","choices":[{"index":0,"delta":{"content":"cut\n\n');
          chunk({}, 'stop');
          send('[DONE]');
          res.end();
        } else {
          // Let the chunks already written reach the client, then drop the connection.
          await new Promise((resolve) => setTimeout(resolve, 50));
          res.destroy();
        }
        return;
      }
      if (r.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, r.chunkDelayMs));
      if (res.destroyed) {
        streamsCutByClient++;
        return;
      }
      chunk({ content: chunks[i] });
    }
    if (r.endWithoutFinish) {
      res.end();
      return;
    }
    if (r.toolCall) {
      chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"port"}' } }] });
    }
    chunk({}, r.finishReason ?? 'stop');
    if (!r.omitUsage) send({ ...base, object: 'chat.completion.chunk', choices: [], usage });
    send('[DONE]');
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get streamsCutByClient() {
      return streamsCutByClient;
    },
    setReply(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
