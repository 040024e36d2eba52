-- BM25 statistics (lexeme_stats, corpus_stats) kept in step with `chunks` by statement-level
-- triggers with transition tables: every insert, update or delete of chunks (including the
-- cascade when a document is deleted) adjusts document frequencies in the same transaction.
CREATE OR REPLACE FUNCTION docent_tsv_length(v tsvector) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(sum(coalesce(array_length(positions, 1), 1)), 0)::integer FROM unnest(v)
$$;--> statement-breakpoint
INSERT INTO corpus_stats (id, chunks, total_length) VALUES (1, 0, 0) ON CONFLICT (id) DO NOTHING;--> statement-breakpoint
CREATE OR REPLACE FUNCTION docent_lexical_stats_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO lexeme_stats AS s (lexeme, df)
    SELECT u.lexeme, count(*) FROM docent_new_chunks n, unnest(n.tsv) u GROUP BY u.lexeme
  ON CONFLICT (lexeme) DO UPDATE SET df = s.df + excluded.df;
  UPDATE corpus_stats SET chunks = chunks + d.n, total_length = total_length + d.len
    FROM (SELECT count(*) AS n, coalesce(sum(docent_tsv_length(tsv)), 0) AS len FROM docent_new_chunks) d
    WHERE id = 1;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION docent_lexical_stats_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE lexeme_stats s SET df = s.df - d.n
    FROM (SELECT u.lexeme, count(*) AS n FROM docent_old_chunks o, unnest(o.tsv) u GROUP BY u.lexeme) d
    WHERE s.lexeme = d.lexeme;
  DELETE FROM lexeme_stats WHERE df <= 0;
  UPDATE corpus_stats SET chunks = chunks - d.n, total_length = total_length - d.len
    FROM (SELECT count(*) AS n, coalesce(sum(docent_tsv_length(tsv)), 0) AS len FROM docent_old_chunks) d
    WHERE id = 1;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER chunks_lexical_stats_insert AFTER INSERT ON chunks
  REFERENCING NEW TABLE AS docent_new_chunks FOR EACH STATEMENT EXECUTE FUNCTION docent_lexical_stats_add();--> statement-breakpoint
CREATE TRIGGER chunks_lexical_stats_delete AFTER DELETE ON chunks
  REFERENCING OLD TABLE AS docent_old_chunks FOR EACH STATEMENT EXECUTE FUNCTION docent_lexical_stats_remove();--> statement-breakpoint
CREATE TRIGGER chunks_lexical_stats_update_old AFTER UPDATE ON chunks
  REFERENCING OLD TABLE AS docent_old_chunks FOR EACH STATEMENT EXECUTE FUNCTION docent_lexical_stats_remove();--> statement-breakpoint
CREATE TRIGGER chunks_lexical_stats_update_new AFTER UPDATE ON chunks
  REFERENCING NEW TABLE AS docent_new_chunks FOR EACH STATEMENT EXECUTE FUNCTION docent_lexical_stats_add();--> statement-breakpoint
-- Backfill from the chunks already stored.
INSERT INTO lexeme_stats (lexeme, df)
  SELECT u.lexeme, count(*) FROM chunks c, unnest(c.tsv) u GROUP BY u.lexeme
ON CONFLICT (lexeme) DO UPDATE SET df = excluded.df;--> statement-breakpoint
UPDATE corpus_stats SET chunks = d.n, total_length = d.len
  FROM (SELECT count(*) AS n, coalesce(sum(docent_tsv_length(tsv)), 0) AS len FROM chunks) d WHERE id = 1;
