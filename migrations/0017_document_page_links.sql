-- The links of a page that ingest may point at another page, with the URL each was pointed at:
-- an unchanged page is parsed again only when one of them would now lead elsewhere (ingest/sync.ts).
ALTER TABLE "documents" ADD COLUMN "page_links" jsonb;