-- Code identifiers for full-text search. Postgres's parser keeps `c.req.json` and `hono/jsx` as
-- one token and `getConnInfo` as one lowercased word; this function returns their parts
-- (`c req json`, `hono jsx`, `get Conn Info`) so both the whole identifier and its parts are
-- indexed. The same function runs on the query side (server/retrieval/lexical.ts).
CREATE OR REPLACE FUNCTION docent_code_parts(input text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(string_agg(
           regexp_replace(regexp_replace(m[1], '([a-z0-9])([A-Z])', '\1 \2', 'g'), '[^A-Za-z0-9]+', ' ', 'g'),
           ' '), '')
  FROM regexp_matches(input, '([A-Za-z0-9_$-]+(?:[./][A-Za-z0-9_$-]+)+|[$]?[A-Za-z][a-z0-9]*[A-Z][A-Za-z0-9]*)', 'g') AS m
$$;--> statement-breakpoint
-- The full-text vector of a chunk: breadcrumb (weight A) and text (weight D), each with the parts
-- of its code identifiers.
CREATE OR REPLACE FUNCTION docent_chunk_tsv(heading text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english', coalesce(heading, '')), 'A')
      || setweight(to_tsvector('english', docent_code_parts(coalesce(heading, ''))), 'A')
      || setweight(to_tsvector('english', coalesce(body, '')), 'D')
      || setweight(to_tsvector('english', docent_code_parts(coalesce(body, ''))), 'D')
$$;
