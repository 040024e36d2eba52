/**
 * The embedding provider interface. Ingest embeds chunks with it; retrieval embeds the question.
 * Implementations: `local` (Universal Sentence Encoder Lite, offline) and `openai`
 * (`text-embedding-3-small` at 512 dimensions, or any OpenAI-compatible server).
 */
export interface EmbedOptions {
  /** Aborts the work (e.g. the client went away, or the run was cancelled). */
  signal?: AbortSignal;
  /** Called as inputs finish, with how many are done so far. */
  onProgress?: (done: number) => void;
  /**
   * Called when the work pauses because the embedding server is rate limiting, with a line for
   * the person waiting: `rate limited by the embedding server (HTTP 429); waiting 60 s`.
   */
  onWait?: (message: string) => void;
}

export interface EmbeddingProvider {
  /**
   * Identifies the model *and* its dimensions (e.g. `local:use-lite@512`,
   * `openai:text-embedding-3-small@512`). Stored on every chunk; vectors with different ids are
   * never compared, and a change of id makes ingest re-embed everything.
   */
  readonly modelId: string;
  /** Length of every vector returned (512: the `chunks.embedding` column). */
  readonly dimensions: number;
  /** Tokens the model reads per input; anything past this is ignored by the model. */
  readonly maxInputTokens: number;
  /**
   * Counts the tokens the model would read in `text`, with the model's own tokenizer, so inputs
   * can be cut to fit `maxInputTokens`. Absent: callers estimate (`estimateTokens` in `ingest/chunk.ts`).
   */
  countTokens?(text: string): number;
  /**
   * A lower bound of `countTokens(text.slice(from, to))` for every `from <= to`, each in constant
   * time after one pass over `text`: lets a long word be cut to fit without counting every long
   * candidate part (`cutToTokens` in `ingest/embed-input.ts`). Absent: every candidate is counted.
   */
  tokenFloor?(text: string): (from: number, to: number) => number;
  /**
   * The share (0–1) of the letters and digits of `text` the model has no token for, and so reads
   * as "unknown": a question written mostly in a script the model was not trained on has no
   * meaningful vector (USE-Lite knows no Han or kana character), and retrieval ranks it by its
   * words only (`search.ts`). Absent: the model reads every script (a hosted model).
   */
  unreadableShare?(text: string): number;
  /** Embeds passages. Returns unit-length vectors, in input order. */
  embedDocuments(texts: string[], options?: EmbedOptions): Promise<number[][]>;
  /** Embeds a search query. Returns a unit-length vector. */
  embedQuery(text: string, options?: EmbedOptions): Promise<number[]>;
  /**
   * Starts loading the model now, so the first question does not wait for it (the server calls
   * it once it listens). Returns at once. Absent: nothing to load (a hosted model).
   */
  warmUp?(): void;
  /** Frees workers and connections. */
  close(): Promise<void>;
}

/** Scales `v` to unit length (a zero vector stays zero). */
export function normalize(v: number[]): number[] {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  return norm === 0 ? v : v.map((x) => x / norm);
}
