/**
 * Parses one markdown or MDX file into its title, frontmatter and sections of rendered blocks.
 *
 * - `.md`: remark-parse + GFM (tables, task lists, strikethrough, autolinks) + YAML or TOML
 *   frontmatter. Other generators' syntax (MkDocs admonitions and tabs, Hugo shortcodes, Liquid
 *   tags) is made markdown first, line for line (`generator-syntax.ts`).
 * - `.mdx`: the same plus remark-mdx (applied only to `.mdx`: on plain markdown it rejects
 *   `<https://…>` autolinks), and so is a `.md` page written as MDX, which opens with `import`/`export`
 *   lines as Docusaurus 3 pages may (`isMarkdownWrittenAsMdx()` of `mdx-source.ts`). What MDX 2 rejects from MDX 1 and other site generators (heading ids,
 *   HTML comments, `<br>`, autolinks, `{` and `<` in text) is made MDX first, see `mdx-source.ts`.
 *   A page MDX still cannot parse is read as markdown instead, with a warning naming the MDX error
 *   (`parseDocument()`, `readPageInfo()`); the docs site builds such a page as text (`mdx-source.ts`).
 *
 * Blocks keep the author's own markdown (sliced from the source), so code fences keep their
 * language, tables stay tables and links keep their text. MDX is reduced to its prose:
 * `import`/`export` lines and `{expressions}` are dropped, JSX component tags are dropped while
 * the text inside them is kept, prose attributes (`title="…"`, `label="…"`) are kept as a line, and
 * data in attribute expressions (`<PropertiesTable content={[{ name, type, description }]} />`)
 * is kept as a list (`jsx-data.ts`).
 * Raw HTML tags are dropped, their text kept. Links written as HTML or JSX (`<a href>`, Docusaurus'
 * `<Link to>`) are kept as markdown links, as links written in markdown are (`link-elements.ts`).
 *
 * A section is the content under one heading; its breadcrumb is `[page title, h2, h3, …]` and its
 * anchor is the slug the docs site gives that heading (`anchors.ts`, the single source of truth).
 */
import { isUtf8 } from 'node:buffer';
import { extname, basename, dirname } from 'node:path/posix';
import type { Heading, Nodes, Root, RootContent } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { parse as parseToml, TomlError } from 'smol-toml';
import { YAMLError } from 'yaml';
import { parseYamlFrontmatter } from './frontmatter-block';
import { headingAnchors, headingText } from './anchors';
import { withoutMagicComments } from './code-magic-comments';
import { alertMarker, containerMarker } from './containers';
import { fileTreeList } from './file-trees';
import { isFolderPageName } from './folder-page';
import { htmlH1Title } from './html-title';
import { isSectionH1 } from './leading-h1';
import { type HeadingStack, isReleaseHeading, pushHeading, releaseHeadingDepths } from './release-headings';
import { isMarkdownWrittenAsMdx, mdxAsMarkdown, readMdxSource, unwrapMdxCodeBlocks } from './mdx-source';
import { generatorSyntaxAsMarkdown } from './generator-syntax';
import { findParseLimitProblem } from './parse-limits';
import { installLinearEditMap } from './micromark-edit-map';
import { attributeData, fieldLabel } from './jsx-data';
import { paragraphComponents } from './jsx-nodes';
import { docusaurusLinkImports, htmlLinkOpening, htmlLinksAsMarkdown, isHtmlLinkClosing, isJsxLinkElement, isKeptLinkHref, jsxLinkTarget, markdownLink } from './link-elements';
import { MAX_PARTIAL_DEPTH, partialImports } from './partials';
import { type ExpandedSnippets, expandSnippets, type SnippetProblem, type SnippetReader } from './snippets';
import { labelTabs } from './tab-labels';
import { expandIncludes } from './vitepress-includes';
import type { LabelTarget } from './myst-labels';
import { numberPrefix } from './number-prefix';
import type { IngestIssue } from './types';

/** A run of content the chunker may not cut through, except as described by `kind`. */
export interface Block {
  /**
   * `code`: a fenced or indented code block (split only at line boundaries, each piece re-fenced);
   * `table`: a GFM table (split only between rows, each piece repeating the header);
   * `prose`: anything else (split at blank lines, then lines).
   */
  kind: 'code' | 'table' | 'prose';
  /** The block as markdown. */
  text: string;
  /** 1-based line of the block's first line in the file. */
  line: number;
  /** For fenced code: the opening and closing fence lines, to re-fence pieces of a split block. */
  fence?: { open: string; close: string };
}

/**
 * Joins headings that share one section in a breadcrumb entry: `A · B` when `A` has nothing under
 * it before `B`, a heading of its level ({@link parseDocument}). Not " / ", which headings write
 * themselves ("set() / get()").
 */
export const SHARED_HEADING_SEPARATOR = ' · ';

/** The content under one heading (or before the first heading: the page's introduction). */
export interface Section {
  /** Breadcrumb: the page title, then the enclosing headings down to this one. */
  headings: string[];
  /** The heading's slug on the docs site (`''` for the introduction). */
  anchor: string;
  /** 1-based line of the heading (1 for the introduction). */
  line: number;
  blocks: Block[];
}

export interface ParsedDocument {
  /** Frontmatter `title`, else the first h1, else (the home page) an HTML `<h1>` before the first heading, else a title made from the file name. */
  title: string;
  /** Frontmatter `description`, when it is a string. */
  description: string | undefined;
  frontmatter: Record<string, unknown>;
  sections: Section[];
  /** Problems that did not stop the file from being indexed (e.g. an unterminated code fence). */
  warnings: IngestIssue[];
  /** The text of the first h1 when it is the page's title heading, even if the frontmatter title replaces it. */
  h1: string | undefined;
  /**
   * The MDX components the page shows, each once, in page order (`['CardGrid', 'LinkCard']`): what
   * they render comes from the docs site's code (a list of cards, `<DocCardList />`), and only the
   * text and attributes written in the page are indexed. Partials read in place are not among them.
   */
  components: string[];
}

/** Thrown when a file cannot be parsed; `line` is 1-based (null when unknown). */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    readonly path: string,
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(`${path}${line ? `:${line}` : ''}: ${reason}`);
  }
}

/** File extensions ingest reads. */
export const CONTENT_EXTENSIONS = ['.md', '.mdx'] as const;

// micromark copies a page's whole event list at each nested list item's end: made linear first.
installLinearEditMap();

const markdownProcessor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml', 'toml']).use(remarkGfm);

/** JSX attributes whose string value is prose worth indexing (`<Callout title="Careful">`). */
const PROSE_ATTRIBUTES = new Set(['title', 'label', 'summary', 'caption', 'alt', 'description', 'heading', 'text']);

/**
 * The text of a file's bytes, which must be UTF-8 (a byte-order mark is fine). Throws
 * {@link ParseError} naming the first line that is not, rather than indexing U+FFFD in its place.
 */
export function decodeContent(content: Buffer, path: string): string {
  if (isUtf8(content)) return content.toString('utf8');
  let line = 1;
  for (let start = 0; start < content.length; line++) {
    const end = content.indexOf(0x0a, start);
    // A newline byte never occurs inside a UTF-8 sequence, so lines can be checked one by one.
    if (!isUtf8(content.subarray(start, end === -1 ? content.length : end))) break;
    start = end === -1 ? content.length : end + 1;
  }
  throw new ParseError(path, line, 'not valid UTF-8 text (saved in another encoding, such as Latin-1 or UTF-16?): save the file as UTF-8');
}

export interface ParseOptions {
  /**
   * The URL a link of the page should point at instead of the one written (a link to another
   * page's file, `./Server.md#listen`: `pageLinkUrl()` of `page-links.ts`); `undefined` keeps it.
   * Default: every link as written.
   */
  linkUrl?: (href: string) => string | undefined;
  /**
   * The sources of the partials an MDX page may include (`import Setup from './_setup.mdx'`, then
   * `<Setup />`), by content-relative path (`readPartials()` of `partials.ts`): their text is read
   * where the page uses them, as the docs site shows it. Default: none (a partial's text is left out).
   */
  partials?: ReadonlyMap<string, string>;
  /**
   * Reads the files of MkDocs snippets (`--8<-- "includes/note.md"`, `snippets.ts`), which are put
   * in place before the page is read; lines and warnings still name the page's own lines.
   * Default: none (snippet lines are read as written).
   */
  snippets?: SnippetReader;
  /**
   * Reads the files of VitePress includes (`<!--@include: ./parts/basics.md-->`, `<<< @/snippets/a.ts`,
   * `vitepress-includes.ts`) by content-relative path; they are put in place before MkDocs snippets.
   * Default: none (include lines are read as written).
   */
  includes?: SnippetReader;
  /**
   * The docs' MyST labels (`mystLabels()` of `myst-labels.ts`): a `{ref}` role that leads to one
   * ({@link ParseOptions.linkUrl}) shows the text of the heading it is set on. Default: none (the label's name).
   */
  labels?: ReadonlyMap<string, LabelTarget>;
  /**
   * The title of the page a link of the page to `href` leads to (`pageTitleReader()` of
   * `page-titles.ts`): a MyST `{doc}` role without a text of its own that leads to a page
   * ({@link ParseOptions.linkUrl}) shows it, as Sphinx does. Default: none (the role's path).
   */
  linkedPageTitle?: (href: string) => string | undefined;
}

/**
 * Parses `source`, the content of the file at `path` (relative to the content folder, `/`
 * separators; its extension picks markdown or MDX). An MDX page that MDX cannot parse is read as
 * markdown, with a warning naming the MDX error's line. Throws {@link ParseError} naming the line
 * (invalid frontmatter, a NUL byte, markdown nested or emphasised past the limits of
 * `parse-limits.ts` that would take minutes to parse), or without a line for a page nested too
 * deeply to read.
 */
export function parseDocument(source: string, path: string, options: ParseOptions = {}): ParsedDocument {
  try {
    return parseDocumentTree(source, path, options);
  } catch (error) {
    // Blockquotes, lists or components nested thousands of levels deep overflow the stack:
    // that file fails on its own rather than stopping the whole run.
    if (error instanceof RangeError && /call stack/i.test(error.message)) throw new ParseError(path, null, NESTED_TOO_DEEPLY);
    throw error;
  }
}

/** Why a page whose nesting overflowed the stack was not indexed. */
const NESTED_TOO_DEEPLY =
  'nested too deeply to read (blockquotes, lists or components inside each other thousands of levels deep): flatten the nesting';

/** {@link parseDocument}, without turning a stack overflow into a {@link ParseError}. */
function parseDocumentTree(source: string, path: string, options: ParseOptions): ParsedDocument {
  const { text, tree, warning, pageLines, snippetProblems } = parseTree(source, path, options);
  const warnings: IngestIssue[] = warning ? [warning] : [];
  const frontmatter = readFrontmatter(tree, path, warnings);
  const anchors = headingAnchors(tree);
  const components = new Set<string>();
  const renderer = new BlockRenderer(text, path, { warnings, anchors, components, linkUrl: options.linkUrl, partials: options.partials, including: [path] });
  const { title: pageTitle, description, firstH1 } = pageInfoOf(tree, frontmatter, path);

  const sections: Section[] = [];
  let current: Section = { headings: [pageTitle], anchor: '', line: 1, blocks: [] };
  // Enclosing headings by depth (index 2..6); h1s other than the page title's count as depth 1.
  const stack: HeadingStack = [];
  /** The heading that opened `current` (its entry in `stack`); none for the introduction. */
  let currentHeading: HeadingStack[number] | undefined;
  let currentNode: Heading | undefined;
  const sourceLines = text.split('\n');
  let h1: string | undefined;
  const flow = [...renderer.flow(tree.children)];
  // A changelog's release headings hold the same-level headings after them (`release-headings.ts`).
  const releaseDepths = releaseHeadingDepths(flow.flatMap((item) => ('heading' in item ? [{ depth: item.heading.depth, text: headingText(item.heading) }] : [])));

  // A run of headings with nothing under any of them that ends the section above them (axios's
  // instance methods, `##### axios#get(url[, config])` … then `## Request config`) is a list written
  // as headings: its section, about to close empty, is kept as a list at the end of the section
  // above. (A run that a heading of its level ends joins that one's section, below.)
  const keepHeadingList = (nextDepth: number | undefined) => {
    if (!currentHeading || (nextDepth !== undefined && nextDepth >= currentHeading.depth)) return;
    const names = currentHeading.text.split(SHARED_HEADING_SEPARATOR);
    const above = sections[sections.length - 1];
    const parent = current.headings.slice(0, -1);
    if (names.length < 2 || !above || above.headings.length !== parent.length || above.headings.some((h, i) => h !== parent[i])) return;
    above.blocks.push({ kind: 'prose', text: names.map((n) => `- ${n}`).join('\n'), line: current.line });
  };

  const onHeading = (node: Heading, line: number) => {
    // The first h1, before any other heading, is the page title: what follows it is the introduction.
    if (node === firstH1 && stack.length === 0 && current.anchor === '') {
      h1 = headingText(node);
      return;
    }
    if (current.blocks.length > 0) sections.push(current);
    else keepHeadingList(node.depth);
    // A heading with nothing under it (only blank lines, not even a component ingest leaves out)
    // before a heading of its own level names what that one's section holds too: the signatures
    // of one function (Node.js's `util.inspect(object[, options])` then `util.inspect(object[,
    // showHidden[, …]])`), a list of aliases (axios's `axios.get(url)`, `axios.delete(url)`, … over
    // one note). Dropped, its words would be nowhere in the index; it joins the next heading's
    // place in the breadcrumb instead ({@link SHARED_HEADING_SEPARATOR}).
    const empty = current.blocks.length === 0 && currentNode && onlyBlankLinesBetween(sourceLines, currentNode, node) ? currentHeading : undefined;
    pushHeading(stack, { depth: node.depth, text: headingText(node) }, releaseDepths);
    currentHeading = stack[stack.length - 1]!;
    currentNode = node;
    // (Not two releases of a changelog: a release with no notes is not the next one.)
    const bothReleases = empty !== undefined && isReleaseHeading(empty.text) && isReleaseHeading(currentHeading.text);
    if (empty && empty.text !== '' && currentHeading.text !== '' && empty.depth === currentHeading.depth && !bothReleases) {
      currentHeading.text = `${empty.text}${SHARED_HEADING_SEPARATOR}${currentHeading.text}`;
    }
    current = {
      headings: [pageTitle, ...stack.map((h) => h.text).filter((h) => h !== '')],
      anchor: anchors.get(node) ?? '',
      line,
      blocks: [],
    };
  };

  for (const item of flow) {
    if ('heading' in item) onHeading(item.heading, item.line ?? item.heading.position?.start.line ?? 1);
    else current.blocks.push(item.block);
  }
  if (current.blocks.length > 0) sections.push(current);
  else keepHeadingList(undefined);

  if (pageLines) {
    // Lines of the text with its snippets in place, back to the page's own lines.
    const pageLine = (line: number) => pageLines[line - 1] ?? line;
    for (const section of sections) {
      section.line = pageLine(section.line);
      for (const block of section.blocks) block.line = pageLine(block.line);
    }
    for (const w of warnings) if (w.path === path && w.line !== null) w.line = pageLine(w.line);
  }
  for (const problem of snippetProblems) warnings.push({ path, line: problem.line, message: problem.message });
  return { title: pageTitle, description, frontmatter, sections, warnings, h1, components: [...components] };
}

/** Whether only blank lines stand between two headings in the page's text. */
function onlyBlankLinesBetween(lines: readonly string[], before: Heading, after: Heading): boolean {
  const from = before.position?.end.line;
  const to = after.position?.start.line;
  if (from === undefined || to === undefined) return false;
  for (let i = from; i < to - 1; i++) if (lines[i]!.trim() !== '') return false;
  return true;
}

/** What a page is called: the title and description {@link parseDocument} gives it. */
export interface PageInfo {
  /** Frontmatter `title`, else the first h1, else (the home page) an HTML `<h1>` before the first heading, else a title made from the file name. */
  title: string;
  /** Frontmatter `description`, when it is text. */
  description: string | undefined;
  /** The frontmatter, as ingest reads (and stores) it: `{}` when there is none. */
  frontmatter: Record<string, unknown>;
}

/**
 * The title, description and frontmatter of the file at `path` whose content is `source`: exactly the ones
 * {@link parseDocument} stores and citations show, without splitting the page into sections. The
 * docs site names its pages with this (sidebar, browser tab, the title above the page), so a
 * citation and the page it opens have the same title. An MDX page MDX cannot parse is read as
 * markdown, as parseDocument reads it. Throws {@link ParseError} as parseDocument; given the
 * readers ingest reads a page's VitePress includes and MkDocs snippets with (`options`), with the
 * included text in place, so a page whose included part is past a limit of `parse-limits.ts` fails
 * here as it fails in ingest (default: none, the include lines read as written).
 */
export function readPageInfo(source: string, path: string, options: Pick<ParseOptions, 'includes' | 'snippets'> = {}): PageInfo {
  const { tree } = parseTree(source, path, { includes: options.includes, snippets: options.snippets });
  const frontmatter = readFrontmatter(tree, path);
  const { title, description } = pageInfoOf(tree, frontmatter, path);
  return { title, description, frontmatter };
}

/**
 * Normalises and parses a file's text (markdown or MDX by the extension of `path`). MDX that does
 * not parse is parsed as markdown (`mdxAsMarkdown`), and `warning` says so.
 */
function parseTree(
  source: string,
  path: string,
  { snippets, includes, linkUrl, labels, linkedPageTitle }: Pick<ParseOptions, 'snippets' | 'includes' | 'linkUrl' | 'labels' | 'linkedPageTitle'> = {},
): ParsedTree {
  // A byte-order mark would hide frontmatter; CRLF line endings are normalised so offsets match.
  const normalised = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  // Postgres text cannot hold U+0000: one such file would stop the whole run at its write.
  const nul = normalised.indexOf('\0');
  if (nul >= 0) {
    throw new ParseError(path, lineAt(normalised, nul), 'contains a NUL byte (U+0000), which cannot be stored: is this a binary file?');
  }
  // VitePress includes and MkDocs snippets in place, then other generators' syntax (MkDocs
  // admonitions and tabs, Hugo shortcodes, Liquid tags, MyST) made markdown.
  const included = includes ? expandIncludes(normalised, path, includes) : undefined;
  const expanded = snippets ? expandSnippets(included?.text ?? normalised, snippets) : undefined;
  const lines = includedLines(included, expanded);
  // MyST's `{ref}` and `{doc}` become links where they lead to a page (as `linkUrl` points links).
  const leadsToPage = linkUrl && ((href: string) => linkUrl(href) !== undefined);
  const converted = generatorSyntaxAsMarkdown(expanded?.text ?? included?.text ?? normalised, { leadsToPage, labels, linkedPageTitle });
  // Markdown the parser would take minutes to read fails here, at once (`parse-limits.ts`).
  // A `.md` page written as MDX (opening with `import` lines, as Docusaurus reads `.md`) is read as MDX.
  const mdxInMarkdown = extname(path).toLowerCase() !== '.mdx' && isMarkdownWrittenAsMdx(converted);
  const tooComplex = findParseLimitProblem(converted, { mdx: extname(path).toLowerCase() === '.mdx' || mdxInMarkdown });
  if (tooComplex) throw new ParseError(path, lines.pageLines?.[tooComplex.line - 1] ?? tooComplex.line, tooComplex.reason);
  if (extname(path).toLowerCase() !== '.mdx' && !mdxInMarkdown) {
    try {
      return { text: converted, tree: markdownProcessor.parse(converted), ...lines };
    } catch (error) {
      throw toParseError(error, path);
    }
  }
  // What MDX 2 rejects from MDX 1 and other site generators is made MDX first (mdx-source.ts).
  const mdx = unwrapMdxCodeBlocks(converted);
  const reading = readMdxSource(mdx);
  if (reading.tree) {
    labelTabs(reading.tree);
    return { text: reading.text, tree: reading.tree, ...lines };
  }
  const error = toParseError(reading.error, path);
  const text = mdxAsMarkdown(mdx);
  const warning: IngestIssue = {
    path,
    line: error.line,
    message: mdxInMarkdown
      ? `written as MDX (it opens with import/export lines, as Docusaurus reads a .md page) but not valid MDX (${error.reason}), ` +
        `so it was indexed as plain markdown, without its import/export lines, as the docs site shows it. Fix the MDX, ` +
        `or remove the import/export lines if the page is markdown.`
      : `not valid MDX (${error.reason}), so it was indexed as plain markdown: the text inside its components is ` +
        `kept, their attributes may not be. Fix the MDX: the docs site shows this page as text, without its components.`,
  };
  return { text, tree: markdownProcessor.parse(text), warning, ...lines };
}

/**
 * The page's line of each line of the text with its includes and then its snippets in place
 * (undefined when neither changed the lines), and their problems on the page's lines.
 */
function includedLines(included: ExpandedSnippets | undefined, expanded: ExpandedSnippets | undefined): Pick<ParsedTree, 'pageLines' | 'snippetProblems'> {
  const first = included?.lines;
  const pageLine = (line: number) => (first ? (first[line - 1] ?? line) : line);
  const second = expanded?.lines?.map(pageLine);
  return {
    pageLines: second ?? first,
    snippetProblems: [...(included?.problems ?? []), ...(expanded?.problems ?? []).map((p) => ({ ...p, line: pageLine(p.line) }))],
  };
}

/** A page's text as parsed, its tree, and what reading it found. */
interface ParsedTree {
  text: string;
  tree: Root;
  /** Why an MDX page was read as markdown. */
  warning?: IngestIssue;
  /** The page's line of each line of `text`, when snippets changed the lines (`snippets.ts`). */
  pageLines?: number[] | undefined;
  /** Snippets that could not be included. */
  snippetProblems: SnippetProblem[];
}

/**
 * The page's title (frontmatter `title`, else the first h1, else the file name) and description.
 * The site's home page (the top folder's README or index) without either is named by an `<h1>`
 * written in HTML before its first heading, as a GitHub README opening with logos is
 * (`html-title.ts`), rather than "Home". Other pages keep their file's name: Fastify's docs open
 * every page with the same `<h1 align="center">Fastify</h1>` banner.
 */
function pageInfoOf(tree: Root, frontmatter: Record<string, unknown>, path: string): Omit<PageInfo, 'frontmatter'> & { firstH1: Heading | undefined } {
  const fmTitle = textField(tree, frontmatter, 'title', path);
  // The first h1 names the page, unless it is only the first of the page's top-level sections (`leading-h1.ts`).
  const leadingH1 = findFirstH1(tree);
  const firstH1 = leadingH1 && !isSectionH1(tree.children, leadingH1) ? leadingH1 : undefined;
  const h1Title = firstH1 ? headingText(firstH1) : '';
  return {
    title: fmTitle ?? (h1Title !== '' ? h1Title : ((isHomePage(path) ? htmlH1Title(tree.children) : undefined) ?? titleFromPath(path))),
    description: textField(tree, frontmatter, 'description', path),
    firstH1,
  };
}

// ---------------------------------------------------------------------------------------------

/** A heading or a block, in page order; `line` is the page's line of a heading from a partial. */
type FlowItem = { heading: Heading; line?: number } | { block: Block };

/** What a page's renderer shares with the renderers of the partials it includes. */
interface RenderContext {
  warnings: IngestIssue[];
  /** Each heading's anchor (the partials' headings added as they are read). */
  anchors: Map<Heading, string>;
  /** The components shown ({@link ParsedDocument.components}), the partials' included. */
  components: Set<string>;
  linkUrl?: (href: string) => string | undefined;
  partials?: ReadonlyMap<string, string>;
  /** The page, then the partials being read: a partial that includes one of them is not read again. */
  including: readonly string[];
}

interface PositionedNode {
  type: string;
  position?: { start: { line: number; offset?: number }; end: { line: number; offset?: number } };
  children?: PositionedNode[];
  value?: string;
  name?: string | null;
  attributes?: { type: string; name?: string; value?: unknown }[];
  lang?: string | null;
  url?: string;
}

/** Types whose source is dropped entirely. */
// A footnote's marker (`frobnicator[^1]`) goes: its number would read as a citation of source 1
// in an answer. Its note stays, where it is written (`Note: …`, `footnoteDefinition` in `render`).
const DROPPED = new Set(['yaml', 'toml', 'mdxjsEsm', 'mdxFlowExpression', 'mdxTextExpression', 'definition', 'footnoteReference']);

class BlockRenderer {
  /** The partials this file imports, by the component name it binds. */
  private readonly imported = new Map<string, string>();
  /** The names this file imports Docusaurus' `<Link>` as (`link-elements.ts`). */
  private readonly linkNames = new Set<string>();

  constructor(
    private readonly source: string,
    private readonly path: string,
    private readonly context: RenderContext,
  ) {}

  /** Each link's new URL ({@link BlockRenderer.newLinkUrl}), asked once. */
  private readonly linkUrls = new Map<PositionedNode, string | undefined>();

  /** Walks flow content in document order, descending into JSX containers so their headings count. */
  *flow(nodes: readonly RootContent[] | readonly PositionedNode[]): Generator<FlowItem> {
    for (const raw of nodes) {
      const node = raw as PositionedNode;
      if (node.type === 'mdxjsEsm') {
        for (const [name, partial] of partialImports(node.value ?? '', this.path)) this.imported.set(name, partial);
        for (const name of docusaurusLinkImports(node.value ?? '')) this.linkNames.add(name);
        continue;
      }
      if (DROPPED.has(node.type)) continue;
      if (node.type === 'heading') {
        yield { heading: raw as Heading };
        continue;
      }
      if (node.type === 'mdxJsxFlowElement' && this.imported.has(node.name ?? '')) {
        yield* this.partial(this.imported.get(node.name!)!, node);
        continue;
      }
      const fileTree = fileTreeList(node);
      if (fileTree) {
        yield { block: { kind: 'prose', text: fileTree, line: this.line(node) } };
        continue;
      }
      if (node.type === 'mdxJsxFlowElement') {
        this.noteComponent(node);
        // A link around a few lines of text (`<a href="…">` on its own line) is one link.
        if (this.isLink(node) && (node.children ?? []).every((c) => c.type === 'paragraph')) {
          const text = tidy(this.render(node));
          if (text !== '') yield { block: { kind: 'prose', text, line: this.line(node) } };
          continue;
        }
        yield* this.componentAttributes(node);
        yield* this.flow(node.children ?? []);
        continue;
      }
      // Links on a line of their own (`<Link to="…">Read on</Link>`) are a paragraph, read as one.
      const components = paragraphComponents(node);
      if (components && !components.every((c) => this.isLink(c))) {
        for (const component of components) {
          this.noteComponent(component);
          yield* this.componentAttributes(component);
          const text = tidy(dropContainerMarkers(this.render(component)));
          if (text !== '') yield { block: { kind: 'prose', text, line: this.line(component) } };
        }
        continue;
      }
      const block = this.block(node);
      if (block) yield { block };
    }
  }

  /**
   * The content of the partial at `partial` (content-relative path), which `node` includes: its
   * headings and blocks, at the line of `node`. Warns when it is not there to read.
   */
  private *partial(partial: string, node: PositionedNode): Generator<FlowItem> {
    const line = this.line(node);
    const source = this.context.partials?.get(partial);
    const { including } = this.context;
    if (source === undefined || including.includes(partial) || including.length > MAX_PARTIAL_DEPTH) {
      const why =
        source === undefined
          ? `${partial} is not a file in the content folder that could be read`
          : including.includes(partial)
            ? `${partial} includes itself (${[...including.slice(including.indexOf(partial)), partial].join(' → ')})`
            : `partials are read ${MAX_PARTIAL_DEPTH} levels deep at most`;
      this.context.warnings.push({ path: this.path, line, message: `<${node.name} /> includes a partial whose text is not indexed: ${why}.` });
      return;
    }
    const { text, tree, warning } = parseTree(source, partial);
    if (warning) this.context.warnings.push(warning);
    for (const [heading, anchor] of headingAnchors(tree)) this.context.anchors.set(heading, anchor);
    const renderer = new BlockRenderer(text, partial, { ...this.context, including: [...including, partial] });
    for (const item of renderer.flow(tree.children)) {
      yield 'heading' in item ? { heading: item.heading, line } : { block: { ...item.block, line } };
    }
  }

  /** Notes a component the page shows ({@link ParsedDocument.components}); lower-case HTML tags are none. */
  private noteComponent(node: PositionedNode): void {
    if (/^[A-Z]/.test(node.name ?? '')) this.context.components.add(node.name!);
  }

  /** A component's prose attributes and attribute data, as blocks. */
  private *componentAttributes(node: PositionedNode): Generator<FlowItem> {
    // A link's `title` is a tooltip, not text of the page: its text is read, as a link.
    if (this.isLink(node)) return;
    const prose = this.proseAttributes(node);
    if (prose) yield { block: { kind: 'prose', text: prose, line: this.line(node) } };
    const data = attributeData(node.attributes ?? []);
    if (data) yield { block: { kind: 'prose', text: data, line: this.line(node) } };
  }

  private block(node: PositionedNode): Block | undefined {
    const line = this.line(node);
    if (node.type === 'code') return this.codeBlock(node, line);
    if (node.type === 'thematicBreak') return undefined;
    const kind = node.type === 'table' ? 'table' : 'prose';
    const rendered = this.render(node);
    const text = tidy(kind === 'table' ? rendered : dropContainerMarkers(rendered));
    return text === '' ? undefined : { kind, text, line };
  }

  private codeBlock(node: PositionedNode, line: number): Block | undefined {
    const raw = this.slice(node);
    const firstLine = raw.split('\n', 1)[0]!;
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(firstLine);
    if (!opener) {
      // Indented code: give it a fence so every chunk is valid markdown.
      const body = (node.value ?? '').replace(/\n+$/, '');
      return body.trim() === '' ? undefined : { kind: 'code', text: `\`\`\`\n${body}\n\`\`\``, line, fence: { open: '```', close: '```' } };
    }
    const fenceChars = opener[1]!;
    const open = firstLine.trim();
    const close = fenceChars;
    const lines = raw.split('\n');
    const last = lines[lines.length - 1]!.trim();
    const terminated =
      lines.length > 1 && last.startsWith(fenceChars[0]!.repeat(fenceChars.length)) && /^(`{3,}|~{3,})$/.test(last);
    // Docusaurus' `// highlight-next-line` lines are not shown by its site, and not kept here.
    const body = withoutMagicComments(node.value ?? '', node.lang);
    if (!terminated) {
      this.context.warnings.push({
        path: this.path,
        line,
        message:
          `unterminated code fence: ${open} is never closed, so everything after it in this file is read ` +
          `as code (the docs site renders it the same way). Close it with ${close}.`,
      });
    }
    // An empty block says nothing (MkDocs sites fill `{.textual path="app.py"}` ones with a screenshot).
    if (terminated && body.trim() === '') return undefined;
    return { kind: 'code', text: `${open}\n${body}${body === '' ? '' : '\n'}${close}`, line, fence: { open, close } };
  }

  /** The node's markdown with MDX and HTML reduced to text. */
  private render(node: PositionedNode): string {
    if (DROPPED.has(node.type)) return '';
    if (node.type === 'html') return htmlToText(htmlLinksAsMarkdown(node.value ?? '', (href) => this.keptLinkUrl(href), htmlToText));
    if (node.type === 'footnoteDefinition') {
      const note = (node.children ?? []).map((c) => this.render(c)).filter((s) => s.trim() !== '').join('\n\n');
      return note === '' ? '' : `Note: ${note}`;
    }
    const fileTree = fileTreeList(node);
    if (fileTree) return fileTree;
    if (this.isLink(node)) return this.jsxLink(node);
    if (node.type === 'mdxJsxFlowElement') {
      // Each child's text at the component's left margin: a child's own lines after its first keep the
      // columns they have in the file (inside a list item: the item's indentation), which its first does not.
      const prose = this.proseAttributes(node);
      const inner = (node.children ?? []).map((c) => withoutLinePrefix(this.render(c), containerIndent(this.linePrefix(c)))).filter((s) => s.trim() !== '');
      return [prose, attributeData(node.attributes ?? []), ...inner].filter(Boolean).join('\n\n');
    }
    if (node.type === 'mdxJsxTextElement') {
      // A line break is a space between words, as `<br>` in markdown (htmlToText).
      if (node.name === 'br') return ' ';
      return (node.children ?? []).map((c) => this.render(c)).join('');
    }
    const children = node.children ?? [];
    const url = node.type === 'link' ? this.newLinkUrl(node) : undefined;
    if (url === undefined && (children.length === 0 || !children.some((c) => this.needsRewrite(c)))) return this.slice(node);
    const start = node.position?.start.offset ?? 0;
    const end = node.position?.end.offset ?? start;
    // A link without text (`[](./a.md)`): its `[` kept, the target replaced in what follows.
    let out = url !== undefined && children.length === 0 ? '[' : '';
    let at = out === '[' ? start + 1 : start;
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      const cs = child.position?.start.offset;
      const ce = child.position?.end.offset;
      if (cs === undefined || ce === undefined) continue;
      const link = this.htmlLinkFrom(children, i);
      if (link) {
        out += this.source.slice(at, cs) + link.markdown;
        at = link.end;
        i = link.last;
        continue;
      }
      if (child.type === 'mdxJsxFlowElement') {
        out += this.componentInContainer(node, child, this.source.slice(at, cs));
        at = ce;
        continue;
      }
      out += this.source.slice(at, cs) + this.render(child);
      at = ce;
    }
    const tail = this.source.slice(at, end);
    // `](target "title")` after a link's text: the target replaced.
    return out + (url === undefined ? tail : withLinkDestination(tail, url));
  }

  /**
   * A component written in a container (a list item, a blockquote), after `before` (the source
   * between the previous child and it): its text with every line inside the container, as the
   * component's content is on the site. Its text (a tab's label, then its fenced code) is at the
   * component's left margin ({@link BlockRenderer.render}); its lines after the first are indented as
   * the component is, so that the chunk's markdown keeps the code in the list item's step rather
   * than a fence at the left margin ending the list and running on through the steps below. In a
   * list item, a component indented past the item's content (which MDX allows) is indented as
   * that content, where four columns more would make its text indented code.
   */
  private componentInContainer(container: PositionedNode, component: PositionedNode, before: string): string {
    const prefix = this.linePrefix(component);
    let indent = containerIndent(prefix);
    const first = container.children?.[0];
    if (container.type === 'listItem' && first && first !== component) {
      const itemIndent = containerIndent(this.linePrefix(first));
      if (indent.length > itemIndent.length && indent.startsWith(itemIndent)) indent = itemIndent;
    }
    // The component opens its line (after the container's markers): that line's prefix becomes `indent` too.
    const opensLine = /^[ \t>]*$/.test(prefix) && before.endsWith(prefix);
    const lead = opensLine ? before.slice(0, before.length - prefix.length) + indent : before;
    return lead + withLinePrefix(this.render(component), indent);
  }

  /** The source before `node` on its line: the markers and indentation of the containers it is in (`    `, `> `, `1.  `). */
  private linePrefix(node: PositionedNode): string {
    const start = node.position?.start.offset;
    if (start === undefined) return '';
    return this.source.slice(this.source.lastIndexOf('\n', start - 1) + 1, start);
  }

  /** Whether `node` is a JSX link: an `<a>`, or Docusaurus' `<Link>` as the page imports it (`link-elements.ts`). */
  private isLink(node: PositionedNode): boolean {
    return isJsxLinkElement(node, this.linkNames);
  }

  /** A JSX link as a markdown link (its text alone when its target is not a path: `href={url}`); `''` without text. */
  private jsxLink(node: PositionedNode): string {
    const separator = node.type === 'mdxJsxFlowElement' ? ' ' : '';
    const text = (node.children ?? []).map((c) => this.render(c)).join(separator);
    const target = jsxLinkTarget(node, this.linkNames);
    const url = target === undefined ? undefined : this.keptLinkUrl(target.url);
    return url === undefined ? text : markdownLink(text, url);
  }

  /** The URL an HTML or JSX link to `href` has in the chunk: pointed at the page it names ({@link ParseOptions.linkUrl}), else as written; `undefined` to keep only its text. */
  private keptLinkUrl(href: string): string | undefined {
    return isKeptLinkHref(href) ? (this.context.linkUrl?.(href) ?? href) : undefined;
  }

  /**
   * The link that starts at `children[i]` when it is an HTML `<a href>` start tag of a markdown
   * paragraph, closed by an `</a>` among the following siblings: as a markdown link, with the index of
   * its `</a>` and the offset after it.
   */
  private htmlLinkFrom(children: readonly PositionedNode[], i: number): { markdown: string; last: number; end: number } | undefined {
    const open = children[i]!;
    if (open.type !== 'html') return undefined;
    const href = htmlLinkOpening(open.value ?? '');
    if (href === undefined) return undefined;
    const last = children.findIndex((c, j) => j > i && c.type === 'html' && (isHtmlLinkClosing(c.value ?? '') || htmlLinkOpening(c.value ?? '') !== undefined));
    const close = children[last];
    if (!close || !isHtmlLinkClosing(close.value ?? '') || close.position?.start.offset === undefined || close.position.end.offset === undefined) return undefined;
    const url = this.keptLinkUrl(href);
    if (url === undefined) return undefined;
    let text = '';
    let at = open.position!.end.offset!;
    for (const child of children.slice(i + 1, last)) {
      if (child.position?.start.offset === undefined || child.position.end.offset === undefined) continue;
      text += this.source.slice(at, child.position.start.offset) + this.render(child);
      at = child.position.end.offset;
    }
    text += this.source.slice(at, close.position.start.offset);
    return { markdown: markdownLink(text, url), last, end: close.position.end.offset };
  }

  /** The URL a link node should have instead of its own ({@link ParseOptions.linkUrl}), if any; asked once per link. */
  private newLinkUrl(node: PositionedNode): string | undefined {
    const { linkUrl } = this.context;
    if (!linkUrl || typeof node.url !== 'string' || node.position?.end.offset === undefined) return undefined;
    if (this.linkUrls.has(node)) return this.linkUrls.get(node);
    // Only an inline link written with its target (`[text](target)`), not `<https://…>` or `[text][ref]`.
    const url = this.slice(node).endsWith(')') ? linkUrl(node.url) : undefined;
    this.linkUrls.set(node, url === node.url ? undefined : url);
    return this.linkUrls.get(node);
  }

  /** Whether a node's source cannot be used as is: it or a descendant is MDX or HTML, or a link to re-point. */
  private needsRewrite(node: PositionedNode): boolean {
    if (REWRITTEN.has(node.type) || (node.type === 'link' && this.newLinkUrl(node) !== undefined)) return true;
    return (node.children ?? []).some((c) => this.needsRewrite(c));
  }

  /** The line a component's attributes give: the field it documents (`fieldLabel`), then its prose attributes. */
  private proseAttributes(node: PositionedNode): string {
    const label = fieldLabel(node.attributes ?? []);
    const values: string[] = label ? [label] : [];
    for (const attr of node.attributes ?? []) {
      if (attr.type !== 'mdxJsxAttribute' || !attr.name || !PROSE_ATTRIBUTES.has(attr.name)) continue;
      if (typeof attr.value === 'string' && attr.value.trim() !== '') values.push(attr.value.trim());
    }
    return values.join(' — ');
  }

  private slice(node: PositionedNode): string {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) return node.value ?? '';
    return this.source.slice(start, end);
  }

  private line(node: PositionedNode): number {
    return node.position?.start.line ?? 1;
  }
}

/**
 * `tail`, the source of a link after its text (`](./a.md "title")`), with the destination replaced
 * by `url`. The destination is read as CommonMark reads it: `<…>`, or up to a space or an unmatched
 * `)`, so that one with parentheses (`./(guides)/setup.md`, a Fumadocs folder group) is replaced whole.
 */
function withLinkDestination(tail: string, url: string): string {
  const opening = /^\]\(\s*/.exec(tail);
  if (!opening) return tail;
  let end = opening[0].length;
  if (tail[end] === '<') {
    const close = tail.indexOf('>', end);
    end = close < 0 ? end : close + 1;
  } else {
    let depth = 0;
    for (; end < tail.length; end++) {
      const c = tail[end]!;
      if (c === '\\') end++;
      else if (c === '(') depth++;
      else if (c === ')' && depth-- === 0) break;
      else if (/\s/.test(c)) break;
    }
  }
  return `${tail.slice(0, opening[0].length)}${url}${tail.slice(end)}`;
}

/**
 * The prefix a container's lines after its first have, given the text before a node on its first
 * line (`1.  ` → four spaces, `> - ` → `>   `): blockquote markers and tabs kept, anything else a space.
 */
function containerIndent(prefix: string): string {
  return prefix.replace(/[^>\t]/g, ' ');
}

/** `text` with `indent` before each of its lines after the first (blank lines get its markers only). */
function withLinePrefix(text: string, indent: string): string {
  if (indent === '') return text;
  return text.replace(/\n([^\n]*)/g, (_, line: string) => `\n${line.trim() === '' ? indent.trimEnd() : indent + line}`);
}

/**
 * `text`, whose lines after the first are written after `indent` in the file, at its first line's
 * margin: `indent` dropped from them (from a line written less indented, its leading whitespace and
 * blockquote markers up to `indent`'s width).
 */
function withoutLinePrefix(text: string, indent: string): string {
  if (indent === '') return text;
  return text.replace(/\n([^\n]*)/g, (_, line: string) => {
    if (line.startsWith(indent)) return `\n${line.slice(indent.length)}`;
    const lead = (indent.includes('>') ? /^[ \t>]*/ : /^[ \t]*/).exec(line)![0].slice(0, indent.length);
    return `\n${line.slice(lead.length)}`;
  });
}

const REWRITTEN = new Set(['html', 'mdxJsxFlowElement', 'mdxJsxTextElement', ...DROPPED]);

/** Raw HTML reduced to its text: comments and tags dropped. */
function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?[A-Za-z][^>]*>/g, '');
}

/**
 * Drops the marker lines of `::: tip` style containers (VitePress, Docusaurus, and other
 * generators' blocks made containers) and of GitHub alerts (`> [!NOTE]`, the first line of a
 * blockquote block), keeping a title, followed by a colon unless it ends in punctuation: the
 * content often follows on the next line, and "Back up first: The migration rewrites…" reads as
 * one statement where "Back up first The migration…" did not.
 */
function dropContainerMarkers(text: string): string {
  return text
    .split('\n')
    .map((line, i) => {
      const marker = containerMarker(line);
      if (marker) {
        const title = titleLine(marker.title);
        return title === null ? null : `${/^\s*/.exec(line)![0]}${title}`; // indented as the marker (in a list item)
      }
      // A GitHub alert's marker, the blockquote's first line: `> [!NOTE]`.
      const quoted = i === 0 ? /^(\s*>\s?)(.*)$/.exec(line) : null;
      const alert = quoted ? alertMarker(quoted[2]!) : undefined;
      if (!alert) return line;
      const title = titleLine(alert.title);
      return title === null ? null : `${quoted![1]}${title}`;
    })
    .filter((line): line is string => line !== null)
    .join('\n');
}

/** A container's title as the line that stands for its marker (none without a title). */
function titleLine(title: string): string | null {
  return title === '' ? null : /[.:;!?]$/.test(title) ? title : `${title}:`;
}

/** Trims trailing spaces and collapses runs of blank lines. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The page's frontmatter (`{}` when it has none). What the YAML parser warns about (a tag it does
 * not know, `!Ref`, whose value is read as written) goes to `warnings`, naming the line, rather than
 * to the process's own warnings without the file's name.
 */
function readFrontmatter(tree: Root, path: string, warnings?: IngestIssue[]): Record<string, unknown> {
  const node = tree.children[0] as { type: string; value?: string } | undefined;
  if (!node || (node.type !== 'yaml' && node.type !== 'toml')) return {};
  let data: unknown;
  try {
    data = node.type === 'toml' ? parseToml(node.value ?? '') : readYaml(node.value ?? '', path, warnings);
  } catch (error) {
    // TOML frontmatter (`+++`, as Hugo and Zola write it): the error names its line.
    if (error instanceof TomlError) throw new ParseError(path, error.line + 1, `invalid frontmatter: ${firstLine(error.message)}`);
    if (error instanceof YAMLError) {
      const line = error.linePos?.[0]?.line;
      throw new ParseError(path, line ? line + 1 : 1, `invalid frontmatter: ${firstLine(error.message).replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    // The YAML parsed, but building its value failed (an unresolved alias, too many aliases): a
    // problem with this file like any other, not a reason to stop the run.
    const message = firstLine((error as Error).message ?? String(error));
    const alias = /^Unresolved alias.*: (\S+)$/.exec(message)?.[1];
    const at = alias === undefined ? -1 : (node.value ?? '').split('\n').findIndex((l) => l.includes(`*${alias}`));
    throw new ParseError(path, at >= 0 ? at + 2 : null, `invalid frontmatter: ${message}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ParseError(path, 2, 'invalid frontmatter: expected "key: value" lines');
  }
  // A YAML escape ("\0", "\x00", "\u0000") gives a NUL character, which Postgres JSON cannot hold.
  let nul = false;
  JSON.stringify(data, (key, value: unknown) => {
    if (key.includes('\0') || (typeof value === 'string' && value.includes('\0'))) nul = true;
    return value;
  });
  if (nul) {
    const at = (node.value ?? '').split('\n').findIndex((l) => /\\(0|x00|u0000|U00000000)/.test(l));
    throw new ParseError(path, at >= 0 ? at + 2 : null, 'invalid frontmatter: a value contains a NUL character (U+0000), which cannot be stored');
  }
  return data as Record<string, unknown>;
}

/**
 * YAML as the `yaml` package's `parse()` reads it (the first error thrown), its warnings as
 * warnings of the page at `path` (the frontmatter's lines start at the page's line 2).
 */
function readYaml(text: string, path: string, warnings: IngestIssue[] | undefined): unknown {
  const doc = parseYamlFrontmatter(text);
  if (doc.errors.length > 0) throw doc.errors[0];
  for (const w of doc.warnings) {
    const line = w.linePos?.[0]?.line;
    const said = firstLine(w.message).replace(/ at line \d+, column \d+:?$/, '');
    const tag = w.code === 'TAG_RESOLVE_FAILED' ? /^Unresolved tag: (\S+)$/.exec(said)?.[1] : undefined;
    const message = tag ? `the frontmatter uses the YAML tag ${tag}, which Docent does not know: its value is read as written` : `frontmatter: ${said}`;
    warnings?.push({ path, line: line ? line + 1 : 2, message });
  }
  return doc.toJS();
}

/**
 * A text field of the frontmatter. A number or true/false is read as its text, as the docs site
 * reads it (`title: 2024`); a list or a map is an error, not a silently ignored title.
 */
function textField(tree: Root, data: Record<string, unknown>, key: string, path: string): string | undefined {
  const value = data[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') {
    const first = tree.children[0] as { type: string; value?: string } | undefined;
    const frontmatter = first?.type === 'yaml' || first?.type === 'toml' ? (first.value ?? '') : '';
    const at = frontmatter.split('\n').findIndex((l) => new RegExp(`^["']?${key}["']?\\s*[:=]`).test(l));
    const got = Array.isArray(value) ? 'a list' : value instanceof Date ? 'a date' : 'a map';
    throw new ParseError(path, at >= 0 ? at + 2 : null, `invalid frontmatter: ${key} must be text, not ${got}`);
  }
  return value.trim() !== '' ? value.trim() : undefined;
}

function findFirstH1(tree: Root): Heading | undefined {
  let found: Heading | undefined;
  const walk = (nodes: readonly Nodes[]) => {
    for (const node of nodes) {
      if (found) return;
      if (node.type === 'heading') {
        if (node.depth === 1) found = node;
        continue;
      }
      if ((node as PositionedNode).type === 'mdxJsxFlowElement') walk(((node as PositionedNode).children ?? []) as Nodes[]);
    }
  };
  walk(tree.children);
  return found;
}

/**
 * `guides/getting-started.md` → `Getting started`; a folder's page (`guides/index.md`,
 * `guides/README.md`) → `Guides`. A number prefix (`01-intro.md`, `02-guides/index.md`) is left
 * out, as Docusaurus leaves it out (`number-prefix.ts`): "Intro", "Guides".
 */
export function titleFromPath(path: string): string {
  let name = basename(path, extname(path));
  if (isFolderPageName(name)) name = basename(dirname(path)) || 'Home';
  if (name === '.' || name === '') name = 'Home';
  const words = numberPrefix(name).name.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Whether `path` is the site's home page: the top folder's page (`README.md`, `index.mdx`, …). */
function isHomePage(path: string): boolean {
  return dirname(path) === '.' && isFolderPageName(basename(path, extname(path)));
}

/** 1-based line of the character at `offset`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0]!.trim();
}

/** A parser's error (micromark, MDX) as a {@link ParseError} naming its line, without the position in its text. */
export function toParseError(error: unknown, path: string): ParseError {
  const e = error as {
    reason?: string;
    message?: string;
    line?: number;
    place?: { line?: number; start?: { line?: number } } | null;
  };
  const reason = e.reason ?? e.message ?? String(error);
  // Some messages carry their position only in the text: "Expected a closing tag for `<Callout>` (5:1-5:10)".
  const inText = /\((\d+):\d+(?:-\d+:\d+)?\)\s*$/.exec(reason);
  const line = e.line ?? e.place?.start?.line ?? e.place?.line ?? (inText ? Number(inText[1]) : null);
  return new ParseError(path, line, reason.replace(/\s*\(\d+:\d+(-\d+:\d+)?\)\s*$/, ''));
}
