/** What retrieval returns: one ranked source. The same JSON shape is used by the search command and `GET /api/search`. */
export interface SearchResult {
  /** 1-based rank. */
  rank: number;
  /** Final score, 0–1; the user's `minScore` applies to it. */
  score: number;
  chunkId: string;
  documentId: string;
  /** Content source name (e.g. `content`, `hono`). */
  source: string;
  /** Path relative to the source's root, with `/` separators. */
  path: string;
  title: string;
  /** Heading breadcrumb, page title first. */
  headings: string[];
  /** Heading anchor slug (`''` for a page's introduction). */
  anchor: string;
  /** Link to the page and heading (`…#anchor`). */
  url: string;
  text: string;
}
