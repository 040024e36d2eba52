import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalEmbeddingProvider, LOCAL_MODEL_ID } from '../server/embed/local';

// Loads the real Universal Sentence Encoder Lite (from node_modules) in worker threads.
describe('createLocalEmbeddingProvider()', () => {
  const embedder = createLocalEmbeddingProvider({ workers: 2 });
  afterAll(() => embedder.close());
  const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

  it('returns unit-length 512-d vectors in input order; related texts are closer', async () => {
    const texts = [
      'How do I read a path parameter in a route handler?',
      'Get the value of a URL path parameter inside the handler.',
      'The weather in Lisbon is sunny today.',
    ];
    const vectors = await embedder.embedDocuments(texts);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toHaveLength(512);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    expect(cos(vectors[0]!, vectors[1]!)).toBeGreaterThan(cos(vectors[0]!, vectors[2]!) + 0.1);
    const again = await embedder.embedQuery(texts[2]!);
    expect(cos(again, vectors[2]!)).toBeCloseTo(1, 5);
    expect(embedder.modelId).toBe(LOCAL_MODEL_ID);
  });

  it('gives an empty or wordless text a unit vector, never zeros (which checkVector refuses)', async () => {
    // An input is empty only for an untitled page's section with no text (ingest/embed-input.ts).
    for (const v of await embedder.embedDocuments(['', '---', '日本語'])) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
  });

  it('spreads batches over the workers and reports progress; the result does not depend on the worker count', async () => {
    const texts = Array.from({ length: 20 }, (_, i) => `Sentence number ${i} about routing, middleware and handlers.`);
    const progress: number[] = [];
    const two = await embedder.embedDocuments(texts, { onProgress: (n) => progress.push(n) });
    expect(progress.at(-1)).toBe(20);
    const single = createLocalEmbeddingProvider({ workers: 1, batchSize: 5 });
    try {
      const one = await single.embedDocuments(texts);
      for (let i = 0; i < texts.length; i++) expect(cos(one[i]!, two[i]!)).toBeCloseTo(1, 4);
    } finally {
      await single.close();
    }
  });

  it('reads only the first 128 tokens (what ingest/embed-input.ts works around), counted by countTokens()', async () => {
    const base = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    expect(embedder.countTokens!(base)).toBeGreaterThan(embedder.maxInputTokens);
    const [a, b] = await embedder.embedDocuments([base, `${base} and a different ending about databases`]);
    expect(cos(a!, b!)).toBeCloseTo(1, 6);
    expect(embedder.countTokens!('hello world')).toBeLessThan(5);
  });

  it('warmUp() starts the workers loading the model; their load message gets no reply', async () => {
    // The worker protocol: `{ load: true }` is answered by nothing, the next batch by its own id.
    const worker = new Worker(new URL('../server/embed/local-worker.mjs', import.meta.url));
    try {
      const replies: { id: number }[] = [];
      const second = new Promise<void>((resolve) =>
        worker.on('message', (m: { id: number }) => {
          replies.push(m);
          if (m.id === 2) resolve();
        }),
      );
      worker.postMessage({ load: true });
      worker.postMessage({ id: 1, texts: ['first'] });
      worker.postMessage({ id: 2, texts: ['second'] });
      await second;
      expect(replies.map((m) => m.id)).toEqual([1, 2]);
    } finally {
      await worker.terminate();
    }
    const warm = createLocalEmbeddingProvider({ workers: 2 });
    try {
      warm.warmUp!();
      expect(await warm.embedQuery('after warm-up')).toHaveLength(512);
    } finally {
      await warm.close();
    }
    warm.warmUp!(); // after close: starts nothing, throws nothing
    await expect(warm.embedQuery('x')).rejects.toThrow(/closed/);
  });

  it('stops on an aborted signal and refuses work once closed', async () => {
    await expect(embedder.embedDocuments(['x'], { signal: AbortSignal.abort() })).rejects.toThrow();
    const closed = createLocalEmbeddingProvider();
    await closed.close();
    await expect(closed.embedQuery('x')).rejects.toThrow(/closed/);
  });

  it('embeds a question ahead of the documents an ingest queued before it, not after them', async () => {
    const single = createLocalEmbeddingProvider({ workers: 1, batchSize: 8 });
    try {
      const texts = Array.from({ length: 320 }, (_, i) => `Page ${i}: routing, middleware, handlers and the context object.`);
      let documentsDone = 0;
      const documents = single.embedDocuments(texts, { onProgress: (n) => (documentsDone = n) });
      const question = await single.embedQuery('How do I read a path parameter?');
      const doneWhenAnswered = documentsDone;
      await documents;
      expect(question).toHaveLength(512);
      // One worker: the question waits for the batch being embedded at most, not for all 40.
      expect(doneWhenAnswered).toBeLessThan(texts.length / 4);
    } finally {
      await single.close();
    }
  });
});
