/** The widget's chat transport (site/src/chat/transport.ts): a stream must end with `finish`. */
import type { UIMessageChunk } from 'ai';
import { describe, expect, it } from 'vitest';
import { INCOMPLETE_ANSWER_MESSAGE, requireFinish } from '../site/src/chat/transport';

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
