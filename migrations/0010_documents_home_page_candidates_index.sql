-- The pages that may be a source's home page (folder pages: index.md, _index.md, README.md; and
-- pages with `slug: /` in their frontmatter), among which a "What is X?" question finds it
-- (server/retrieval/home-pages.ts). Without it that search read every document's path with a
-- regular expression: ~18 ms warm at 10,000 documents.
CREATE INDEX "documents_home_page_candidates_idx" ON "documents" USING btree ("source") WHERE ("path" ~* '(^|/)(_?index|readme)\.mdx?$' or "frontmatter"->>'slug' = '/');