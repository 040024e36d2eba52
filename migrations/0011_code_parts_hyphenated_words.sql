-- A hyphenated name inside a path or a dotted identifier is also indexed whole: the code parts of
-- `jest/no-standalone-expect` were `jest no standalone expect`, and are now
-- `jest no-standalone-expect`, which the `english` parser reads as the compound
-- `no-standalone-expect` plus its parts, exactly as it reads the bare name in a question or in
-- another page's text. Before, a question naming "no-standalone-expect" matched that compound
-- only where a page wrote the name bare (a rules table), never the page whose title is
-- `jest/no-standalone-expect`, and the compound is rare, so it weighed most (BENCHMARKS.md,
-- "Hyphenated names inside paths"). Questions go through the same function, so both sides agree.
CREATE OR REPLACE FUNCTION docent_code_parts(input text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(string_agg(
           regexp_replace(regexp_replace(m[1], '([a-z0-9])([A-Z])', '\1 \2', 'g'), '[^A-Za-z0-9-]+', ' ', 'g'),
           ' '), '')
  FROM regexp_matches(input, '([A-Za-z0-9_$-]+(?:[./][A-Za-z0-9_$-]+)+|[$]?[A-Za-z][a-z0-9]*[A-Z][A-Za-z0-9]*)', 'g') AS m
$$;--> statement-breakpoint
-- Stored generated columns (`tsv`, `lexical_length`) are computed when a row is written: rewrite
-- the chunks whose code parts hold a hyphen, the only ones whose tsvector changes. The update
-- triggers keep `lexeme_stats` and `corpus_stats` in step.
UPDATE chunks SET heading = heading WHERE docent_code_parts(heading) LIKE '%-%' OR docent_code_parts(text) LIKE '%-%';
