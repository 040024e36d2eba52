-- Rebuild the HNSW index with ef_construction 128 (pgvector's default is 64). At 100,000 chunks
-- the default graph left some queries unable to reach their cluster at any ef_search (recall@10
-- 0.943 on one build); 128 gave 1.000 at ef_search 400, for 25 % more build time
-- (BENCHMARKS.md, "HNSW ef_construction 128"). The rebuild takes seconds for a few thousand
-- chunks; on a large database it runs once at the first start after the upgrade
-- (content/guides/deployment.md, "Upgrading Docent").
DROP INDEX "chunks_embedding_hnsw_idx";--> statement-breakpoint
CREATE INDEX "chunks_embedding_hnsw_idx" ON "chunks" USING hnsw ("embedding" vector_cosine_ops) WITH (ef_construction=128);