/** The widget's chat transport (site/src/chat/transport.ts): a stream must end with `finish`. */
import { Chat } from '@ai-sdk/react';
import type { UIMessageChunk } from 'ai';
import { describe, expect, it } from 'vitest';
import { describeError } from '../site/src/chat/api';
import { DocentChatTransport, endOnDroppedConnection, INCOMPLETE_ANSWER_MESSAGE, requireFinish } from '../site/src/chat/transport';
import type { DocentMessage } from '../site/src/chat/types';

async function through(chunks: UIMessageChunk[], end: 'close' | Error = 'close'): Promise<{ chunks: UIMessageChunk[]; error?: unknown }> {
  const source = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      if (end === 'close') controller.close();
      else controller.error(end);
    },
  });
  const out: UIMessageChunk[] = [];
  try {
    for await (const c of source.pipeThrough(requireFinish()) as unknown as AsyncIterable<UIMessageChunk>) out.push(c);
  } catch (error) {
    return { chunks: out, error };
  }
  return { chunks: out };
}

const answer: UIMessageChunk[] = [
  { type: 'start', messageId: 'a1' },
  { type: 'text-start', id: 't1' },
  { type: 'text-delta', id: 't1', delta: 'Half an ans' },
];

describe('requireFinish', () => {
  it('passes a complete answer through unchanged', async () => {
    const complete: UIMessageChunk[] = [...answer, { type: 'text-end', id: 't1' }, { type: 'finish', finishReason: 'stop' }];
    expect(await through(complete)).toEqual({ chunks: complete });
  });

  it('ends a stream that closed without `finish` with an error part, after what arrived, and marks the answer interrupted', async () => {
    const ending: UIMessageChunk[] = [
      { type: 'message-metadata', messageMetadata: { interrupted: true } },
      { type: 'error', errorText: INCOMPLETE_ANSWER_MESSAGE },
    ];
    expect(await through(answer)).toEqual({ chunks: [...answer, ...ending] });
    expect(await through([])).toEqual({ chunks: ending });
  });

  it('keeps the server’s own error part as the only error', async () => {
    const failed: UIMessageChunk[] = [...answer, { type: 'error', errorText: 'The language model failed.' }];
    expect(await through(failed)).toEqual({ chunks: failed });
  });

  it('lets a stream that errors (Stop, a dropped connection) error through', async () => {
    const stop = new DOMException('The user aborted a request.', 'AbortError');
    const result = await through(answer, stop);
    expect(result.error).toBe(stop);
    expect(result.chunks.some((c) => c.type === 'error')).toBe(false);
  });
});

/** What each browser's fetch throws when the connection drops in the middle of the response body. */
const DROPPED_CONNECTION = [
  ['Chromium', 'network error'],
  ['Firefox', 'NetworkError when attempting to fetch resource.'],
  ['Safari', 'Load failed'],
] as const;

/** The chunks `endOnDroppedConnection` reads from a stream that sends `chunks`, then errors with `error`. */
async function endedOn(chunks: UIMessageChunk[], error: unknown): Promise<{ chunks: UIMessageChunk[]; error?: unknown }> {
  let sent = false;
  const source = new ReadableStream<UIMessageChunk>({
    pull(controller) {
      if (sent) return controller.error(error);
      sent = true;
      for (const c of chunks) controller.enqueue(c);
    },
  });
  const out: UIMessageChunk[] = [];
  try {
    for await (const c of endOnDroppedConnection(source) as unknown as AsyncIterable<UIMessageChunk>) out.push(c);
  } catch (thrown) {
    return { chunks: out, error: thrown };
  }
  return { chunks: out };
}

describe('endOnDroppedConnection', () => {
  it.each(DROPPED_CONNECTION)('ends a stream whose connection dropped (%s: "%s") after what arrived, marking the answer interrupted', async (_browser, text) => {
    expect(await endedOn(answer, new TypeError(text))).toEqual({
      chunks: [...answer, { type: 'message-metadata', messageMetadata: { interrupted: true } }, { type: 'error', errorText: text }],
    });
  });

  it('lets Stop and any other error error through unchanged', async () => {
    const stop = new DOMException('The user aborted a request.', 'AbortError');
    expect(await endedOn(answer, stop)).toEqual({ chunks: answer, error: stop });
    const other = new Error('Load failed'); // not fetch's TypeError
    expect(await endedOn(answer, other)).toEqual({ chunks: answer, error: other });
  });
});

/**
 * Asks through the widget's transport and the AI SDK's chat (what `useChat` runs), with a fetch
 * whose response body sends `chunks` and then fails with `error`.
 */
async function askAndDrop(chunks: UIMessageChunk[], error: Error) {
  const sse = new TextEncoder().encode(chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join(''));
  let pulls = 0;
  // The connection drops a little after the chunks arrived (an errored stream drops what it still holds).
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pulls++ === 0) return controller.enqueue(sse);
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.error(error);
    },
  });
  const fetch = async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  let finished: { message: DocentMessage; isDisconnect: boolean } | undefined;
  const chat = new Chat<DocentMessage>({
    transport: new DocentChatTransport<DocentMessage>({ api: 'http://docent.test/api/chat', fetch }),
    onFinish: ({ message, isDisconnect }) => {
      finished = { message, isDisconnect };
    },
  });
  await chat.sendMessage({ text: 'How do I read a path parameter?' });
  return { finished: finished!, error: chat.error, status: chat.status };
}

describe('DocentChatTransport', () => {
  const started: UIMessageChunk[] = [
    { type: 'start', messageId: 'a1', messageMetadata: { messageId: 'm1', chatId: 'c1' } },
    { type: 'text-start', id: 't1' },
    { type: 'text-delta', id: 't1', delta: 'Use c.req.param' },
  ];

  it.each(DROPPED_CONNECTION)('marks an answer whose connection dropped (%s: "%s") as interrupted: no rating is offered', async (_browser, text) => {
    const { finished, error, status } = await askAndDrop(started, new TypeError(text));
    expect(status).toBe('error');
    expect(error?.message).toBe(text);
    expect(describeError(error)).toBe('Could not reach the Docent server. Check your connection and try again.');
    expect(finished.message.parts).toContainEqual(expect.objectContaining({ type: 'text', text: 'Use c.req.param' }));
    // What ChatSession checks before it offers a rating (its `interrupted` prop).
    expect(finished.isDisconnect || finished.message.metadata?.interrupted === true).toBe(true);
  });

  it('does not mark an answer that failed otherwise as a dropped connection', async () => {
    const { finished } = await askAndDrop(started, new Error('The stream could not be read.'));
    expect(finished.isDisconnect || finished.message.metadata?.interrupted === true).toBe(false);
  });
});

describe('DocentChatTransport error responses', () => {
  const NGINX_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n';

  async function askAnswered(response: () => Response) {
    const chat = new Chat<DocentMessage>({
      transport: new DocentChatTransport<DocentMessage>({ api: 'http://docent.test/api/chat', fetch: async () => response() }),
    });
    await chat.sendMessage({ text: 'How do I read a path parameter?' });
    return chat.error;
  }

  it('tells the reader the status of a proxy’s HTML error page, never the page itself', async () => {
    const error = await askAnswered(() => new Response(NGINX_502, { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } }));
    expect(describeError(error)).toBe('The Docent server answered 502 Bad Gateway: it may be restarting or overloaded. Try again in a moment.');
    const notFound = await askAnswered(() => new Response('nf', { status: 404 }));
    expect(describeError(notFound)).toBe('The Docent server answered 404.');
  });

  it('keeps Docent’s own JSON error', async () => {
    const body = JSON.stringify({ error: { code: 'rate_limited', message: 'Too many questions: wait a minute.' } });
    const error = await askAnswered(() => new Response(body, { status: 429, headers: { 'content-type': 'application/json' } }));
    expect(describeError(error)).toBe('Too many questions: wait a minute.');
  });
});
