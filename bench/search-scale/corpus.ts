/**
 * The synthetic corpus of `npm run bench`: documents and chunks shaped like Docent's, with
 * realistic text and clustered vectors, generated from a seed (same seed, same corpus).
 *
 * - Text (`docs`, the default): chunks as long as Docent's sections are ({@link DOCS_TEXT}), made
 *   of words drawn from the word frequencies of real docs (the Hono docs fixture and the AI SDK
 *   docs that ship in `node_modules/ai/docs`), of their cluster's topic words (a quarter, so text
 *   and vectors agree on what a chunk is about), and of their document's own made-up words (the
 *   long tail of names a docs site has, which one shared vocabulary lacks). `uniform` is the text
 *   of runs before 2026-12-03: 60–259 words per chunk, no document's own words.
 * - Vectors (512-d, unit length): a direction shared by every vector, plus the chunk's topic
 *   (one of `clusters` random centroids), its document's own direction and its own, mixed by
 *   {@link VECTOR_SHARES}. The shares are calibrated on real vectors: USE-Lite on the Hono docs
 *   (494 naive chunks, 40 dev questions) gives a mean cosine of 0.68 between any two chunks
 *   (embeddings are anisotropic), 0.87 to a chunk's nearest neighbour and 0.82 to its 10th; a
 *   question's best chunk is at 0.65 and its 10th at 0.60. This corpus gives 0.63, 0.86, 0.83,
 *   0.64 and 0.53 (6,000 chunks in 12 topics, the 100k run's 500 chunks per topic): its queries
 *   stand a little further apart from their 10th neighbour than real questions do. Uniform random
 *   vectors would make HNSW look much worse than it is; well-separated clusters, better.
 * - Queries: a chunk's vector plus noise, at cosine ≈ 0.65 from that chunk (like a real question
 *   from its best chunk), with six different words of that chunk as the question's text (six
 *   consecutive words with `uniform` text).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the vocabulary comes from by default, relative to the project root (missing ones are
 * skipped): the committed Hono fixture and the version-pinned AI SDK docs, so the corpus, and the
 * numbers, do not change when Docent's own `content/` is edited.
 */
export const DEFAULT_VOCABULARY_DIRS = ['eval/corpora/hono', 'node_modules/ai/docs'];

export interface CorpusOptions {
  /** Chunks to generate. */
  chunks: number;
  /** Content sources the documents are spread over (uniformly). */
  sources: number;
  /** Topic clusters (random centroids). Default 200. */
  clusters?: number;
  /** Vector length. Default 512 (the `chunks.embedding` column). */
  dimensions?: number;
  /** Seed of the pseudo-random generator. Default 1. */
  seed?: number;
  /** Folders of markdown whose words make the vocabulary. Default {@link DEFAULT_VOCABULARY_DIRS}. */
  vocabularyDirs?: string[];
  /**
   * How chunk text is made. `docs` (default): chunk lengths and a long tail of rare words as in
   * real docs chunked by Docent ({@link DOCS_TEXT}). `uniform`: the text of runs before
   * 2026-12-03 (60–259 words per chunk, every word from one shared vocabulary), to compare.
   */
  text?: CorpusText;
}

export type CorpusText = 'docs' | 'uniform';

export interface SyntheticDocument {
  index: number;
  source: string;
  path: string;
  title: string;
  cluster: number;
  /** Index of its first chunk in the corpus; its chunks are contiguous. */
  firstChunk: number;
  chunkCount: number;
}

export interface SyntheticChunk {
  /** Index in the corpus (0-based). */
  index: number;
  document: number;
  ordinal: number;
  headings: string[];
  text: string;
}

/** Seeded pseudo-random numbers (mulberry32) with a gaussian (Box–Muller). */
export class Random {
  private state: number;
  private spare: number | undefined;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
  gaussian(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/** Word frequencies of the markdown under `dirs`: a sampler over the real distribution. */
export class Vocabulary {
  readonly words: string[];
  private readonly cumulative: Float64Array;
  constructor(counts: Map<string, number>) {
    const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    this.words = sorted.map(([w]) => w);
    this.cumulative = new Float64Array(sorted.length);
    let total = 0;
    sorted.forEach(([, n], i) => (this.cumulative[i] = total += n));
  }
  static fromDirs(dirs: readonly string[]): Vocabulary {
    const counts = new Map<string, number>();
    const files = dirs.filter((d) => existsSync(d)).flatMap(listMarkdown);
    for (const file of files) {
      for (const word of readFileSync(file, 'utf8').match(/[A-Za-z][A-Za-z0-9_]{1,23}/g) ?? []) {
        counts.set(word, (counts.get(word) ?? 0) + 1);
      }
    }
    if (counts.size < 500) {
      throw new Error(
        `The benchmark needs real docs for its vocabulary: found ${counts.size} words in ${dirs.join(', ')} ` +
          `(run npm install, or pass folders of markdown)`,
      );
    }
    return new Vocabulary(counts);
  }
  /** A word drawn with its real frequency. */
  sample(random: Random): string {
    const target = random.next() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! <= target) lo = mid + 1;
      else hi = mid;
    }
    return this.words[lo]!;
  }
}

function listMarkdown(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return listMarkdown(full);
    return /\.mdx?$/i.test(name) ? [full] : [];
  });
}

/**
 * Shares of a chunk vector's squared length: shared by all vectors, by its topic, by its document,
 * its own. Any two chunks have cosine ≈ `shared`; two of one topic ≈ `shared + topic`; two of one
 * document ≈ `shared + topic + document`.
 */
export const VECTOR_SHARES = Object.freeze({ shared: 0.62, topic: 0.14, document: 0.09, chunk: 0.15 });
/** Noise added to a chunk's vector to make a query, per dimension: cosine ≈ 0.65 at 512-d. */
const QUERY_SPREAD = 0.0526;
const TOPIC_WORDS = 40;
const TOPIC_SHARE = 0.25;

/**
 * The `docs` text, calibrated on the six eval corpora as Docent indexes them (hono, ai-sdk,
 * fastify, undici, pino, content: 245–2,302 chunks each; BENCHMARKS.md, "The bench's text").
 */
export const DOCS_TEXT = Object.freeze({
  /**
   * Words per chunk, as an inverse CDF (share of chunks → words, linear in between): Docent's
   * chunks are sections, mostly short (lexemes per chunk in the ai-sdk and fastify corpora: p10
   * 25, median 80, p90 160), not the ~1,200 characters of the `uniform` text.
   */
  chunkWords: [
    [0, 6],
    [0.05, 12],
    [0.1, 20],
    [0.25, 38],
    [0.5, 70],
    [0.75, 110],
    [0.9, 140],
    [0.95, 155],
    [1, 210],
  ] as const,
  /**
   * Each document has its own words (the names and terms of what it documents: `embedMany`,
   * `ConnInfo`): a share `ownWordUnique` are its alone (drawn from millions of made-up words),
   * the others come from a pool of `ownWordPool` made-up words with Zipf popularity, so a few
   * are shared by many documents and most by a handful. Each appears in a chunk of its document
   * with probability `ownWordInChunk`, and is `ownWordShare` of the chunk's words there.
   */
  ownWordsPerDocument: [4, 12] as const,
  ownWordUnique: 0.5,
  ownWordPool: 400_000,
  ownWordInChunk: 0.4,
  ownWordShare: 0.1,
});

export interface SyntheticCorpus {
  documents: SyntheticDocument[];
  sourceNames: string[];
  dimensions: number;
  text: CorpusText;
  vocabularySize: number;
  /** Every chunk's vector, `dimensions` floats each, in chunk order (unit length). */
  vectors: Float32Array;
  /** Generates the chunks of documents `[from, to)` (text is made on demand to keep memory low). */
  chunksOf(from: number, to: number): SyntheticChunk[];
}

/** Builds the corpus: documents, vectors and a text generator. */
export function createSyntheticCorpus(options: CorpusOptions): SyntheticCorpus {
  const dimensions = options.dimensions ?? 512;
  const clusters = options.clusters ?? 200;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(options.chunks) || options.chunks < 1) throw new Error(`chunks must be a whole number ≥ 1 (got ${options.chunks})`);
  if (!Number.isInteger(options.sources) || options.sources < 1) throw new Error(`sources must be a whole number ≥ 1 (got ${options.sources})`);
  const vocabulary = Vocabulary.fromDirs(options.vocabularyDirs ?? DEFAULT_VOCABULARY_DIRS);
  const random = new Random(seed);

  // Topic words: from the middle of the frequency list (not "the", not one-off typos).
  const middle = vocabulary.words.slice(100, Math.max(600, Math.min(8000, vocabulary.words.length)));
  const topics = Array.from({ length: clusters }, () => Array.from({ length: TOPIC_WORDS }, () => middle[random.int(middle.length)]!));
  const randomUnit = () => unit(Array.from({ length: dimensions }, () => random.gaussian()));
  const shared = randomUnit();
  const centroids = Array.from({ length: clusters }, randomUnit);
  const mix = (parts: [number, number[]][]) => {
    const v = new Array<number>(dimensions).fill(0);
    for (const [share, direction] of parts) {
      const w = Math.sqrt(share);
      for (let i = 0; i < dimensions; i++) v[i]! += w * direction[i]!;
    }
    return v;
  };
  const sourceNames = Array.from({ length: options.sources }, (_, i) => `source-${String(i + 1).padStart(2, '0')}`);

  const documents: SyntheticDocument[] = [];
  const vectors = new Float32Array(options.chunks * dimensions);
  let chunk = 0;
  while (chunk < options.chunks) {
    const index = documents.length;
    const cluster = random.int(clusters);
    const chunkCount = Math.min(1 + random.int(19), options.chunks - chunk);
    const words = topics[cluster]!;
    const title = capitalise(`${words[random.int(words.length)]} ${words[random.int(words.length)]}`);
    const source = sourceNames[random.int(sourceNames.length)]!;
    documents.push({ index, source, path: `${source}/${slug(title)}-${index}.md`, title, cluster, firstChunk: chunk, chunkCount });
    const documentVector = mix([
      [VECTOR_SHARES.shared, shared],
      [VECTOR_SHARES.topic, centroids[cluster]!],
      [VECTOR_SHARES.document, randomUnit()],
    ]);
    for (let o = 0; o < chunkCount; o++, chunk++) {
      const own = randomUnit();
      const v = unit(documentVector.map((x, i) => x + Math.sqrt(VECTOR_SHARES.chunk) * own[i]!));
      vectors.set(v, chunk * dimensions);
    }
  }

  const text = options.text ?? 'docs';
  const docs = text === 'docs';
  /**
   * The chunks of documents `[from, to)`. `docs` text: real chunk lengths, the document's own
   * words, topic words, common words. `uniform`: 60–259 words, topic and common words only (with
   * no own words it draws exactly the random numbers it always drew, so it is the earlier text).
   */
  const chunksOf = (from: number, to: number): SyntheticChunk[] => {
    const out: SyntheticChunk[] = [];
    const ownShare = docs ? DOCS_TEXT.ownWordShare : 0;
    for (const doc of documents.slice(from, to)) {
      // Text depends only on the seed and the document, whatever batch asks for it.
      const r = new Random((seed * 1_000_003 + doc.index * 7_919) >>> 0);
      const words = topics[doc.cluster]!;
      const own = docs ? ownWordsOf(r) : [];
      for (let o = 0; o < doc.chunkCount; o++) {
        const headings = o === 0 ? [doc.title] : [doc.title, capitalise(`${words[r.int(words.length)]} ${vocabulary.sample(r)}`)];
        const here = own.filter(() => r.next() < DOCS_TEXT.ownWordInChunk);
        const length = docs ? inverseCdf(DOCS_TEXT.chunkWords, r.next()) : 60 + r.int(200);
        const text = sentences(length, () => {
          const u = r.next();
          if (here.length && u < ownShare) return here[r.int(here.length)]!;
          return u < ownShare + TOPIC_SHARE ? words[r.int(words.length)]! : vocabulary.sample(r);
        });
        out.push({ index: doc.firstChunk + o, document: doc.index, ordinal: o, headings, text });
      }
    }
    return out;
  };

  return { documents, sourceNames, dimensions, text, vocabularySize: vocabulary.words.length, vectors, chunksOf };
}

export interface SyntheticQuery {
  /** The chunk the query was made from. */
  chunk: number;
  /** Source of that chunk's document. */
  source: string;
  vector: number[];
  /** A few of the chunk's words, as a question's text for hybrid search. */
  text: string;
}

/** `count` queries near random chunks of the corpus (seeded apart from the corpus). */
export function createQueries(corpus: SyntheticCorpus, count: number, seed = 1): SyntheticQuery[] {
  const random = new Random(seed * 31 + 17);
  const dims = corpus.dimensions;
  const chunkDocument = (chunk: number) => {
    let lo = 0;
    let hi = corpus.documents.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (corpus.documents[mid]!.firstChunk <= chunk) lo = mid;
      else hi = mid - 1;
    }
    return corpus.documents[lo]!;
  };
  const total = corpus.vectors.length / dims;
  return Array.from({ length: count }, () => {
    const chunk = random.int(total);
    const doc = chunkDocument(chunk);
    const base = corpus.vectors.subarray(chunk * dims, (chunk + 1) * dims);
    const vector = unit(Array.from(base, (x) => x + QUERY_SPREAD * random.gaussian()));
    const made = corpus.chunksOf(doc.index, doc.index + 1)[chunk - doc.firstChunk]!;
    const text = made.text.replace(/\./g, '').split(' ');
    if (corpus.text === 'uniform') {
      const start = random.int(Math.max(1, text.length - 6));
      return { chunk, source: doc.source, vector, text: text.slice(start, start + 6).join(' ') };
    }
    // Six different words of the chunk, from anywhere in it.
    const picked = new Set<string>();
    for (let tries = 0; picked.size < Math.min(6, new Set(text).size) && tries < 100; tries++) picked.add(text[random.int(text.length)]!);
    return { chunk, source: doc.source, vector, text: [...picked].join(' ') };
  });
}

/** A made-up word for index `i` of the own-word pool: four consonant–vowel syllables. */
export function madeUpWord(i: number): string {
  let word = '';
  for (let k = 0; k < 4; k++, i = Math.floor(i / SYLLABLES.length)) word += SYLLABLES[i % SYLLABLES.length];
  return word;
}
const SYLLABLES = [...'bdfgklmnprstvz'].flatMap((c) => [...'aiou'].map((v) => c + v));

/** A document's own words: Zipf-popular indexes of the pool (P(i) ∝ 1/(i+1)), no repeats. */
function ownWordsOf(r: Random): string[] {
  const [min, max] = DOCS_TEXT.ownWordsPerDocument;
  const count = min + r.int(max - min + 1);
  const words = new Set<string>();
  while (words.size < count) {
    const index =
      r.next() < DOCS_TEXT.ownWordUnique
        ? DOCS_TEXT.ownWordPool + r.int(SYLLABLES.length ** 4 - DOCS_TEXT.ownWordPool)
        : Math.floor(Math.exp(r.next() * Math.log(DOCS_TEXT.ownWordPool + 1))) - 1;
    words.add(madeUpWord(index));
  }
  return [...words];
}

/** `length` words from `word()`, in sentences of twelve. */
function sentences(length: number, word: () => string): string {
  const parts: string[] = [];
  for (let w = 0; w < length; w++) {
    const next = word();
    parts.push(w % 12 === 0 ? capitalise(next) : next);
    if (w % 12 === 11) parts[parts.length - 1] += '.';
  }
  return `${parts.join(' ')}.`;
}

/** Linear interpolation of an inverse CDF given as `[share, value]` knots, rounded. */
function inverseCdf(knots: readonly (readonly [number, number])[], u: number): number {
  for (let i = 1; i < knots.length; i++) {
    const [s1, v1] = knots[i]!;
    if (u <= s1) {
      const [s0, v0] = knots[i - 1]!;
      return Math.round(v0 + ((v1 - v0) * (u - s0)) / (s1 - s0));
    }
  }
  return knots[knots.length - 1]![1];
}

function unit(v: number[]): number[] {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s) || 1;
  return v.map((x) => x / n);
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
