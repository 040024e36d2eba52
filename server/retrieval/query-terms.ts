/**
 * The lexical side of a question: its lexemes (Postgres's `english` configuration plus the parts
 * of code identifiers, exactly as chunks are indexed), their IDF from `lexeme_stats`, and typo
 * correction against the corpus vocabulary for words the index does not know.
 */
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/open';

export interface QueryTerm {
  /** The lexeme searched for (after typo correction). */
  lexeme: string;
  /** The lexeme as the question spelled it, when it was corrected. */
  original?: string;
  /** Chunks containing it (0: unknown to the index). */
  df: number;
  /** BM25 inverse document frequency, `ln(1 + (N − df + 0.5) / (df + 0.5))`. */
  idf: number;
  /** Weight of the term in the score: 1, less for a corrected spelling. */
  weight: number;
}

export interface QueryTerms {
  terms: QueryTerm[];
  /** Chunks in the index. */
  chunkCount: number;
  /** Average lexeme occurrences per chunk. */
  averageLength: number;
}

/** Weight of a term whose spelling was corrected. */
const CORRECTED_WEIGHT = 0.8;

export function idf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Lexemes of `query`, in order of first appearance, as the index would store them. */
export async function queryLexemes(db: Database, query: string): Promise<string[]> {
  const rows = await queryRows<{ lexeme: string; pos: number }>(
    db,
    sql`select u.lexeme, min(p) as pos
        from unnest(to_tsvector('english', ${query}) || to_tsvector('english', docent_code_parts(${query}))) u, unnest(u.positions) p
        group by u.lexeme order by pos`,
  );
  return rows.map((r) => r.lexeme);
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Edits allowed when correcting a word of this length (0: too short to correct safely). */
function allowedEdits(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

/**
 * The question's terms with their statistics. A word the index does not know (df 0) and that is
 * long enough is replaced by the most frequent vocabulary lexeme within 1 edit (2 for words of 8+
 * letters); without such a neighbour it stays, unknown, and only lowers the share of the question
 * the index covers.
 */
export async function resolveQueryTerms(db: Database, query: string, options: { correctTypos?: boolean } = {}): Promise<QueryTerms> {
  const lexemes = await queryLexemes(db, query);
  const [stats] = await queryRows<{ chunks: number; total_length: number }>(db, sql`select chunks, total_length from corpus_stats where id = 1`);
  const n = Number(stats?.chunks ?? 0);
  const averageLength = n > 0 ? Number(stats!.total_length) / n : 1;
  if (lexemes.length === 0) return { terms: [], chunkCount: n, averageLength };
  const known = await queryRows<{ lexeme: string; df: number }>(
    db,
    sql`select lexeme, df from lexeme_stats where lexeme = any(${textArray(lexemes)})`,
  );
  const dfOf = new Map(known.map((r) => [r.lexeme, Number(r.df)]));
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  for (const lexeme of lexemes) {
    const df = dfOf.get(lexeme) ?? 0;
    let term: QueryTerm = { lexeme, df, idf: idf(df, n), weight: 1 };
    const edits = allowedEdits(lexeme.length);
    if (df === 0 && (options.correctTypos ?? true) && edits > 0 && /^[a-z]+$/.test(lexeme)) {
      const near = await queryRows<{ lexeme: string; df: number }>(
        db,
        sql`select lexeme, df from lexeme_stats
            where left(lexeme, 1) = ${lexeme.slice(0, 1)} and length(lexeme) between ${Math.max(1, lexeme.length - 3)} and ${lexeme.length + edits}`,
      );
      let best: { lexeme: string; df: number; distance: number } | undefined;
      for (const r of near) {
        // A misspelt word stems badly ("registerd" stays whole): a vocabulary stem it starts with counts as one edit.
        const stemPrefix = r.lexeme.length >= 5 && lexeme.startsWith(r.lexeme) && lexeme.length - r.lexeme.length <= 3;
        const distance = stemPrefix ? 1 : editDistance(lexeme, r.lexeme);
        if (distance > edits) continue;
        if (!best || distance < best.distance || (distance === best.distance && Number(r.df) > best.df)) {
          best = { lexeme: r.lexeme, df: Number(r.df), distance };
        }
      }
      if (best) term = { lexeme: best.lexeme, original: lexeme, df: best.df, idf: idf(best.df, n), weight: CORRECTED_WEIGHT };
    }
    if (seen.has(term.lexeme)) continue;
    seen.add(term.lexeme);
    terms.push(term);
  }
  return { terms, chunkCount: n, averageLength };
}

/** A Postgres `text[]` literal parameter. */
export function textArray(values: readonly string[]) {
  if (values.length === 0) return sql`array[]::text[]`;
  return sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;
}

/** A Postgres `uuid[]` literal parameter. */
export function uuidArray(values: readonly string[]) {
  if (values.length === 0) return sql`array[]::uuid[]`;
  return sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::uuid[]`;
}

/** A `tsquery` OR-ing the lexemes (quoted, so they are matched as stored, not re-parsed). */
export function orTsquery(lexemes: readonly string[]): string {
  return lexemes.map((l) => `'${l.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ');
}
