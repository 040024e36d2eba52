/**
 * The sources of an answer, from its stream parts: the `data-sources` part (full list: rank,
 * score, path, title, heading, url, snippet) when present, else the `source-url` parts (url,
 * title, score in `providerMetadata`).
 */
import type { DocentMessage, SourceInfo } from './types';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The deepest heading of a breadcrumb (`"Routing > Path Parameter"` or `['Routing', 'Path Parameter']`). */
function lastHeading(value: unknown): string {
  if (Array.isArray(value)) return String(value.at(-1) ?? '');
  const s = str(value) ?? '';
  return s.includes(' > ') ? (s.split(' > ').at(-1) ?? s) : s;
}

/** One source object, whatever names the server used for the optional fields. */
export function normalizeSource(value: unknown, index: number): SourceInfo | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const r = value as Record<string, unknown>;
  let url = str(r.url) ?? '';
  const anchor = str(r.anchor);
  if (anchor && !url.includes('#')) url = `${url}#${anchor}`;
  const path = str(r.path) ?? '';
  if (!url && !path) return undefined;
  const source: SourceInfo = {
    rank: num(r.rank) ?? index + 1,
    score: num(r.score) ?? 0,
    path,
    title: str(r.title) ?? path,
    heading: lastHeading(r.heading ?? r.headings),
    url,
    snippet: str(r.snippet) ?? str(r.quote) ?? str(r.text) ?? '',
  };
  const name = str(r.source);
  if (name) source.source = name;
  if (typeof r.cited === 'boolean') source.cited = r.cited;
  return source;
}

/** A list of sources (`[...]` or `{ sources: [...] }`), sorted by rank. */
export function normalizeSources(value: unknown): SourceInfo[] {
  const list = Array.isArray(value)
    ? value
    : value && typeof value === 'object' && Array.isArray((value as { sources?: unknown }).sources)
      ? ((value as { sources: unknown[] }).sources)
      : [];
  return list
    .map((item, i) => normalizeSource(item, i))
    .filter((s): s is SourceInfo => s !== undefined)
    .sort((a, b) => a.rank - b.rank);
}

/** Finds a numeric `score` (and `rank`) anywhere one level inside `providerMetadata`. */
function fromProviderMetadata(meta: unknown, key: 'score' | 'rank'): number | undefined {
  if (!meta || typeof meta !== 'object') return undefined;
  for (const value of Object.values(meta as Record<string, unknown>)) {
    const n = value && typeof value === 'object' ? num((value as Record<string, unknown>)[key]) : undefined;
    if (n !== undefined) return n;
  }
  return undefined;
}

/** The sources of an assistant message, sorted by rank. */
export function messageSources(message: DocentMessage): SourceInfo[] {
  const data = message.parts.findLast((p) => p.type === 'data-sources');
  if (data && 'data' in data) {
    const sources = normalizeSources(data.data);
    if (sources.length) return sources;
  }
  const urls = message.parts.filter((p) => p.type === 'source-url');
  return urls
    .map((part, i): SourceInfo => {
      const [page, anchor = ''] = part.url.split('#');
      return {
        rank: fromProviderMetadata(part.providerMetadata, 'rank') ?? i + 1,
        score: fromProviderMetadata(part.providerMetadata, 'score') ?? 0,
        path: page ?? part.url,
        title: part.title ?? part.url,
        heading: decodeURIComponent(anchor).replace(/-/g, ' '),
        url: part.url,
        snippet: '',
      };
    })
    .sort((a, b) => a.rank - b.rank);
}

/** The answer's text (all text parts). */
export function messageText(message: DocentMessage): string {
  return message.parts
    .filter((p) => p.type === 'text')
    .map((p) => p.text)
    .join('');
}

/** Resolves a source URL against the Docent server (for the standalone widget on another site). */
export function resolveSourceUrl(url: string, base: string): string {
  if (!base) return url;
  try {
    return new URL(url, `${base.replace(/\/+$/, '')}/`).href;
  } catch {
    return url;
  }
}

/** A score as the widget shows it: two decimals. */
export function formatScore(score: number): string {
  return score.toFixed(2);
}

/** True for an absolute (or protocol-relative, `//host/x`) http(s) URL on another origin than the page's. */
export function isExternalUrl(href: string | undefined): boolean {
  // `//host/x` (protocol-relative) is another site too.
  if (!href || !/^(?:https?:)?\/\//i.test(href)) return false;
  try {
    const here = typeof location === 'undefined' ? undefined : location.origin;
    return new URL(href, here ?? 'https://docent.invalid').origin !== here;
  } catch {
    return false;
  }
}

/** `target`/`rel` for links leaving the page's site (new tab, no opener, no referrer). */
export function externalLinkProps(href: string | undefined): { target?: '_blank'; rel?: string } {
  return isExternalUrl(href) ? { target: '_blank', rel: 'noopener noreferrer nofollow' } : {};
}
