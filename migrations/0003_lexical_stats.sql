CREATE TABLE "corpus_stats" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"chunks" integer DEFAULT 0 NOT NULL,
	"total_length" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "corpus_stats_single_row_check" CHECK ("corpus_stats"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "lexeme_stats" (
	"lexeme" text PRIMARY KEY NOT NULL,
	"df" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "chunks" drop column "tsv";--> statement-breakpoint
ALTER TABLE "chunks" ADD COLUMN "tsv" "tsvector" GENERATED ALWAYS AS (docent_chunk_tsv("heading", "text")) STORED NOT NULL;--> statement-breakpoint
-- Dropping the column dropped its GIN index: recreate it.
CREATE INDEX IF NOT EXISTS "chunks_tsv_gin_idx" ON "chunks" USING gin ("tsv");
