/**
 * Brings the database in line with a content folder, doing as little work as possible.
 *
 * 1. Scan: every file is read and hashed (with the pipeline's settings, so a change of chunk size
 *    or embedding input re-chunks everything). A document whose hash is unchanged costs nothing more,
 *    unless one of its links to other pages, as its last write recorded them (`page_links`), would
 *    now lead elsewhere (a page renamed, added or removed, a slug or the base URL changed): then it
 *    is read again. (A document written before links were recorded is parsed again when its text
 *    names a page added or removed, and updated only if its links now lead elsewhere.)
 *    A file that is no page only for the case of its extension (`README.MD`) gets a warning.
 *    An unchanged page's warnings are those stored with it (`documents.warnings`), reported again
 *    on every run until it is fixed; a page stored before ingest kept them, or with warnings found
 *    by a rule changed since, is read once for them (parsed, not embedded nor written: `warningsCheck`).
 * 2. Prepare: changed and new files are parsed and chunked, their links to another page's file
 *    pointed at that page's URL (`page-links.ts`). A file that fails to parse is reported
 *    (`path:line: message`) and skipped; its previous version, if any, stays indexed. (An MDX page
 *    MDX cannot parse is not such a file: `parseDocument` reads it as markdown, with a warning.)
 * 3. Reuse: a chunk whose content hash (breadcrumb, anchor, text and the exact embedding inputs)
 *    matches a stored chunk of the same embedding model takes that chunk's vector, wherever it
 *    was (same document, a renamed file, another source). Only the rest is embedded.
 * 4. Write: each document in its own transaction (document row, chunk deletes, moves, inserts),
 *    in path order, while the embedder already works on the next documents. Every vector is
 *    checked first (`checkVector`): one with NaN or ±Infinity, or of zeros, fails the documents
 *    that need it (reported like a parse error; their previous version stays), one of the wrong
 *    length stops the run (the model does not fit the index). A crash or a failing embedder at
 *    document N leaves documents before N new and the rest old; the next run finishes the job.
 *    Unchanged chunks of an edited document keep their rows (and ids).
 *    Steps 2 to 4 run on one batch of pages at a time (about 2 MB of markdown, `pageBatches`), so
 *    the chunks, inputs and vectors a run holds are one batch's, however large the change. A
 *    section repeated in a later batch takes the vector an earlier batch wrote (under `--force`,
 *    only one this run embedded), so a batched run embeds and counts what a single batch would.
 * 5. Purge: documents whose files are gone are deleted with their chunks, in one transaction.
 *
 * A change of embedding model (chunks of this source stored by another model) re-embeds every
 * document of the source; search only ever compares vectors of the model it embeds the query with.
 */
import { basename, resolve } from 'node:path';
import { and, desc, DrizzleQueryError, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../server/db/open';
import { queryRows } from '../server/db/open';
import { type DocumentWarning, type IngestCounts, chunks, documents, ingestRuns } from '../server/db/schema';
import { checkVector } from '../server/embed/check-vector';
import type { EmbeddingProvider } from '../server/embed/provider';
import { type ChunkOptions, type DocumentChunk, chunkSections } from './chunk';
import { type EmbeddingInputStrategy, EMBEDDING_INPUT_VERSION, combineWindowVectors, embeddingInputs } from './embed-input';
import { isOutdatedWarning, nothingToIndexWarning } from './empty-page';
import { isFolderPageName } from './folder-page';
import { type RecordedPageLinks, docusaurusPaths, linkedPage, mayLeadToPage, pageLinksMoved, pageLinkUrl, recordedTarget, withoutNumberPrefix } from './page-links';
import { mystLabels } from './myst-labels';
import { mystUntitledDocHrefs } from './myst-syntax';
import { pageTitleReader } from './page-titles';
import { sharedSlugWarnings } from './shared-slugs';
import { sharedUrlWarnings } from './shared-urls';
import { readPartials } from './partials';
import { includedSnippets, snippetBasePaths, snippetFileReader } from './snippets';
import { includedFiles } from './vitepress-includes';
import { decodeContent, ParseError, parseDocument } from './parse';
import { PageWarnings } from './page-warnings';
import { type ContentFile, DEFAULT_MAX_PAGE_BYTES, pageSizeAdvice, pageSizeProblem, readContentFiles, scanContentFolder, sha256, sha256Of } from './scan';
import type { IngestIssue, IngestProgress } from './types';
import { documentUrl } from './urls';

/**
 * Bumped when parsing or chunking changes in a way that should re-chunk every document (chunks
 * whose text did not change keep their vectors). 2: explicit heading ids (`{#id}`) and the data of
 * MDX attribute expressions (`heading-ids.ts`, `jsx-data.ts`). 3: the field a component documents
 * in string attributes, and objects of objects (`jsx-data.ts`). 4: `<br />` in MDX is a space.
 * 5: MDX that MDX 2 rejects is repaired (autolinks, `{` and `<` in text: `mdx-repair.ts`), and MDX
 * that still does not parse is indexed as markdown, with a warning, instead of failing.
 * 6: MkDocs admonitions and content tabs are indexed as prose with their titles, not as indented
 * code (`mkdocs-blocks.ts`). 7: the marker line of a GitHub alert (`> [!NOTE]`) is not indexed.
 * 8: TOML frontmatter (`+++`) is read, not indexed as text; MkDocs blocks inside list items.
 * 9: Hugo shortcodes are made markdown; Hugo's `_index.md` is a page, at its folder's URL.
 * 10: Liquid tags (GitBook, Jekyll) are made markdown too (`template-tags.ts`). 11: a Hugo tab
 * without a title takes the one its tab set lists; links to another page's file (`./Server.md`)
 * point at its URL (`page-links.ts`). 12: a container title's `{…}` attributes (`{open}`) are not
 * indexed. 13: an mkdocstrings directive (`::: httpx.Client`) is its object's name, not a container.
 * 14: MDX partials are read into the pages that include them; heading ids in MDX comments;
 * Docusaurus' mdx-code-block fences are MDX. 15: Docusaurus' magic comments leave code blocks.
 * 16: links to a Docusaurus `slug:` URL lead to its page. 17: a `README.md` is its folder's page,
 * at the folder's URL (`folder-page.ts`). 18: MkDocs snippets are read into their pages (`snippets.ts`).
 * 19: an oversized paragraph is cut between list items and after sentences (`chunk.ts`).
 * 20: MkDocs cross-references (`[App][textual.app.App]`) are their text; keys (`++ctrl+p++`) are
 * keys (`mkdocs-inline.ts`). 21: an empty code block is not indexed. 22: MyST directives, roles
 * and labels are made markdown (`myst-syntax.ts`); VitePress includes and code imports are read
 * into their pages (`vitepress-includes.ts`). 23: the home page without a markdown h1 takes its title
 * from an HTML `<h1>` before its first heading (`html-title.ts`). 24: in a changelog written flat, a
 * release's same-level headings go under it (`release-headings.ts`). 25: a page's first h1 is only its
 * first section when the page has several h1s and prose before it (`leading-h1.ts`). 26: a tab is read
 * after its label, from its `value` or its `<Tabs items={…}>` when it has no `label` (`tab-labels.ts`);
 * file tree components are read as lists (`file-trees.ts`); a component's `text` attribute is prose.
 * 27: a heading with only blank lines before the next heading of its level shares that one's
 * section (`A · B` in the breadcrumb) instead of being dropped (`parse.ts`).
 * 28: a heading with nothing to slug (`## 🚀`) is anchored `section` (`anchors.ts`); footnote
 * markers are dropped and their notes read `Note: …` (`parse.ts`); a file named in decomposed
 * Unicode (NFD, as on macOS) has its URL in composed form, and links find it (`urls.ts`, `page-links.ts`).
 * 29: old Docusaurus `<Tabs values={[{ label, value }]}>` label their tabs, and are not a list (`tab-labels.ts`).
 * 30: links written as HTML (`<a href>`) or JSX (`<a href>`, Docusaurus' `<Link to>`) are markdown
 * links, pointed as those are, and a link's `title` (a tooltip) is not read (`link-elements.ts`).
 * 31: MyST's `{ref}` and `{doc}` roles are links where they lead to a page, and a link to
 * `#label` leads to that MyST label's page (`myst-syntax.ts`, `page-links.ts`).
 * 32: a page titled from its file name leaves out the name's number prefix (`01-intro.md` →
 * "Intro": `number-prefix.ts`), and a MyST `{doc}` without a text shows its page's title (`page-titles.ts`).
 * 33: a page in a Fumadocs folder group, `(guides)/setup.mdx`, is at the URL without it (`/setup/`),
 * as are links to it (`urls.ts`, `page-links.ts`).
 * 34: what a component inside a list item (or a blockquote) contributes keeps the item's
 * indentation: a tab's label and its fenced code stay in the step, where the opening fence was at
 * the left margin and the code ran on through the steps below (`parse.ts`).
 */
export const PIPELINE_VERSION = 34;

export interface SyncOptions {
  /** Absolute path of the content folder. */
  contentDir: string;
  source: string;
  baseUrl: string;
  force: boolean;
  /**
   * Re-embed, as `force` does, the documents last written before this time (a timestamp as the
   * database writes it): those an unfinished `--force` run that started then did not reach.
   */
  forceWrittenBefore?: string;
  dryRun: boolean;
  /** Run even when the folder has no pages and the source has some, removing them all. Default false. */
  allowEmpty?: boolean;
  chunking: Required<ChunkOptions>;
  embeddingInput: EmbeddingInputStrategy;
  /** Inputs embedded per group of documents before they are written. Default {@link DEFAULT_EMBED_GROUP_SIZE}. */
  embedGroupSize?: number;
  /** Source bytes of pages read per batch. Default {@link DEFAULT_READ_BATCH_BYTES}. */
  readBatchBytes?: number;
  /** Largest page file read, in bytes. Default {@link DEFAULT_MAX_PAGE_BYTES}. */
  maxPageBytes?: number;
  signal?: AbortSignal;
  onProgress?: (event: IngestProgress) => void;
  /** Runs inside each document's transaction, after its writes (e.g. to record the run's progress with it). */
  onDocumentWritten?: (tx: Database, counts: IngestCounts) => Promise<void>;
}

/** What a sync did (or, in a dry run, would do). Counts are updated as it goes, so they are valid after a failure too. */
export interface SyncState extends IngestCounts {
  errors: IngestIssue[];
  warnings: IngestIssue[];
  notPages: IngestIssue[];
}

export function emptySyncState(): SyncState {
  return {
    documents: { added: 0, updated: 0, unchanged: 0, removed: 0, failed: 0 },
    chunks: { embedded: 0, reused: 0, removed: 0, total: 0 },
    errors: [],
    warnings: [],
    notPages: [],
  };
}

interface StoredDocument {
  id: string;
  path: string;
  contentHash: string;
  url: string;
  chunkCount: number;
  /** Its links that may lead to another page, as the last write recorded them; null before ingest recorded them. */
  pageLinks: RecordedPageLinks | null;
  /**
   * Its warnings as its last read found them; null for a document written before ingest kept them,
   * or whose warnings an earlier rule found (`isOutdatedWarning()`, `empty-page.ts`).
   */
  warnings: DocumentWarning[] | null;
}

interface PreparedChunk extends DocumentChunk {
  contentHash: string;
  inputs: string[];
}

interface WorkItem {
  file: ContentFile;
  hash: string;
  url: string;
  stored: StoredDocument | undefined;
  /** The partials an MDX page includes, by content-relative path (`partials.ts`); part of its hash. */
  partials: Map<string, string>;
  /** Only the URL changed (a new base URL) and the text links to no other page: no re-chunking. */
  relinkOnly: boolean;
  /**
   * Unchanged, written before ingest recorded its links, and its text names a page added or
   * removed: parsed again to see whether its links changed.
   */
  relinkCheck?: boolean;
  /**
   * Unchanged, but written before ingest kept a page's warnings: parsed again only to find them
   * (stored after the writes; nothing embedded, the document is not written).
   */
  warningsCheck?: boolean;
  /** Its warnings as this run read them (set when it is parsed). */
  warnings?: IngestIssue[];
  /** Its links that may lead to another page, as this run points them (set when it is parsed). */
  links?: RecordedPageLinks;
  title?: string;
  description?: string;
  frontmatter?: Record<string, unknown>;
  chunks?: PreparedChunk[];
}

/** Input vectors computed per embedding group before its documents are written. */
export const DEFAULT_EMBED_GROUP_SIZE = 64;

/**
 * Source bytes of pages read (parsed and chunked) per batch, before the batch is embedded and
 * written: about 3,000 sections of typical docs. Bounds what a large change holds in memory.
 */
export const DEFAULT_READ_BATCH_BYTES = 2_000_000;

/** Pages read per batch at most (many small pages cost memory too). */
const READ_BATCH_PAGES = 500;

/**
 * `work` cut, in order, into batches of at most `maxBytes` of source (a larger page is a batch of
 * its own) and `maxPages` pages. Pages whose only change is their URL weigh nothing.
 */
function pageBatches(work: WorkItem[], maxBytes: number, maxPages: number): WorkItem[][] {
  const batches: WorkItem[][] = [];
  let batch: WorkItem[] = [];
  let bytes = 0;
  for (const item of work) {
    const size = item.relinkOnly && item.links ? 0 : item.file.content.length;
    if (batch.length > 0 && (bytes + size > maxBytes || batch.length >= maxPages)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** From this many pages to read (parse and chunk), the run says how far it is, as reading a large site takes a minute or more. */
export const READING_PROGRESS_MIN_PAGES = 200;

/**
 * Call once before reading each of `total` pages (read in `batches`, for a dry run or not): says
 * how many there are, then each quarter read, when there are at least {@link READING_PROGRESS_MIN_PAGES}.
 */
function readingProgress(total: number, batches: number, dryRun: boolean, say: (message: string) => void): () => void {
  let read = 0;
  return () => {
    if (total < READING_PROGRESS_MIN_PAGES) return;
    if (read === 0) {
      say(
        batches === 1
          ? `Reading ${total} pages (parsing and chunking them before embedding)…`
          : `Reading ${total} pages in ${batches} batches${dryRun ? '' : ' (each parsed and chunked, then embedded and written)'}…`,
      );
    }
    else if (Math.floor((read * 4) / total) > Math.floor(((read - 1) * 4) / total)) say(`Read ${read}/${total} pages`);
    read++;
  };
}

/** Longest stretch of synchronous work (parsing pages) before the event loop gets a turn, in ms. */
const MAX_BLOCKING_MS = 20;

/**
 * A function to await between pieces of synchronous work: it lets the event loop run (requests,
 * timers, signals) once {@link MAX_BLOCKING_MS} have passed since it last did, and costs nothing otherwise.
 */
function eventLoopYielder(): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < MAX_BLOCKING_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}

/**
 * Thrown, before anything is written, by a run that finds no pages in its folder while the index
 * holds pages of its source: it would remove them all, which is almost always a mistake (a
 * submodule not checked out, a wrong mount in CI). {@link SyncOptions.allowEmpty} allows it.
 */
export class EmptyContentError extends Error {
  override readonly name = 'EmptyContentError';
  constructor(
    readonly contentDir: string,
    readonly source: string,
    readonly storedPages: number,
  ) {
    super(
      `no pages found in ${contentDir}, but the index holds ${storedPages} page${storedPages === 1 ? '' : 's'} of source "${source}": ` +
        `the run would remove them all, so nothing was changed. Check the folder (a submodule not checked out, a wrong path or mount); ` +
        `to empty the source on purpose, run the ingest with --allow-empty.`,
    );
  }
}

/**
 * Runs one sync of `options.contentDir` into the database, updating `state` as it goes. A dry run
 * may pass no database (`undefined`: none exists yet), and then compares with an empty index.
 */
export async function syncContent(
  db: Database | undefined,
  embedder: EmbeddingProvider,
  options: SyncOptions,
  state: SyncState = emptySyncState(),
): Promise<SyncState> {
  // The pages' warnings come after the run's own (files that are no page, shared URLs), by path;
  // also those found before a run that stops half-way.
  const pageWarnings = new PageWarnings();
  try {
    return await syncFolder(db, embedder, options, state, pageWarnings);
  } finally {
    // One at a time: a generated page may warn of more things than a call may pass.
    for (const warning of pageWarnings.inPathOrder()) state.warnings.push(warning);
  }
}

async function syncFolder(
  db: Database | undefined,
  embedder: EmbeddingProvider,
  options: SyncOptions,
  state: SyncState,
  pageWarnings: PageWarnings,
): Promise<SyncState> {
  const progress = (event: IngestProgress) => options.onProgress?.(event);
  const { documents: docCounts, chunks: chunkCounts } = state;

  // 1. Scan and classify.
  const { pages: paths, ignored, notPages, unreadable, failed: scanFailed } = await scanContentFolder(options.contentDir, { maxPageBytes: options.maxPageBytes });
  // Files that look like pages but are not (`README.MD`, drafts): the site does not build them either.
  for (const file of ignored) state.warnings.push({ path: file.path, line: null, message: file.reason });
  for (const file of notPages) state.notPages.push({ path: file.path, line: null, message: file.reason });
  // A folder that cannot be listed fails like a file that cannot be read: reported, and its pages
  // stay as they were (they are not gone, only unseen).
  for (const folder of unreadable) {
    docCounts.failed++;
    state.errors.push({ path: folder.path, line: null, message: `folder cannot be read: ${folder.reason}; its pages are kept as they were` });
  }
  const inUnreadableFolder = (path: string) => unreadable.some((folder) => path.startsWith(folder.path));
  progress({ phase: 'scan', done: paths.length, total: paths.length });
  const files = await readContentFiles(options.contentDir, paths, options.maxPageBytes);
  const fingerprint = JSON.stringify({
    pipeline: PIPELINE_VERSION,
    input: EMBEDDING_INPUT_VERSION,
    chunking: options.chunking,
    embeddingInput: options.embeddingInput,
  });

  const stored = db ? await loadStoredDocuments(db, options.source) : new Map<string, StoredDocument>();
  // A change of embedding model re-embeds the documents that hold chunks of another model: all of
  // them at first, and after a run stopped half-way only those it did not reach.
  const stale = db ? await loadOtherModels(db, options.source, embedder.modelId) : { models: [], paths: new Set<string>() };
  const staleModels = stale.models;
  const unreached =
    db && !options.force && staleModels.length === 0 && options.forceWrittenBefore
      ? await documentsWrittenBefore(db, options.source, options.forceWrittenBefore)
      : new Set<string>();
  const forced = (path: string) => options.force || stale.paths.has(path) || unreached.has(path);
  /** Whether a document's chunks are embedded again even when a stored vector of the model exists. */
  const reembeds = (path: string) => options.force || unreached.has(path);
  if (staleModels.length > 0) {
    progress({
      phase: 'scan',
      done: paths.length,
      total: paths.length,
      message:
        `Embedding model changed (${staleModels.join(', ')} → ${embedder.modelId}): ` +
        (stale.paths.size < stored.size
          ? `re-embedding the ${stale.paths.size} document(s) of "${options.source}" not re-embedded yet.`
          : `re-embedding every document of "${options.source}".`),
    });
  } else if (options.force && stored.size > 0) {
    progress({ phase: 'scan', done: paths.length, total: paths.length, message: '--force: re-embedding every document.' });
  } else if (unreached.size > 0) {
    progress({
      phase: 'scan',
      done: paths.length,
      total: paths.length,
      message: `The last --force run did not finish: re-embedding the ${unreached.size} document(s) it did not reach.`,
    });
  } else if (db && stored.size > 0) {
    // After an upgrade every page reads as changed: say why.
    const previous = await lastPipelineVersion(db, options.source);
    if (previous !== undefined && previous !== PIPELINE_VERSION) {
      progress({
        phase: 'scan',
        done: paths.length,
        total: paths.length,
        message:
          `This version of Docent reads pages differently (pipeline ${previous} → ${PIPELINE_VERSION}): ` +
          `re-reading every document of "${options.source}"; sections whose text is unchanged keep their embeddings.`,
      });
    }
  }

  // Links to other pages are pointed at their URLs, so an unchanged page is read again when one
  // of its links, as its last write recorded them, would now lead elsewhere (a page renamed, added
  // or removed, a slug or the base URL changed). A page written before links were recorded is
  // read again when its text names a page added or gone since the last run (`relinkCheck`).
  // The pages of an unreadable folder are still pages (kept as they were): links to them stay.
  const pages = new Set([...paths, ...[...stored.keys()].filter(inUnreadableFolder)]);
  const storedPages = new Set(stored.keys());
  const pageNames = linkedNames([...paths.filter((p) => !storedPages.has(p)), ...[...storedPages].filter((p) => !pages.has(p))]);
  // Each readable file's text, decoded once (its partials, links and slugs are read from it).
  const texts = new Map(files.filter((f) => f.readError === undefined).map((f) => [f.path, f.content.toString('utf8')] as const));
  const rootName = basename(options.contentDir);
  // The scans of every page's text below (slugs, labels, shared slugs) must not stop the run for
  // one page that makes them fail unexpectedly (a bug, a generated page past what that code
  // expects): such a page fails alone, as when its reading fails below ({@link acrossPages}).
  const scanFailures = new Map<string, unknown>(scanFailed.map((page) => [page.path, page.error]));
  for (const page of scanFailed) texts.delete(page.path);
  // Docusaurus URLs from frontmatter (`slug: /sidebar/items`), which links may be written to.
  const slugs = acrossPages(texts, docusaurusPaths, scanFailures);
  // MyST labels (`(netpol)=`), which links may be written to (`[policies](netpol)`).
  const labels = acrossPages(texts, mystLabels, scanFailures);
  // Pages whose frontmatter `slug:` claims a URL another page claims too (`shared-slugs.ts`), said after the run's other warnings.
  const slugWarnings = acrossPages(texts, (sources) => sharedSlugWarnings(sources, pages, options.baseUrl), scanFailures);
  /** The URL a link written in page `from` is pointed at in this run, if any. */
  const linkUrlFrom = (from: string, href: string) => pageLinkUrl(href, from, pages, { rootName, baseUrl: options.baseUrl, slugs, labels });
  // Pages' titles, which a MyST `{doc}` role without a text of its own shows (`{doc}\`install\``).
  const titleOf = pageTitleReader((page) => texts.get(page));
  /** The title of the page a link written in page `from` leads to, if known. */
  const linkedPageTitleFrom = (from: string, href: string) => {
    const linked = linkedPage(href, from, pages, { rootName, slugs, labels });
    return linked && titleOf(linked.page);
  };
  // MkDocs snippets (`--8<-- "includes/note.md"`) are read from the folders mkdocs.yml gives them.
  const readSnippet = snippetFileReader(snippetBasePaths(options.contentDir));
  // VitePress includes (`<!--@include: ./parts/a.md-->`, `<<< @/snippets/a.ts`) from the content folder.
  const readInclude = snippetFileReader([resolve(options.contentDir)]);
  const work: WorkItem[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    seen.add(file.path);
    if (file.readError !== undefined) {
      // Like a file that fails to parse: reported, and its previous version (if any) stays.
      docCounts.failed++;
      state.errors.push({ path: file.path, line: null, message: file.tooLarge === undefined ? `cannot be read: ${file.readError}` : tooLargeMessage(file.tooLarge, options.maxPageBytes) });
      continue;
    }
    if (scanFailures.has(file.path)) {
      // Its earlier version, if any, stays (it is seen, so not purged).
      docCounts.failed++;
      state.errors.push(pageFailure(file.path, scanFailures.get(file.path)));
      continue;
    }
    // A page is as its partials, includes and snippets make it: a changed one changes its hash.
    const text = texts.get(file.path)!;
    let partials: Map<string, string>;
    let hash: string;
    try {
      partials = await readPartials(options.contentDir, file.path, text);
      const included = [...includedFiles(text, file.path, readInclude), ...includedSnippets(text, readSnippet)];
      // So is it by the titles its `{doc}` roles show: the page reads otherwise when one changes.
      const docTitles = mystUntitledDocHrefs(text).map((href) => linkedPageTitleFrom(file.path, href) ?? '');
      hash = sha256Of([fingerprint, file.content, ...[...partials].flat(), ...included.flat(), ...docTitles]);
    } catch (error) {
      // Finding what the page includes failed in a way no page should (a bug, a generated page past
      // what that code expects): the page fails on its own, as when its reading fails below, and
      // its earlier version stays. (Nothing here asks the database or the embedder.)
      docCounts.failed++;
      state.errors.push(pageFailure(file.path, error));
      continue;
    }
    const url = documentUrl(file.path, options.baseUrl);
    const old = stored.get(file.path);
    if (old && old.contentHash === hash && !forced(file.path)) {
      // Its warnings are those stored with it; a page stored before they were is read once for them.
      const warnings = old.warnings;
      if (warnings) pageWarnings.set(file.path, warnings);
      if (old.pageLinks) {
        if (pageLinksMoved(old.pageLinks, (href) => linkUrlFrom(file.path, href))) work.push({ file, hash, url, stored: old, partials, relinkOnly: false });
        else if (old.url !== url) work.push({ file, hash, url, stored: old, partials, relinkOnly: true, ...(warnings ? { links: old.pageLinks } : {}) });
        else if (warnings) docCounts.unchanged++;
        else work.push({ file, hash, url, stored: old, partials, relinkOnly: false, warningsCheck: true });
        continue;
      }
      if (old.url === url) {
        // A cheap test before parsing it again: its text names a page added or removed.
        if (pageNames.some((name) => text.includes(name))) work.push({ file, hash, url, stored: old, partials, relinkOnly: false, relinkCheck: true });
        else if (warnings) docCounts.unchanged++;
        else work.push({ file, hash, url, stored: old, partials, relinkOnly: false, warningsCheck: true });
        continue;
      }
      work.push({ file, hash, url, stored: old, partials, relinkOnly: true });
      continue;
    }
    work.push({ file, hash, url, stored: old, partials, relinkOnly: false });
  }
  const warningsChecks = work.filter((item) => item.warningsCheck).length;
  if (warningsChecks > 0) {
    progress({
      phase: 'scan',
      done: paths.length,
      total: paths.length,
      message:
        `Reading ${warningsChecks} unchanged page${warningsChecks === 1 ? '' : 's'} once for ${warningsChecks === 1 ? 'its' : 'their'} warnings ` +
        `(stored with each page from now on, so every run reports them); nothing is re-embedded.`,
    });
  }
  const removed = [...stored.values()].filter((d) => !seen.has(d.path) && !inUnreadableFolder(d.path));
  if (paths.length === 0 && removed.length > 0 && removed.length === stored.size && !options.allowEmpty) {
    throw new EmptyContentError(options.contentDir, options.source, stored.size);
  }

  // Two files at one URL (`a.md` and `a.mdx`, `guide.md` and `guide/index.md`): the site serves one
  // of them, so links to the others and their citations open it (`shared-urls.ts`).
  for (const warning of sharedUrlWarnings(pages, options.baseUrl)) state.warnings.push(warning);
  // URLs that differ only in case (`Setup.md`, `setup.md`) are two pages here, but one file on
  // macOS and Windows, where the site cannot be checked out or served as built.
  const byUrl = new Map<string, string>();
  const byFoldedUrl = new Map<string, string>();
  for (const file of files) {
    const url = documentUrl(file.path, options.baseUrl);
    const first = byUrl.get(url);
    const sameButCase = byFoldedUrl.get(url.toLowerCase());
    if (first === undefined) byUrl.set(url, file.path);
    if (sameButCase === undefined) byFoldedUrl.set(url.toLowerCase(), file.path);
    else if (first === undefined) {
      state.warnings.push({
        path: file.path,
        line: null,
        message: `has a URL that differs from ${sameButCase}'s only in case: on macOS and Windows the two are one file, so the docs site cannot be checked out or served there as built. Rename one of them.`,
      });
    }
  }

  for (const warning of slugWarnings) state.warnings.push(warning);

  // The texts were needed for hashes, partials and slugs; each page is decoded again when it is read.
  texts.clear();
  if (!options.dryRun && !db) throw new Error('A database is needed, except for a dry run');

  // Steps 2 to 4 run on a batch of pages at a time (`pageBatches`), so what a run holds in memory
  // (chunks, their inputs and vectors) is bounded by the batch, not by the size of the change.
  const batches = pageBatches(work, options.readBatchBytes ?? DEFAULT_READ_BATCH_BYTES, READ_BATCH_PAGES);
  /** Documents written before links were recorded, found unchanged by a relink check: their links are recorded after the writes. */
  const linksToRecord: { id: string; links: RecordedPageLinks }[] = [];
  /** Unchanged documents read for their warnings (stored before ingest kept them): their warnings are recorded after the writes. */
  const warningsToRecord: { id: string; warnings: IngestIssue[] }[] = [];
  const reading = readingProgress(work.length, batches.length, options.dryRun, (message) => progress({ phase: 'scan', done: paths.length, total: paths.length, message }));
  // Pages to write: those to read, less the ones that fail to parse or turn out unchanged, as they are read.
  let documentsToWrite = work.length + (removed.length > 0 ? 1 : 0);
  let written = 0;
  let totalToEmbed = 0;
  let embeddedSoFar = 0;
  /** Chunk contents this run embedded and wrote; `runStart` is the database's time before it wrote anything. */
  const embeddedThisRun = new Set<string>();
  const runStart = db && !options.dryRun ? (await queryRows<{ now: string }>(db, sql`select now()::text as now`))[0]!.now : undefined;
  const dryRun: DryRunTally = { embedded: new Set(), untouched: new Set(stored.keys()), total: 0 };
  const yieldNow = eventLoopYielder();
  let pagesRead = 0;
  for (const batch of batches) {
    // 2. Prepare: parse and chunk what changed. Links to another page's file point at its URL.
    const ready: WorkItem[] = [];
    for (const item of batch) {
      reading();
      // Pages read before this one (a server's health check shows how far reading is).
      progress({ phase: 'read', done: pagesRead++, total: work.length });
      // Parsing is synchronous: a server ingesting in the background must go on answering meanwhile.
      await yieldNow();
      options.signal?.throwIfAborted();
      // A new base URL with the links known to lead to no page: only the document's URL changes.
      if (item.relinkOnly && item.links) {
        ready.push(item);
        continue;
      }
      let linksToPages = false;
      const links = new Map<string, string | null>(); // a Map: an href may be `__proto__`
      const linkUrl = (href: string) => {
        const url = linkUrlFrom(item.file.path, href);
        if (url !== undefined) linksToPages = true;
        // (On MyST docs, `#name` may name a label of another page: `page-links.ts`.)
        if (mayLeadToPage(href) || (labels.size > 0 && href.startsWith('#'))) links.set(href, recordedTarget(href, url));
        return url;
      };
      /** The page's chunks, before their embedding inputs are made (an error of the embedder stops the run). */
      let chunked: ReturnType<typeof chunkSections>;
      try {
        const source = decodeContent(item.file.content, item.file.path);
        const linkedPageTitle = (href: string) => linkedPageTitleFrom(item.file.path, href);
        const parsed = parseDocument(source, item.file.path, { linkUrl, labels, linkedPageTitle, partials: item.partials, snippets: readSnippet, includes: readInclude });
        const empty = nothingToIndexWarning(item.file.path, parsed);
        item.warnings = empty ? [...parsed.warnings, empty] : parsed.warnings;
        pageWarnings.set(item.file.path, item.warnings);
        if (item.relinkCheck) {
          // Unchanged, but a page it may link to was added or removed: changed only if its links read otherwise.
          const before = parseDocument(source, item.file.path, {
            partials: item.partials,
            snippets: readSnippet,
            includes: readInclude,
            labels,
            linkedPageTitle,
            linkUrl: (href) => pageLinkUrl(href, item.file.path, storedPages, { rootName, baseUrl: options.baseUrl, slugs, labels }),
          });
          if (JSON.stringify(before.sections) === JSON.stringify(parsed.sections)) {
            docCounts.unchanged++;
            documentsToWrite--;
            linksToRecord.push({ id: item.stored!.id, links: Object.fromEntries(links) });
            if (item.stored!.warnings === null) warningsToRecord.push({ id: item.stored!.id, warnings: item.warnings });
            continue;
          }
        } else if (item.warningsCheck) {
          // Unchanged, read only for its warnings.
          docCounts.unchanged++;
          documentsToWrite--;
          warningsToRecord.push({ id: item.stored!.id, warnings: item.warnings });
          continue;
        }
        item.links = Object.fromEntries(links);
        // A new base URL changes only the document's URL, unless its text links to other pages.
        if (item.relinkOnly && !linksToPages) {
          ready.push(item);
          continue;
        }
        item.relinkOnly = false;
        item.title = parsed.title;
        item.description = parsed.description;
        item.frontmatter = jsonSafe(parsed.frontmatter);
        chunked = chunkSections(parsed.sections, options.chunking);
      } catch (error) {
        // A page that cannot be read fails on its own, and so does one whose reading fails in a way
        // no page should (a bug, or a generated page past a limit of the parser's code): its earlier
        // version stays, and the other pages are ingested. Errors of the database or the embedder
        // happen outside this block, and stop the run.
        pageWarnings.delete(item.file.path); // its error says what is wrong with it now
        docCounts.failed++;
        documentsToWrite--;
        state.errors.push(pageFailure(item.file.path, error));
        continue;
      }
      item.chunks = chunked.map((chunk) => {
        const inputs = embeddingInputs(chunk, embedder, options.embeddingInput);
        const contentHash = sha256(JSON.stringify([chunk.headings, chunk.anchor, chunk.text]), ...inputs);
        return { ...chunk, contentHash, inputs };
      });
      ready.push(item);
    }

    progress({ phase: 'read', done: pagesRead, total: work.length });

    // 3. Reuse: which chunk contents already have a vector of this model?
    const wanted = [...new Set(ready.flatMap((item) => item.chunks?.map((c) => c.contentHash) ?? []))];
    const reusable = options.force || !db ? new Map<string, number[]>() : await loadVectors(db, wanted, embedder.modelId);
    // A document this run re-embeds (`--force`, or one an unfinished forced run did not reach) takes
    // only vectors this run embedded: those of earlier batches, from the rows it wrote.
    const embeddedBefore = [
      ...new Set(
        ready.flatMap((item) =>
          reembeds(item.file.path) ? (item.chunks ?? []).map((c) => c.contentHash).filter((h) => embeddedThisRun.has(h)) : [],
        ),
      ),
    ];
    const reembedded =
      db && runStart !== undefined && embeddedBefore.length > 0
        ? await loadVectors(db, embeddedBefore, embedder.modelId, { writtenSince: runStart, source: options.source, paths: options.force ? undefined : unreached })
        : new Map<string, number[]>();

    // Inputs to embed, in document order; a content hash is embedded once per run.
    const toEmbed = new Set<string>();
    for (const item of ready) {
      for (const c of item.chunks ?? []) {
        const h = c.contentHash;
        if (reembeds(item.file.path) ? !reembedded.has(h) : !reusable.has(h)) toEmbed.add(h);
      }
    }

    if (options.dryRun || !db) {
      await countDryRun(db, state, dryRun, { ready, stored, toEmbed, forced, modelId: embedder.modelId });
      continue;
    }

    // 4. Embed (ahead, in groups) and write (one transaction per document, in order).
    totalToEmbed += toEmbed.size;
    // The size of the work, before the embedder (loading its model, a few seconds) reports any; after
    // each batch read, also one with nothing new to embed (the progress bar estimates the chunks of
    // the pages not read yet from those read).
    if (totalToEmbed > 0) progress({ phase: 'embed', done: embeddedSoFar, total: totalToEmbed });
    const inputsByHash = new Map<string, string[]>();
    for (const item of ready) for (const c of item.chunks ?? []) inputsByHash.set(c.contentHash, c.inputs);
    const fresh = new Map<string, number[]>();
    /** Chunk contents whose vector came back unusable (NaN, ±Infinity, zeros): what the model returned. */
    const unusable = new Map<string, string>();

    const groups: WorkItem[][] = [];
    {
      let group: WorkItem[] = [];
      let inputs = 0;
      const planned = new Set<string>();
      for (const item of ready) {
        group.push(item);
        for (const c of item.chunks ?? []) {
          if (toEmbed.has(c.contentHash) && !planned.has(c.contentHash)) {
            planned.add(c.contentHash);
            inputs += c.inputs.length;
          }
        }
        if (inputs >= (options.embedGroupSize ?? DEFAULT_EMBED_GROUP_SIZE)) {
          groups.push(group);
          group = [];
          inputs = 0;
        }
      }
      if (group.length) groups.push(group);
    }

    const planned = new Set<string>();
    const embedGroup = async (group: WorkItem[]): Promise<void> => {
      const hashes: string[] = [];
      const pathOf = new Map<string, string>(); // content hash → the file it is embedded for
      for (const item of group) {
        for (const c of item.chunks ?? []) {
          if (toEmbed.has(c.contentHash) && !planned.has(c.contentHash)) {
            planned.add(c.contentHash);
            hashes.push(c.contentHash);
            pathOf.set(c.contentHash, item.file.path);
          }
        }
      }
      if (hashes.length === 0) return;
      const inputs = hashes.flatMap((h) => inputsByHash.get(h)!);
      const ends: number[] = [];
      let end = 0;
      for (const h of hashes) ends.push((end += inputsByHash.get(h)!.length));
      const base = embeddedSoFar;
      let reported = 0;
      const vectors = await embedder.embedDocuments(inputs, {
        signal: options.signal,
        onProgress: (done) => {
          let chunksDone = 0;
          while (chunksDone < ends.length && ends[chunksDone]! <= done) chunksDone++;
          if (chunksDone > reported) {
            reported = chunksDone;
            progress({ phase: 'embed', done: Math.min(totalToEmbed, base + chunksDone), total: totalToEmbed });
          }
        },
        // A rate limit during a long ingest is normal: say why the run pauses, so it does not look hung.
        onWait: (message) => progress({ phase: 'embed', done: Math.min(totalToEmbed, base + reported), total: totalToEmbed, message }),
      });
      embeddedSoFar = base + hashes.length;
      // An embedder that reports no progress of its own (or not its last inputs): the group is embedded.
      if (hashes.length > reported) progress({ phase: 'embed', done: Math.min(totalToEmbed, embeddedSoFar), total: totalToEmbed });
      if (vectors.length !== inputs.length) {
        throw new Error(`The embedder returned ${vectors.length} vectors for ${inputs.length} inputs`);
      }
      // Every vector is checked before it is combined or stored. A vector of the wrong shape means
      // the model does not fit the index (the run stops); NaN, ±Infinity or zeros fail only the documents
      // that need that vector (they keep their previous version), the others still land.
      let at = 0;
      for (const h of hashes) {
        const windows = vectors.slice(at, at + inputsByHash.get(h)!.length);
        at += windows.length;
        const problem = windows.map((v) => checkVector(v, embedder.dimensions)).find((p) => p !== undefined);
        if (problem?.kind === 'shape') {
          throw new Error(
            `The embedding model ${embedder.modelId} returned ${problem.message} for ${pathOf.get(h)}; ` +
              `Docent stores ${embedder.dimensions}-dimensional vectors`,
          );
        }
        if (problem) unusable.set(h, problem.message);
        else fresh.set(h, combineWindowVectors(windows));
      }
    };

    const usedFresh = new Set<string>();
    let pending: Promise<void> | undefined = groups.length ? embedGroup(groups[0]!) : undefined;
    pending?.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
    for (let g = 0; g < groups.length; g++) {
      await pending;
      pending = g + 1 < groups.length ? embedGroup(groups[g + 1]!) : undefined;
      pending?.catch(() => {});
      for (const item of groups[g]!) {
        options.signal?.throwIfAborted();
        const unembedded = item.chunks?.find((c) => unusable.has(c.contentHash));
        if (unembedded) {
          docCounts.failed++;
          state.errors.push({
            path: item.file.path,
            line: null,
            message:
              `the embedding model ${embedder.modelId} returned ${unusable.get(unembedded.contentHash)} ` +
              `for the section "${unembedded.heading}"; its previous version, if any, stays indexed`,
          });
          // Failed, not written: it leaves the documents to write, as a file that failed to parse
          // never was one of them, and the display counts it with them as failed.
          progress({ phase: 'document', done: written, total: --documentsToWrite, failed: docCounts.failed });
          continue;
        }
        await storing(item.file.path, () => db.transaction(async (tx) => {
          const counts = await writeDocument(tx as unknown as Database, options.source, item, embedder.modelId, {
            force: forced(item.file.path),
            vectorFor: (hash) => {
              const f = fresh.get(hash);
              if (f && !usedFresh.has(hash)) {
                usedFresh.add(hash);
                embeddedThisRun.add(hash);
                return { vector: f, embedded: true };
              }
              const v = f ?? reembedded.get(hash) ?? reusable.get(hash);
              if (!v) throw new Error(`internal: no vector for chunk ${hash}`);
              return { vector: v, embedded: false };
            },
          });
          const next = structuredClone({ documents: docCounts, chunks: chunkCounts });
          if (item.relinkOnly || item.stored) next.documents.updated++;
          else next.documents.added++;
          next.chunks.embedded += counts.embedded;
          next.chunks.reused += counts.reused;
          next.chunks.removed += counts.removed;
          await options.onDocumentWritten?.(tx as unknown as Database, next);
          // Only once the transaction's work is done do the in-memory counts move.
          Object.assign(docCounts, next.documents);
          Object.assign(chunkCounts, next.chunks);
        }));
        progress({ phase: 'document', done: ++written, total: documentsToWrite, failed: docCounts.failed, path: item.file.path });
      }
    }

    // The batch is written: its chunks and vectors are no longer needed.
    for (const item of ready) item.chunks = undefined;
  }

  if (options.dryRun || !db) {
    finishDryRun(state, dryRun, { removed, stored });
    progress({ phase: 'done', done: 0, total: 0 });
    return state;
  }

  // Unchanged documents checked the slow way record their links, for the sharper test next time.
  for (let i = 0; i < linksToRecord.length; i += 500) {
    options.signal?.throwIfAborted();
    const rows = sql.join(
      linksToRecord.slice(i, i + 500).map((r) => sql`(${r.id}::uuid, ${JSON.stringify(r.links)}::jsonb)`),
      sql`, `,
    );
    await db.execute(sql`update ${documents} set page_links = v.links from (values ${rows}) as v(id, links) where ${documents.id} = v.id`);
  }
  // Unchanged documents read for their warnings keep them, so the next run need not read them.
  for (let i = 0; i < warningsToRecord.length; i += 500) {
    options.signal?.throwIfAborted();
    const rows = sql.join(
      warningsToRecord.slice(i, i + 500).map((r) => sql`(${r.id}::uuid, ${JSON.stringify(r.warnings)}::jsonb)`),
      sql`, `,
    );
    await db.execute(sql`update ${documents} set warnings = v.warnings from (values ${rows}) as v(id, warnings) where ${documents.id} = v.id`);
  }

  // 5. Purge documents whose files are gone.
  if (removed.length > 0) {
    options.signal?.throwIfAborted();
    await db.transaction(async (tx) => {
      await tx.delete(documents).where(
        inArray(
          documents.id,
          removed.map((d) => d.id),
        ),
      );
      const next = structuredClone({ documents: docCounts, chunks: chunkCounts });
      next.documents.removed += removed.length;
      next.chunks.removed += removed.reduce((sum, d) => sum + d.chunkCount, 0);
      await options.onDocumentWritten?.(tx as unknown as Database, next);
      Object.assign(docCounts, next.documents);
      Object.assign(chunkCounts, next.chunks);
    });
    const names = removed.slice(0, 5).map((d) => d.path).join(', ');
    progress({
      phase: 'document',
      done: ++written,
      total: documentsToWrite,
      failed: docCounts.failed,
      message: `Removed ${removed.length} document${removed.length === 1 ? '' : 's'} whose files are gone: ${names}${removed.length > 5 ? ', …' : ''}`,
    });
  }

  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ${chunks} join ${documents} on ${documents.id} = ${chunks.documentId}
        where ${documents.source} = ${options.source}`,
  );
  chunkCounts.total = Number(row?.n ?? 0);
  progress({ phase: 'done', done: written, total: documentsToWrite });
  return state;
}

/**
 * Runs a document's write, naming the document when it fails. A failed query is reported by the
 * database's own message, not drizzle's "Failed query: …" text (the whole statement and every
 * parameter, 512 numbers per vector).
 */
async function storing<T>(path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof DrizzleQueryError)) throw error;
    const reason = error.cause instanceof Error ? error.cause.message : error.message.split('\n', 1)[0]!;
    throw new Error(`Could not store ${path}: ${reason}`, { cause: error });
  }
}

/** What a dry run counted in the batches before, for the next ones and the end. */
interface DryRunTally {
  /** Chunk contents it would embed (each once). */
  embedded: Set<string>;
  /** Stored documents no batch would write so far. */
  untouched: Set<string>;
  /** Chunks the documents it would write would have. */
  total: number;
}

/** Adds to `state` what a run would do with one batch of documents, without writing or embedding anything. */
async function countDryRun(
  db: Database | undefined,
  state: SyncState,
  tally: DryRunTally,
  plan: {
    ready: WorkItem[];
    stored: Map<string, StoredDocument>;
    toEmbed: Set<string>;
    /** Whether a document is re-embedded whole (`--force`, a new model, an unfinished forced run). */
    forced: (path: string) => boolean;
    modelId: string;
  },
): Promise<void> {
  const { documents: docCounts, chunks: chunkCounts } = state;
  const rewritten = plan.ready.filter((item) => !item.relinkOnly && item.stored && !plan.forced(item.file.path)).map((item) => item.stored!.id);
  const oldHashes = new Map<string, string[]>();
  for (let i = 0; db && i < rewritten.length; i += 1000) {
    const rows = await db
      .select({ documentId: chunks.documentId, contentHash: chunks.contentHash, model: chunks.embeddingModel })
      .from(chunks)
      .where(inArray(chunks.documentId, rewritten.slice(i, i + 1000)));
    for (const r of rows) {
      if (r.model !== plan.modelId) continue;
      const list = oldHashes.get(r.documentId) ?? [];
      list.push(r.contentHash);
      oldHashes.set(r.documentId, list);
    }
  }

  const { embedded, untouched } = tally;
  for (const item of plan.ready) {
    untouched.delete(item.file.path);
    if (item.stored) docCounts.updated++;
    else docCounts.added++;
    if (item.relinkOnly) {
      tally.total += item.stored!.chunkCount;
      continue;
    }
    const old = [...(oldHashes.get(item.stored?.id ?? '') ?? [])];
    let kept = 0;
    for (const c of item.chunks!) {
      const i = old.indexOf(c.contentHash);
      if (i >= 0) {
        old.splice(i, 1);
        kept++;
        chunkCounts.reused++;
      } else if (plan.toEmbed.has(c.contentHash) && !embedded.has(c.contentHash)) {
        embedded.add(c.contentHash);
        chunkCounts.embedded++;
      } else chunkCounts.reused++;
    }
    chunkCounts.removed += item.stored ? item.stored.chunkCount - kept : 0;
    tally.total += item.chunks!.length;
  }
}

/** Completes a dry run's counts once every batch is counted: the documents it would remove, and the chunks there would be. */
function finishDryRun(state: SyncState, tally: DryRunTally, plan: { removed: StoredDocument[]; stored: Map<string, StoredDocument> }): void {
  const { documents: docCounts, chunks: chunkCounts } = state;
  let total = tally.total;
  for (const doc of plan.removed) tally.untouched.delete(doc.path);
  for (const path of tally.untouched) total += plan.stored.get(path)!.chunkCount; // unchanged and failed documents stay
  docCounts.removed = plan.removed.length;
  chunkCounts.removed += plan.removed.reduce((sum, d) => sum + d.chunkCount, 0);
  chunkCounts.total = total;
}

interface WriteOptions {
  force: boolean;
  vectorFor(hash: string): { vector: number[]; embedded: boolean };
}

/** Writes one document and its chunks. Runs inside the document's transaction. */
async function writeDocument(
  tx: Database,
  source: string,
  item: WorkItem,
  modelId: string,
  options: WriteOptions,
): Promise<{ embedded: number; reused: number; removed: number }> {
  // Two runs on a shared Postgres never interleave their writes to one document.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`docent:${source}\n${item.file.path}`}, 0))`);

  if (item.relinkOnly) {
    // Read again (its links were not known) or not: then its stored warnings stay.
    const warnings = item.warnings ? { warnings: item.warnings } : {};
    await tx.update(documents).set({ url: item.url, pageLinks: item.links ?? null, ...warnings }).where(eq(documents.id, item.stored!.id));
    return { embedded: 0, reused: 0, removed: 0 };
  }

  const values = {
    source,
    path: item.file.path,
    title: item.title!,
    description: item.description ?? null,
    url: item.url,
    contentHash: item.hash,
    frontmatter: item.frontmatter ?? {},
    pageLinks: item.links ?? null,
    warnings: item.warnings ?? [],
  };
  const [doc] = await tx
    .insert(documents)
    .values(values)
    .onConflictDoUpdate({
      target: [documents.source, documents.path],
      // The database's clock, as the runs' start times are (`documentsWrittenBefore`).
      set: { ...values, updatedAt: sql`now()` },
    })
    .returning({ id: documents.id });
  const documentId = doc!.id;

  const old = await tx
    .select({ id: chunks.id, contentHash: chunks.contentHash, ordinal: chunks.ordinal, embeddingModel: chunks.embeddingModel })
    .from(chunks)
    .where(eq(chunks.documentId, documentId));

  // Match unchanged chunks to their rows (same content, same model): they stay where they are.
  const keepable = new Map<string, (typeof old)[number][]>();
  if (!options.force) {
    for (const row of old) {
      if (row.embeddingModel !== modelId) continue;
      const list = keepable.get(row.contentHash) ?? [];
      list.push(row);
      keepable.set(row.contentHash, list);
    }
  }
  const kept = new Map<string, number>(); // row id → new ordinal
  const inserts: PreparedChunk[] = [];
  for (const chunk of item.chunks!) {
    const row = keepable.get(chunk.contentHash)?.shift();
    if (row) kept.set(row.id, chunk.ordinal);
    else inserts.push(chunk);
  }
  const stale = old.filter((row) => !kept.has(row.id)).map((row) => row.id);
  if (stale.length > 0) await tx.delete(chunks).where(inArray(chunks.id, stale));

  const moving = old.filter((row) => kept.has(row.id) && kept.get(row.id) !== row.ordinal);
  if (moving.length > 0) {
    const ids = moving.map((row) => row.id);
    // Out of the way first (ordinals are unique per document), then into place.
    await tx
      .update(chunks)
      .set({ ordinal: sql`-1 - ${chunks.ordinal}` })
      .where(and(eq(chunks.documentId, documentId), inArray(chunks.id, ids)));
    const rows = sql.join(
      moving.map((row) => sql`(${row.id}::uuid, ${kept.get(row.id)!}::int)`),
      sql`, `,
    );
    await tx.execute(
      sql`update ${chunks} set ordinal = v.ordinal from (values ${rows}) as v(id, ordinal) where ${chunks.id} = v.id`,
    );
  }

  let embedded = 0;
  let reused = kept.size;
  const rows = inserts.map((chunk) => {
    const { vector, embedded: isNew } = options.vectorFor(chunk.contentHash);
    if (isNew) embedded++;
    else reused++;
    return {
      documentId,
      ordinal: chunk.ordinal,
      headings: chunk.headings,
      heading: chunk.heading,
      anchor: chunk.anchor,
      text: chunk.text,
      tokenCount: chunk.tokenCount,
      contentHash: chunk.contentHash,
      embedding: vector,
      embeddingModel: modelId,
    };
  });
  for (let i = 0; i < rows.length; i += 200) await tx.insert(chunks).values(rows.slice(i, i + 200));
  return { embedded, reused, removed: stale.length };
}

async function loadStoredDocuments(db: Database, source: string): Promise<Map<string, StoredDocument>> {
  const rows = await queryRows<{
    id: string;
    path: string;
    content_hash: string;
    url: string;
    chunk_count: number;
    page_links: RecordedPageLinks | null;
    warnings: DocumentWarning[] | null;
  }>(
    db,
    sql`select d.id, d.path, d.content_hash, d.url, d.page_links, d.warnings, count(c.id)::int as chunk_count
        from ${documents} d left join ${chunks} c on c.document_id = d.id
        where d.source = ${source}
        group by d.id`,
  );
  return new Map(
    rows.map((r) => [
      r.path,
      {
        id: r.id,
        path: r.path,
        contentHash: r.content_hash,
        url: r.url,
        chunkCount: Number(r.chunk_count),
        pageLinks: r.page_links,
        // Warnings an earlier version found by a rule since changed are unknown: the page is read once for them.
        warnings: r.warnings?.some(isOutdatedWarning) ? null : r.warnings,
      },
    ]),
  );
}

/** Paths of `source`'s documents last written before `time` (a timestamp as the database writes it). */
async function documentsWrittenBefore(db: Database, source: string, time: string): Promise<Set<string>> {
  const rows = await db
    .select({ path: documents.path })
    .from(documents)
    .where(and(eq(documents.source, source), sql`${documents.updatedAt} < ${time}::timestamptz`));
  return new Set(rows.map((r) => r.path));
}

/** The pipeline version of the last finished ingest of `source`, if it recorded one (runs since version 29 do). */
async function lastPipelineVersion(db: Database, source: string): Promise<number | undefined> {
  const [run] = await db
    .select({ options: ingestRuns.options })
    .from(ingestRuns)
    .where(and(eq(ingestRuns.source, source), inArray(ingestRuns.status, ['succeeded', 'partial'])))
    .orderBy(desc(ingestRuns.startedAt))
    .limit(1);
  const version = run?.options.pipelineVersion;
  return typeof version === 'number' ? version : undefined;
}

/** Embedding models other than `modelId` that stored chunks of `source`, and the documents (paths) holding such chunks. */
async function loadOtherModels(db: Database, source: string, modelId: string): Promise<{ models: string[]; paths: Set<string> }> {
  const rows = await queryRows<{ model: string; path: string }>(
    db,
    sql`select distinct c.embedding_model as model, d.path
        from ${chunks} c join ${documents} d on d.id = c.document_id
        where d.source = ${source} and c.embedding_model <> ${modelId}`,
  );
  return { models: [...new Set(rows.map((r) => r.model))].sort(), paths: new Set(rows.map((r) => r.path)) };
}

/** Stored vectors of `modelId` for the given chunk content hashes (any document, any source). */
async function loadVectors(
  db: Database,
  hashes: string[],
  modelId: string,
  written?: {
    /** Only rows written since this time (the database's text). */
    writtenSince: string;
    source: string;
    /** Only rows of these documents of `source` (default: any of its documents). */
    paths?: ReadonlySet<string>;
  },
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < hashes.length; i += 1000) {
    const rows = await db
      .selectDistinctOn([chunks.contentHash], { contentHash: chunks.contentHash, embedding: chunks.embedding })
      .from(chunks)
      .where(
        and(
          inArray(chunks.contentHash, hashes.slice(i, i + 1000)),
          eq(chunks.embeddingModel, modelId),
          written &&
            and(
              sql`${chunks.createdAt} >= ${written.writtenSince}::timestamptz`,
              inArray(
                chunks.documentId,
                db
                  .select({ id: documents.id })
                  .from(documents)
                  .where(and(eq(documents.source, written.source), written.paths ? pathIn(written.paths) : undefined)),
              ),
            ),
        ),
      );
    for (const r of rows) out.set(r.contentHash, r.embedding);
  }
  return out;
}

/**
 * SQL: the document's path is one of `paths`, as one JSON parameter (a site of any size: a
 * parameter per path would pass Postgres's limit of 65,535 at that many pages).
 */
function pathIn(paths: ReadonlySet<string>): SQL {
  return sql`${documents.path} in (select jsonb_array_elements_text(${JSON.stringify([...paths])}::jsonb))`;
}

/** Frontmatter as JSON can store it (YAML dates become ISO strings). */
function jsonSafe(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/**
 * The names a link to one of `pages` would hold: each page's file name without its extension
 * (`streaming` for `hono/streaming.md`), a folder page's folder name, without number prefixes
 * (Docusaurus URLs). Names shorter than three characters are left out: too many false alarms.
 */
function linkedNames(pages: readonly string[]): string[] {
  const names = new Set<string>();
  for (const page of pages) {
    const segments = page.replace(/\.mdx?$/, '').split('/');
    if (isFolderPageName(segments.at(-1)!)) segments.pop();
    const last = segments.at(-1);
    const name = last && withoutNumberPrefix(last);
    if (name && name.length >= 3) names.add(name);
  }
  return [...names];
}

/**
 * `scan` of the pages' `texts`, a step that reads all pages at once. When it throws, each page is
 * scanned alone to find the ones that make it throw: those go into `failures` (with their error)
 * and out of `texts`, and the rest are scanned again. An error no single page causes still throws.
 */
function acrossPages<T>(texts: Map<string, string>, scan: (sources: Iterable<readonly [page: string, source: string]>) => T, failures: Map<string, unknown>): T {
  try {
    return scan(texts);
  } catch (error) {
    const failing: [string, unknown][] = [];
    for (const [page, text] of texts) {
      try {
        scan([[page, text]]);
      } catch (pageError) {
        failing.push([page, pageError]);
      }
    }
    if (failing.length === 0) throw error;
    for (const [page, pageError] of failing) {
      failures.set(page, pageError);
      texts.delete(page);
    }
    return scan(texts);
  }
}

/** The error a run reports for the page at `path`, whose reading failed with `error`. */
function pageFailure(path: string, error: unknown): IngestIssue {
  return error instanceof ParseError ? { path, line: error.line, message: error.reason } : { path, line: null, message: unexpectedPageError(error) };
}

/** What a run says of a page whose reading failed with an error that is no {@link ParseError}. */
function unexpectedPageError(error: unknown): string {
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return (
    `not indexed: reading it failed unexpectedly (${what.split('\n', 1)[0]}); its earlier version, if any, stays indexed. ` +
    'This is a bug in Docent or a page far larger than docs pages are: please report it, with the file if you can'
  );
}

/** What a run says of a page file larger than the largest it reads (`IngestOptions.maxPageBytes`). */
function tooLargeMessage(size: number, maxBytes = DEFAULT_MAX_PAGE_BYTES): string {
  return `not indexed: ${pageSizeProblem(size, maxBytes)}; its earlier version, if any, stays indexed. ${pageSizeAdvice(maxBytes)}`;
}
