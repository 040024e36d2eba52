/**
 * The naive baseline's chunking: a file's raw text (frontmatter, MDX and all, as a plain RAG
 * pipeline would read it) cut into fixed-size character chunks with LangChain's
 * `RecursiveCharacterTextSplitter` (default separators: blank line, line, space, character).
 *
 * Each chunk also gets a heading breadcrumb, only so that the eval can score it at section level
 * like Docent's own chunks; the breadcrumb is never embedded. It is the breadcrumb of the section
 * in force at the chunk's first line, taken from `parseDocument` (`ingest/parse.ts`), so page
 * titles (frontmatter `title`, else the first h1, else the file name) and heading texts are
 * exactly the ones Docent's chunks carry. Two details:
 * - `parseDocument` leaves out headings with no content of their own (`## A` directly followed
 *   by `### B`); a chunk whose first lines are only headings and blank lines takes the breadcrumb
 *   of the section those headings open.
 * - A file `parseDocument` rejects (e.g. invalid frontmatter) is still chunked and searched, as a naive
 *   pipeline would; its chunks carry only a title made from the file name.
 */
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { ParseError, parseDocument, titleFromPath } from '../../ingest/parse';

export interface NaiveChunkOptions {
  /** Characters per chunk at most. Default 1,000. */
  chunkSize?: number;
  /** Characters shared by consecutive chunks. Default 200. */
  chunkOverlap?: number;
}

export const DEFAULT_NAIVE_CHUNK_OPTIONS: Readonly<Required<NaiveChunkOptions>> = Object.freeze({
  chunkSize: 1000,
  chunkOverlap: 200,
});

export interface NaiveChunk {
  /** The file's path relative to the content folder, `/` separators. */
  path: string;
  /** Breadcrumb in force at the chunk's first line: page title, then h2, h3, … */
  headings: string[];
  /** The chunk's text, exactly as cut from the file (line endings normalised to `\n`). */
  text: string;
  /** Character offset of the chunk in the (normalised) file text. */
  offset: number;
  /** 1-based line of the chunk's first character. */
  line: number;
}

/** Splits one file's raw text into naive chunks with their breadcrumbs. */
export async function chunkFileNaively(path: string, source: string, options: NaiveChunkOptions = {}): Promise<NaiveChunk[]> {
  const { chunkSize, chunkOverlap } = { ...DEFAULT_NAIVE_CHUNK_OPTIONS, ...options };
  // The same normalisation as parseDocument, so line numbers agree with its sections.
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize, chunkOverlap });
  const pieces = await splitter.splitText(text);
  const breadcrumbAt = breadcrumbs(path, text);

  const chunks: NaiveChunk[] = [];
  let searchFrom = 0;
  for (const piece of pieces) {
    // Pieces are trimmed slices of the text, in order; an overlapping piece starts before the
    // previous one ends, but never before it starts.
    let offset = text.indexOf(piece, searchFrom);
    if (offset < 0) offset = text.indexOf(piece);
    if (offset < 0) throw new Error(`${path}: the text splitter returned a chunk that is not in the file`);
    searchFrom = offset + 1;
    const line = lineAt(text, offset);
    chunks.push({ path, headings: breadcrumbAt(line), text: piece, offset, line });
  }
  return chunks;
}

/** Returns a function giving the breadcrumb in force at a 1-based line of `text`. */
function breadcrumbs(path: string, text: string): (line: number) => string[] {
  let sections: { line: number; headings: string[] }[];
  try {
    const parsed = parseDocument(text, path);
    sections = [{ line: 1, headings: [parsed.title] }, ...parsed.sections];
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    const title = [titleFromPath(path)];
    return () => title;
  }
  const lines = text.split('\n');
  const isHeadingOrBlank = (l: string) => l.trim() === '' || /^ {0,3}#{1,6}(\s|$)/.test(l);

  return (line) => {
    let at = 0;
    for (let i = 0; i < sections.length && sections[i]!.line <= line; i++) at = i;
    const next = sections[at + 1];
    // A chunk that starts with headings belongs to the section they open.
    if (next && lines.slice(line - 1, next.line - 1).every(isHeadingOrBlank)) at += 1;
    return [...sections[at]!.headings];
  };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
