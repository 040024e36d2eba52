/**
 * The warnings of each page in one ingest run: those its reading found, for a page read this
 * run, or those stored with it (`documents.warnings`), for a page unchanged since. Listed by the
 * page's path, whatever order the pages were read in, so every run lists them alike.
 */
import type { IngestIssue } from './types';

/** Each page's warnings in a run, by page path. */
export class PageWarnings {
  private readonly byPage = new Map<string, readonly IngestIssue[]>();

  /** Sets the warnings of the page at `path` (replacing any set before: the page was read again). */
  set(path: string, warnings: readonly IngestIssue[]): void {
    if (warnings.length === 0) this.byPage.delete(path);
    else this.byPage.set(path, warnings.map(({ path, line, message }) => ({ path, line, message })));
  }

  /** Forgets the warnings of the page at `path` (it failed: its errors say why). */
  delete(path: string): void {
    this.byPage.delete(path);
  }

  /** Every page's warnings, pages by path, each page's in the order they were found. */
  inPathOrder(): IngestIssue[] {
    return [...this.byPage.keys()].sort().flatMap((path) => this.byPage.get(path)!.map((w) => ({ ...w })));
  }
}
