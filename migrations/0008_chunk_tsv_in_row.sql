-- Keep each chunk's tsvector in its table row (STORAGE MAIN: compressed if that pays, moved to
-- TOAST only when the row would not fit a page). With the default (EXTENDED), a chunk's row is
-- over the 2 kB TOAST threshold once its tsvector passes ~1.5 kB, and the tsvector went to the
-- TOAST table first: BM25 then fetched every candidate's tsvector through the TOAST index, most
-- of its time at 100,000 chunks (BENCHMARKS.md, "tsvector storage"). The text and embedding
-- still move out of the row when it is too large; search reads them for ~100 rows only.
-- Rows written before this migration keep their layout until they are rewritten (re-ingest,
-- or `VACUUM FULL chunks` on a large database).
ALTER TABLE "chunks" ALTER COLUMN "tsv" SET STORAGE MAIN;
