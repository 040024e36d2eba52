-- A snake_case identifier is also indexed whole. The `english` parser splits `ignore_urls` and
-- `HTTPX_TIMEOUT` at the underscore, so a question naming `max_retries` matched any section with
-- "max" and "retries" in it, and an identifier the docs never mention could not count as unknown.
-- The code parts now add each one with its underscores taken out (`ignoreurls`, `httpxtimeout`),
-- which the parser reads as one word; the parts stay as the parser already read them. The same
-- name written in camelCase (`maxRetries`, a lexeme `maxretri`) is then the same lexeme.
-- Questions go through the same function, so both sides agree.
CREATE OR REPLACE FUNCTION docent_code_parts(input text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT concat_ws(' ',
    (SELECT string_agg(
              regexp_replace(regexp_replace(m[1], '([a-z0-9])([A-Z])', '\1 \2', 'g'), '[^A-Za-z0-9-]+', ' ', 'g'),
              ' ')
     FROM regexp_matches(input, '([A-Za-z0-9_$-]+(?:[./][A-Za-z0-9_$-]+)+|[$]?[A-Za-z][a-z0-9]*[A-Z][A-Za-z0-9]*)', 'g') AS m),
    (SELECT string_agg(replace(m[1], '_', ''), ' ')
     FROM regexp_matches(input, '(?:^|[^A-Za-z0-9_])([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+)', 'g') AS m))
$$;--> statement-breakpoint
-- Stored generated columns (`tsv`, `lexical_length`, `heading_end`) are computed when a row is
-- written: rewrite the chunks that hold an underscore between two letters or digits, the only
-- ones whose tsvector changes. The update triggers keep `lexeme_stats` and `corpus_stats` in step.
UPDATE chunks SET heading = heading WHERE heading ~ '[A-Za-z0-9]_[A-Za-z0-9]' OR text ~ '[A-Za-z0-9]_[A-Za-z0-9]';
