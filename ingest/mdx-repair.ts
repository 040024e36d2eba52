/**
 * Repairs of MDX that MDX 2+ rejects or cannot render, each made at one place the parser points
 * to (`mdx-source.ts` parses, repairs, parses again). MDX 1 read these as text; MDX 2 reads them
 * as JSX or JavaScript:
 *
 * - an autolink (`<https://example.com>`, `<user@example.com>`) becomes a markdown link;
 * - a `<` that starts no tag (`<5 ms`, `x <= 3`, `a <- b`), a type argument (`Promise<void>`,
 *   `Map<string, number>`) or a placeholder never closed (`with <id> the user`) is escaped (`\<`);
 * - a void HTML element left open (`<img src="…">`, `<hr>`) is closed (`<img src="…" />`), `</br>`
 *   (which browsers read as `<br>`) becomes `<br />`, an attribute value without quotes
 *   (`<a href=https://x.org>`, as HTML allows) gets them;
 * - a `{` whose content is no JavaScript expression (`returns {status: 200}`, `{placeholder` never
 *   closed) is escaped (`\{`);
 * - a `{` whose expression parses but could only fail when the page renders (a name the page never
 *   defines, as in `/users/{id}`; a list of names, `{status, body}`; an object, `{{name}}`; nothing,
 *   `{}`) is escaped too (`proseExpressions`).
 *
 * Each repair inserts or replaces characters on one line: the line count never changes. A repair is
 * made only where the parser stopped (or, for the last kind, at an expression it read), which is
 * never inside code; an error these rules do not recognise (a component left open, an expression in
 * an attribute) is left for the parser to report.
 */
import type { Root } from 'mdast';

/** What a parse error from micromark or mdast-util-mdx-jsx carries. */
interface MdxError {
  source?: string;
  ruleId?: string;
  reason?: string;
  place?: { offset?: number; line?: number; column?: number; start?: { offset?: number; line?: number; column?: number } } | null;
}

/**
 * `text` repaired where `error` (thrown by the MDX parser on `text`) points, or undefined when the
 * error is not one these rules repair.
 */
export function repairAt(text: string, error: unknown): string | undefined {
  const e = (error ?? {}) as MdxError;
  const offset = errorOffset(text, e);
  if (e.source === 'mdast-util-mdx-jsx') {
    // `</br>`, which browsers read as `<br>`, where nothing (or something else) is open: the error
    // points at its `<` or its `/`.
    for (const at of offset === undefined ? [] : [offset, offset - 1]) {
      const br = /^<\/br\s*>/i.exec(text.slice(Math.max(0, at), at + 8));
      if (br && at >= 0) return replace(text, at, br[0].length, '<br />');
    }
    return e.ruleId === 'end-tag-mismatch' ? repairUnclosedTag(text, e.reason ?? '') : undefined;
  }
  if (offset === undefined) return undefined;
  if (e.source === 'micromark-extension-mdx-expression') return escapeExpressionStart(text, offset);
  if (e.source === 'micromark-extension-mdx-jsx') return repairTagStart(text, offset, e.ruleId);
  return undefined;
}

// --- `{`: expressions --------------------------------------------------------------------------

/** Escapes the `{` that opened the expression the parser stopped in at `offset`. */
function escapeExpressionStart(text: string, offset: number): string | undefined {
  // Between the `{` and the error is the expression's content, which micromark read as JavaScript:
  // the first `{` before the error that no `}` closes is where it started.
  let depth = 0;
  for (let i = Math.min(offset, text.length) - 1; i >= 0; i--) {
    const c = text[i];
    if ((c !== '{' && c !== '}') || isEscaped(text, i)) continue;
    if (c === '}') depth++;
    else if (depth > 0) depth--;
    else return inAttribute(text, i) ? undefined : insert(text, i, '\\');
  }
  return undefined;
}

/** Whether the `{` at `at` is an attribute's value or spread (`<Foo a={…}>`, `<Foo {…props}>`), not text. */
function inAttribute(text: string, at: number): boolean {
  // The last `<name` before it, in the same paragraph, is not closed by a `>`.
  const before = text.slice(0, at);
  return /<[\p{ID_Start}$_][^<>]*$/u.test(before.slice(before.lastIndexOf('\n\n') + 1));
}

// --- `<`: tags that are no tags ----------------------------------------------------------------

/** CommonMark autolinks: a URI with a scheme, or an email address. */
const URI_AUTOLINK = /^<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>\x00-\x1f]*)>/;
const EMAIL_AUTOLINK = /^<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>/;
/** A character that can start a JSX name (as micromark-extension-mdx-jsx checks, for ASCII and letters). */
const NAME_START = /[\p{ID_Start}$_]/u;
/** A character of a word or identifier: `Promise<void>` is a type argument, not a tag. */
const WORD = /[\p{ID_Continue}$]/u;

/** Repairs the tag that starts at the last `<` before `offset`, where the parser stopped in it. */
function repairTagStart(text: string, offset: number, ruleId: string | undefined): string | undefined {
  const lt = lastTagStart(text, offset);
  if (lt === undefined) return undefined;
  const rest = text.slice(lt);
  const uri = URI_AUTOLINK.exec(rest);
  if (uri && lt + uri[0].length > offset) return replace(text, lt, uri[0].length, markdownLink(uri[1]!, uri[1]!));
  const email = EMAIL_AUTOLINK.exec(rest);
  if (email && lt + email[0].length > offset) return replace(text, lt, email[0].length, markdownLink(email[1]!, `mailto:${email[1]!}`));
  // `<a href=https://x.org>`: an attribute value without quotes, as HTML allows.
  const unquoted = /^[^\s"'=<>`{}]+/.exec(text.slice(offset));
  if (/=\s*$/.test(text.slice(lt, offset)) && unquoted) return replace(text, offset, unquoted[0].length, `"${unquoted[0]}"`);
  const next = text[lt + 1] ?? '';
  // `<5`, `<=`, `<-`, `<|`: no tag starts so (`< 5`, with a space, is already text).
  if (next !== '' && !NAME_START.test(next) && !/[\s/>]/.test(next)) return insert(text, lt, '\\');
  // `Map<string, number>`: a type argument.
  if (lt > 0 && WORD.test(text[lt - 1]!)) return insert(text, lt, '\\');
  // `if a <b then c`: a "tag" never ended by `>` before its paragraph ends is no tag.
  if (ruleId === 'unexpected-eof' && !text.slice(lt, offset).includes('>')) return insert(text, lt, '\\');
  return undefined;
}

/** The last unescaped `<` before `offset` in the same paragraph. */
function lastTagStart(text: string, offset: number): number | undefined {
  for (let i = Math.min(offset, text.length) - 1; i >= 0; i--) {
    if (text[i] === '\n' && text[i - 1] === '\n') return undefined;
    if (text[i] === '<' && !isEscaped(text, i)) return i;
  }
  return undefined;
}

/** `[label](url)`, with the characters that would end or change either escaped. */
function markdownLink(label: string, url: string): string {
  const text = label.replace(/[\\[\]`*{}<|]/g, '\\$&');
  const href = url.replace(/[(){}|]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${text}](${href})`;
}

/** HTML elements that never have content, which HTML (and MDX 1) let authors leave open. */
const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/** HTML elements with content: left open, they are a mistake to report, not a placeholder. */
const HTML_ELEMENTS = new Set(
  (
    'a abbr address article aside audio b bdi bdo blockquote body button canvas caption cite code colgroup data datalist dd ' +
    'del details dfn dialog div dl dt em fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup html i ' +
    'iframe ins kbd label legend li main map mark menu meter nav noscript object ol optgroup option output p picture pre ' +
    'progress q rp rt ruby s samp script search section select slot small span strong style sub summary sup table tbody td ' +
    'template textarea tfoot th thead time title tr u ul var video svg math center font big tt strike'
  ).split(' '),
);

/**
 * Repairs a tag MDX says is never closed ("Expected a closing tag for `<img>` (3:1-3:20) …", or
 * "Unexpected closing tag `</a>`, expected corresponding closing tag for `<img>` (…)").
 */
function repairUnclosedTag(text: string, reason: string): string | undefined {
  const m = /(?:^Expected a closing tag|expected corresponding closing tag) for `<([^>`\s]*)>` \((\d+):(\d+)-(\d+):(\d+)\)/.exec(reason);
  if (!m) return undefined;
  const name = m[1]!;
  const start = offsetOf(text, Number(m[2]), Number(m[3]));
  const end = offsetOf(text, Number(m[4]), Number(m[5]));
  if (start === undefined || end === undefined || text[start] !== '<' || text[end - 1] !== '>' || text[end - 2] === '/') return undefined;
  if (VOID_ELEMENTS.has(name.toLowerCase())) return replace(text, end - 1, 1, text[end - 2] === ' ' ? '/>' : ' />');
  // `Array<T>`: a type argument.
  if (start > 0 && WORD.test(text[start - 1]!)) return insert(text, start, '\\');
  // `<id>`, `<your-token>`: a placeholder (a lower-case name that is no HTML element, without attributes).
  if (/^[a-z][\w.-]*$/.test(name) && !HTML_ELEMENTS.has(name) && end - start === name.length + 2) return insert(text, start, '\\');
  return undefined;
}

// --- Expressions that parse, but are prose ------------------------------------------------------

/**
 * Names an expression may use without the page defining them: MDX's and site generators' (Astro's
 * `frontmatter`, Docusaurus' `frontMatter` and `toc`), JavaScript's and the browser's. A fixed list,
 * so ingest and the site's build read a page the same way whatever their process defines.
 */
const PROVIDED = new Set(
  (
    'props frontmatter frontMatter toc metadata contentTitle assets Astro ' +
    'undefined NaN Infinity globalThis Math JSON Date Number String Boolean Object Array Symbol BigInt Promise RegExp Error ' +
    'Map Set WeakMap WeakSet Intl Reflect Proxy console parseInt parseFloat isNaN isFinite encodeURI encodeURIComponent ' +
    'decodeURI decodeURIComponent window document navigator location process'
  ).split(' '),
);

interface EsNode {
  type: string;
  name?: string;
  computed?: boolean;
  object?: EsNode;
  expression?: EsNode;
  body?: EsNode[];
  [key: string]: unknown;
}

interface MdastLike {
  type: string;
  value?: string;
  position?: { start: { offset?: number } };
  data?: { estree?: EsNode | null };
  children?: MdastLike[];
}

/**
 * Offsets of the `{` of every expression in the page's text (not in attributes) that is prose
 * written before MDX 2 rather than JavaScript: it could only fail or show nothing when rendered.
 */
export function proseExpressions(tree: Root, text: string): number[] {
  const defined = definedNames(tree as MdastLike);
  const found: number[] = [];
  const visit = (node: MdastLike) => {
    if (node.type === 'mdxTextExpression' || node.type === 'mdxFlowExpression') {
      const at = node.position?.start.offset;
      if (at !== undefined && text[at] === '{' && isProse(node, defined)) found.push(at);
      return;
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(tree as MdastLike);
  return found;
}

function isProse(node: MdastLike, defined: Set<string>): boolean {
  if ((node.value ?? '').trim() === '') return true; // `{}`: shows nothing
  const body = node.data?.estree?.body;
  if (!body || body.length !== 1 || body[0]!.type !== 'ExpressionStatement') return false; // a comment, or more than an expression
  const expression = body[0]!.expression!;
  const undefinedName = (n: EsNode): boolean => {
    if (n.type === 'Identifier') return !defined.has(n.name!) && !PROVIDED.has(n.name!);
    return n.type === 'MemberExpression' && !n.computed && undefinedName(n.object!);
  };
  // A name nobody defines throws when rendered; a list of names shows only its last; an object cannot be shown.
  return undefinedName(expression) || expression.type === 'SequenceExpression' || expression.type === 'ObjectExpression';
}

/** Names the page's `import`s and `export`s define. */
function definedNames(tree: MdastLike): Set<string> {
  const names = new Set<string>();
  const collect = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(collect);
    const n = node as EsNode;
    if (n.type === 'Identifier' && n.name) names.add(n.name);
    // Binding positions only: local names, declared ids and the patterns of declarations.
    for (const key of ['local', 'id', 'declarations', 'declaration', 'specifiers', 'properties', 'elements', 'value', 'left', 'argument']) {
      if (key in n) collect(n[key]);
    }
  };
  for (const node of tree.children ?? []) {
    if (node.type === 'mdxjsEsm') for (const statement of node.data?.estree?.body ?? []) collect(statement);
  }
  return names;
}

// --- Helpers -------------------------------------------------------------------------------------

function isEscaped(text: string, at: number): boolean {
  let slashes = 0;
  for (let i = at - 1; i >= 0 && text[i] === '\\'; i--) slashes++;
  return slashes % 2 === 1;
}

function insert(text: string, at: number, what: string): string {
  return text.slice(0, at) + what + text.slice(at);
}

function replace(text: string, at: number, length: number, what: string): string {
  return text.slice(0, at) + what + text.slice(at + length);
}

/** The offset of a 1-based line and column (columns count characters), or undefined past the text. */
function offsetOf(text: string, line: number, column: number): number | undefined {
  let at = 0;
  for (let l = 1; l < line; l++) {
    at = text.indexOf('\n', at) + 1;
    if (at === 0) return undefined;
  }
  const offset = at + column - 1;
  return offset <= text.length ? offset : undefined;
}

function errorOffset(text: string, e: MdxError): number | undefined {
  const place = e.place;
  if (!place) return undefined;
  const point = place.start ?? place;
  if (typeof point.offset === 'number') return point.offset;
  if (typeof point.line === 'number' && typeof point.column === 'number') return offsetOf(text, point.line, point.column);
  return undefined;
}
