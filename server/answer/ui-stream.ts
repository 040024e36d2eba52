/**
 * Reading UI message streams outside a browser (the `ask` command): the chunks of an SSE
 * response (`x-vercel-ai-ui-message-stream: v1`), and a terminal rendering of an answer.
 */
import type { UIMessageChunk } from 'ai';
import type { SourcesData } from './turn';

/** The UI message chunks of an SSE response body, as they arrive. */
export async function* sseChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<UIMessageChunk> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(bytes, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (data && data !== '[DONE]') yield JSON.parse(data) as UIMessageChunk;
    }
  }
}

/** Chunks of a `ReadableStream` of chunks. */
export async function* streamChunks(stream: ReadableStream<UIMessageChunk>): AsyncGenerator<UIMessageChunk> {
  yield* stream as unknown as AsyncIterable<UIMessageChunk>;
}

export interface RenderedAnswer {
  text: string;
  sources: SourcesData | undefined;
  error: string | undefined;
  messageId: string | undefined;
  /** Why the answer stopped before its end (the model's token limit, its content filter), if it did. */
  cutOff: 'length' | 'content-filter' | undefined;
}

/** The note after an answer the model cut off, as the widget says it. */
const CUT_OFF_NOTE: Record<NonNullable<RenderedAnswer['cutOff']>, string> = {
  length: "This answer was cut off before its end (the model's length limit).",
  'content-filter': "This answer was cut off before its end (the model's content filter).",
};

/**
 * Writes the answer's text to `out` as it streams, then a note when it was cut off, then its
 * sources with their scores. Returns what was shown.
 */
export async function renderAnswer(
  chunks: AsyncIterable<UIMessageChunk>,
  out: { write(text: string): unknown },
  options: { color?: boolean } = {},
): Promise<RenderedAnswer> {
  const dim = (s: string) => (options.color ? `\x1b[2m${s}\x1b[22m` : s);
  const result: RenderedAnswer = { text: '', sources: undefined, error: undefined, messageId: undefined, cutOff: undefined };
  for await (const chunk of chunks) {
    if (chunk.type === 'start') result.messageId = chunk.messageId;
    else if (chunk.type === 'text-delta') {
      result.text += chunk.delta;
      out.write(chunk.delta);
    } else if (chunk.type === 'data-sources') result.sources = (chunk as { data: SourcesData }).data;
    else if (chunk.type === 'error') result.error = chunk.errorText;
    else if (chunk.type === 'finish' && (chunk.finishReason === 'length' || chunk.finishReason === 'content-filter')) result.cutOff = chunk.finishReason;
  }
  out.write('\n');
  if (result.cutOff) out.write(`\n${dim(`(${CUT_OFF_NOTE[result.cutOff]})`)}\n`);
  const sources = result.sources?.sources ?? [];
  if (sources.length) {
    out.write(`\n${dim('Sources')}\n`);
    for (const s of sources) {
      const where = s.heading ? `${s.title} › ${s.heading}` : s.title;
      out.write(`  [${s.rank}] ${s.score.toFixed(3)}  ${where}  ${dim(`${s.path}  ${s.url}`)}\n`);
    }
  }
  if (result.sources && result.sources.query !== '' && result.sources.retrieval === 'disabled') {
    out.write(`\n${dim('(retrieval is turned off in the settings)')}\n`);
  }
  return result;
}
