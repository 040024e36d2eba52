/**
 * Safe markdown for answers: react-markdown renders to React elements (never `innerHTML`), and
 * raw HTML in the model's output is turned into plain text before rendering (shown, never parsed
 * or executed; there is no rehype-raw); link URLs pass
 * react-markdown's `defaultUrlTransform`, and a link it refuses (`javascript:`, `data:`) is shown
 * as its text. Images are shown as links (an answer
 * should not make the browser load arbitrary URLs). Code is highlighted with lowlight
 * (highlight.js grammars to hast: synchronous, small, works inside a shadow root), and each code
 * block has a Copy button (`copy-code.ts`). `[n]` citations become links
 * with hover cards. Site-relative links (a quote's, the closest pages of an abstaining answer) are
 * resolved like the citations' URLs, so they lead to the docs from a widget on another site.
 */
import type { Element as HastElement } from 'hast';
import { createContext, memo, useContext, useEffect, useMemo, useRef, type ComponentPropsWithoutRef, type ReactNode } from 'react';
import Markdown, { defaultUrlTransform, type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { CitationLink } from './CitationLink';
import { createCopyCodeControl } from './copy-code';
import { externalLinkProps } from './sources';
import { rehypeHighlightCode } from './rehype-highlight-code';
import { remarkCitations, remarkHtmlAsText } from './citations';
import type { SourceInfo } from './types';

const REHYPE_PLUGINS = [rehypeHighlightCode];

const SourcesContext = createContext<ReadonlyMap<number, SourceInfo>>(new Map());

const components: Components = {
  a({ node: _node, href, children, ...props }) {
    const data = props as Record<string, unknown>;
    const n = Number(data['data-citation']);
    if (Number.isInteger(n) && n > 0) return <CitationRef n={n} href={href ?? '#'} afterCitation={data['data-after-citation'] === 'true'} />;
    // A URL the transform refused (`javascript:`, `data:`) is ''; a link to '' would reload the
    // page, the host page in the widget. Its text is kept, as text.
    if (!href) return <>{children}</>;
    return (
      <a href={href} {...externalLinkProps(href)}>
        {children}
      </a>
    );
  },
  img({ src, alt }) {
    const href = typeof src === 'string' ? src : undefined;
    return href ? (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {alt || 'image'}
      </a>
    ) : (
      <>{alt}</>
    );
  },
  // A table wider than the answer scrolls sideways in its own box, which the keyboard can reach
  // (Tab, then the arrow keys) and a screen reader names by the table's columns.
  table({ node, ...props }) {
    return (
      <div className="dc-table-wrap" role="region" aria-label={tableLabel(node)} tabIndex={0}>
        <table {...props} />
      </div>
    );
  },
  // So does a code block with a line longer than the answer is wide: every browser's keyboard
  // reaches it (Chromium's alone makes a scrolling box focusable by itself), named by its language.
  pre({ node, ...props }) {
    return <CodeBlock {...props} label={codeLabel(node)} />;
  },
};

/**
 * A code block with its Copy button (`copy-code.ts`, the control the docs pages use too), added
 * once the block is in the page: the button copies what the block holds when it is pressed, also
 * while the answer still streams.
 */
function CodeBlock({ label, ...props }: ComponentPropsWithoutRef<'pre'> & { label: string }) {
  const pre = useRef<HTMLPreElement>(null);
  const tools = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!pre.current || !tools.current) return;
    const control = createCopyCodeControl(pre.current);
    tools.current.append(control);
    return () => control.remove();
  }, []);
  return (
    <div className="dc-code-block">
      <pre {...props} ref={pre} role="region" aria-label={label} tabIndex={0} />
      {/* Filled by the effect, never by React. */}
      <div ref={tools} className="dc-code-tools" />
    </div>
  );
}

/** A code block's name, from its fence's language: "Code: ts" ("Code" without one). */
export function codeLabel(pre: HastElement | undefined): string {
  const code = pre?.children.find((child): child is HastElement => child.type === 'element' && child.tagName === 'code');
  const classes = code?.properties.className;
  const language = (Array.isArray(classes) ? classes : [])
    .map(String)
    .find((name) => name.startsWith('language-'))
    ?.slice('language-'.length);
  return language ? `Code: ${language}` : 'Code';
}

/** The text of a hast node and its descendants. */
function hastText(node: HastElement | HastElement['children'][number]): string {
  if (node.type === 'text') return node.value;
  return 'children' in node ? node.children.map(hastText).join('') : '';
}

/** A table's name, from its header row: "Table: Name, Description" ("Table" without one). */
export function tableLabel(table: HastElement | undefined): string {
  const rows: HastElement[] = [];
  const collect = (node: HastElement) => {
    for (const child of node.children) if (child.type === 'element') (child.tagName === 'tr' ? rows.push(child) : collect(child));
  };
  if (table) collect(table);
  const headers = (rows[0]?.children ?? [])
    .filter((cell): cell is HastElement => cell.type === 'element' && cell.tagName === 'th')
    .map((cell) => hastText(cell).trim())
    .filter(Boolean);
  return headers.length ? `Table: ${headers.join(', ')}` : 'Table';
}

function CitationRef({ n, href, afterCitation }: { n: number; href: string; afterCitation: boolean }) {
  const source = useContext(SourcesContext).get(n);
  return <CitationLink n={n} href={href} source={source} afterCitation={afterCitation} />;
}

export interface AnswerMarkdownProps {
  text: string;
  /** Sources the `[n]` markers refer to (by rank). Default: none (markers stay text). */
  sources?: readonly SourceInfo[];
  /** Turns a source URL into a link (e.g. against the Docent server). Default: as is. */
  resolveUrl?: (url: string) => string;
}

/** react-markdown's URL check, then `resolveUrl` for site-relative URLs (`/guides/x/`, not `//host`). */
function siteUrlTransform(resolveUrl: ((url: string) => string) | undefined): (url: string) => string {
  return (url) => {
    const safe = defaultUrlTransform(url);
    return resolveUrl && /^\/(?!\/)/.test(safe) ? resolveUrl(safe) : safe;
  };
}

export const AnswerMarkdown = memo(function AnswerMarkdown({ text, sources = [], resolveUrl }: AnswerMarkdownProps): ReactNode {
  const byRank = useMemo(() => new Map(sources.map((s) => [s.rank, s])), [sources]);
  const urlTransform = useMemo(() => siteUrlTransform(resolveUrl), [resolveUrl]);
  const remarkPlugins = useMemo(
    () => [remarkGfm, remarkHtmlAsText, [remarkCitations, { sources, ...(resolveUrl ? { resolveUrl } : {}) }] as const],
    [sources, resolveUrl],
  );
  return (
    <SourcesContext.Provider value={byRank}>
      <Markdown
        remarkPlugins={remarkPlugins as never}
        rehypePlugins={REHYPE_PLUGINS}
        components={components}
        urlTransform={urlTransform}
      >
        {text}
      </Markdown>
    </SourcesContext.Provider>
  );
});
