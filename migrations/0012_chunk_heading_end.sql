-- Where the heading breadcrumb ends in a chunk's tsvector. `docent_chunk_tsv` puts the
-- breadcrumb's lexemes first (weight A) and `||` numbers the text's positions after the largest
-- breadcrumb position, so every occurrence at or before that position is in the breadcrumb.
-- BM25 reads a candidate's heading occurrences from its matched positions with it, instead of a
-- second pass over the whole tsvector (`ts_filter(c.tsv, '{a}')`), which cost ~5 ms of the BM25
-- query at 100,000 chunks (BENCHMARKS.md, "Heading occurrences from positions").
--
-- The breadcrumb half of `docent_chunk_tsv` (migrations/0002) becomes its own function, so the
-- tsvector and `heading_end` read one expression. `docent_chunk_tsv` gives the same tsvector as
-- before (`||` groups from the left either way): stored rows need no rewrite for it.
CREATE OR REPLACE FUNCTION docent_heading_tsv(heading text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english', coalesce(heading, '')), 'A')
      || setweight(to_tsvector('english', docent_code_parts(coalesce(heading, ''))), 'A')
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION docent_chunk_tsv(heading text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT docent_heading_tsv(heading)
      || setweight(to_tsvector('english', coalesce(body, '')), 'D')
      || setweight(to_tsvector('english', docent_code_parts(coalesce(body, ''))), 'D')
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION docent_heading_end(heading text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(max(p), 0)::integer FROM unnest(docent_heading_tsv(heading)) AS u, unnest(u.positions) AS p
$$;--> statement-breakpoint
ALTER TABLE "chunks" ADD COLUMN "heading_end" integer GENERATED ALWAYS AS (docent_heading_end("heading")) STORED NOT NULL;
