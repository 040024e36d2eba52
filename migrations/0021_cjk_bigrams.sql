-- Chinese and Japanese text in full-text search. Postgres's parser reads a whole run of Han or
-- kana characters as one word ("请求日志的记录会保存多久" is one lexeme), so a question never shared
-- a lexeme with a passage and docs in Chinese or Japanese got no lexical match at all.
-- `docent_cjk_bigrams` rewrites each such run as its overlapping character pairs, separated by
-- spaces ("请求日志" → "请求 求日 日志"; a run of one character stays itself), before
-- `to_tsvector('english', …)` reads the text: the pairs a question and a passage share are
-- mostly the words they share. Text without a Han or kana character is returned as it is, so
-- its tsvector is exactly what it was.
--
-- This must agree with `wordsOf` in server/answer/words.ts (extractive answers), which splits
-- the same runs the same way: the character class below is the one it matches
-- (`\p{Script=Han}`, `\p{Script=Hiragana}`, `\p{Script=Katakana}` and U+30FC "ー", written out
-- from Node's Unicode 17 data), and test/retrieval.cjk.test.ts checks that they agree on every
-- code point. Questions go through the same function (server/retrieval/query-terms.ts).
CREATE OR REPLACE FUNCTION docent_cjk_bigrams(input text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT CASE WHEN input !~ ('[' || k.chars || ']') THEN input ELSE (
    SELECT string_agg(
             CASE WHEN m.part[1] ~ ('^[' || k.chars || ']')
               THEN ' ' || (SELECT string_agg(substr(m.part[1], i, 2), ' ' ORDER BY i)
                            FROM generate_series(1, greatest(length(m.part[1]) - 1, 1)) AS i) || ' '
               ELSE m.part[1] END,
             '' ORDER BY m.n)
    FROM regexp_matches(input, '[' || k.chars || ']+|[^' || k.chars || ']+', 'g') WITH ORDINALITY AS m(part, n)
  ) END
  FROM (SELECT '\u2e80-\u2e99\u2e9b-\u2ef3\u2f00-\u2fd5\u3005\u3007\u3021-\u3029\u3038-\u303b\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\u32d0-\u32fe\u3300-\u3357\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufa6d\ufa70-\ufad9\uff66-\uff6f\uff71-\uff9d\U00016fe2-\U00016fe3\U00016ff0-\U00016ff6\U0001aff0-\U0001aff3\U0001aff5-\U0001affb\U0001affd-\U0001affe\U0001b000-\U0001b122\U0001b132\U0001b150-\U0001b152\U0001b155\U0001b164-\U0001b167\U0001f200\U00020000-\U0002a6df\U0002a700-\U0002b81d\U0002b820-\U0002cead\U0002ceb0-\U0002ebe0\U0002ebf0-\U0002ee5d\U0002f800-\U0002fa1d\U00030000-\U0003134a\U00031350-\U00033479'::text AS chars) AS k
$$;--> statement-breakpoint
-- The breadcrumb's and the text's words as pairs (migrations/0012 for the rest; the code parts
-- are ASCII identifiers and unchanged).
CREATE OR REPLACE FUNCTION docent_heading_tsv(heading text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english', docent_cjk_bigrams(coalesce(heading, ''))), 'A')
      || setweight(to_tsvector('english', docent_code_parts(coalesce(heading, ''))), 'A')
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION docent_chunk_tsv(heading text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT docent_heading_tsv(heading)
      || setweight(to_tsvector('english', docent_cjk_bigrams(coalesce(body, ''))), 'D')
      || setweight(to_tsvector('english', docent_code_parts(coalesce(body, ''))), 'D')
$$;--> statement-breakpoint
-- Stored generated columns (`tsv`, `lexical_length`, `heading_end`) are computed when a row is
-- written: rewrite the chunks that hold a Han or kana character, the only ones whose tsvector
-- changes. The update triggers keep `lexeme_stats` and `corpus_stats` in step.
UPDATE chunks SET heading = heading WHERE docent_cjk_bigrams(heading) <> heading OR docent_cjk_bigrams(text) <> text;
