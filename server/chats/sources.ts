/**
 * The sources of an answer, in the shapes the stream, the database and the API use.
 *
 * `heading` is the section's own heading (`''` for a page's introduction); `headings` is the
 * whole breadcrumb, page title first. `snippet` is a short, whitespace-normalised excerpt for
 * hover cards and lists; `text` is what the model saw (never sent to the browser in lists).
 */
import type { SearchResult } from '../retrieval/types';

/** One retrieved source as the client sees it (the elements of the `data-sources` part). */
export interface SourceInfo {
  /** 1-based; the answer cites it as `[rank]`. */
  rank: number;
  /** Retrieval score, 0–1 (see `server/retrieval/search.ts`). */
  score: number;
  /** Content source name (e.g. `docs`). */
  source: string;
  /** Document path relative to its source's root. */
  path: string;
  /** Page title. */
  title: string;
  /** The section's own heading (`''` for a page's introduction). */
  heading: string;
  /** Heading breadcrumb, page title first. */
  headings: string[];
  /** Heading anchor (`''` for a page's introduction). */
  anchor: string;
  /** Link to the page and heading (`/path/#anchor`). */
  url: string;
  /** A short excerpt (at most ~280 characters). */
  snippet: string;
}

/** A source with the full text the answer was built from. */
export interface AnswerSource extends SourceInfo {
  chunkId: string | null;
  text: string;
}

const SNIPPET_CHARS = 280;

/** A whitespace-normalised excerpt of `text`, cut at a word boundary. */
export function snippetOf(text: string, max = SNIPPET_CHARS): string {
  const flat = text
    .replace(/```[^\n]*\n/g, ' ')
    .replace(/```/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

/** Turns a search result into an answer source. */
export function toAnswerSource(result: SearchResult): AnswerSource {
  return {
    rank: result.rank,
    score: result.score,
    source: result.source,
    path: result.path,
    title: result.title,
    heading: result.headings.length > 1 ? result.headings[result.headings.length - 1]! : '',
    headings: result.headings,
    anchor: result.anchor,
    url: result.url,
    snippet: snippetOf(result.text),
    chunkId: result.chunkId,
    text: result.text,
  };
}

/** Drops the fields that only the server needs. */
export function toSourceInfo(source: AnswerSource): SourceInfo {
  const { chunkId: _chunkId, text: _text, ...info } = source;
  return info;
}

/** Splits a stored breadcrumb (`Title > H2 > H3`) back into headings. */
export function splitBreadcrumb(breadcrumb: string): string[] {
  return breadcrumb.split(' > ').filter((h) => h !== '');
}
