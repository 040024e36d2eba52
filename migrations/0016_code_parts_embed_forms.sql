-- "embed" and its forms get one lexeme in common. Postgres's `english` stemmer reads "embed" and
-- "embeds" as `emb` (the "-ed" of a base form taken for a past tense) but "embedding", "embedded"
-- and "embeddings" as `embed` ("embedder" as `embedd`), so a question asking how to embed
-- something never matched a section titled "Embedding …", and a question about embeddings missed
-- text that says "embed".
-- The code parts now add "embed" (the lexeme `emb`) for each of those forms: `emb` stands for any
-- form of the word, and `embed` still for the forms ending in -ing and -ed. Questions go through
-- the same function, so both sides agree.
CREATE OR REPLACE FUNCTION docent_code_parts(input text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT concat_ws(' ',
    (SELECT string_agg(
              regexp_replace(regexp_replace(m[1], '([a-z0-9])([A-Z])', '\1 \2', 'g'), '[^A-Za-z0-9-]+', ' ', 'g'),
              ' ')
     FROM regexp_matches(input, '([A-Za-z0-9_$-]+(?:[./][A-Za-z0-9_$-]+)+|[$]?[A-Za-z][a-z0-9]*[A-Z][A-Za-z0-9]*)', 'g') AS m),
    (SELECT string_agg(replace(m[1], '_', ''), ' ')
     FROM regexp_matches(input, '(?:^|[^A-Za-z0-9_])([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+)', 'g') AS m),
    (SELECT string_agg('embed', ' ')
     FROM regexp_matches(input, '\membedd(?:ing|ings|ed|er|ers)\M', 'gi') AS m))
$$;--> statement-breakpoint
-- Stored generated columns (`tsv`, `lexical_length`, `heading_end`) are computed when a row is
-- written: rewrite the chunks that hold one of those forms, the only ones whose tsvector changes.
-- The update triggers keep `lexeme_stats` and `corpus_stats` in step.
UPDATE chunks SET heading = heading WHERE heading ~* 'embedd(ing|ed|er)' OR text ~* 'embedd(ing|ed|er)';
