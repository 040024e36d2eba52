-- The folder pages (index.md, _index.md, README.md) of every source, among which a "What is X?"
-- question finds the site's home page (server/retrieval/home-pages.ts). Without it that search
-- read every document's path with a regular expression: ~18 ms warm at 10,000 documents.
CREATE INDEX "documents_folder_pages_idx" ON "documents" USING btree ("source") WHERE "path" ~* '(^|/)(_?index|readme)\.mdx?$';