/**
 * A few keys of a page's frontmatter, read without parsing the page: the block at the very top
 * (`---` YAML or `+++` TOML, as parse.ts reads it), parsed only when one of the keys is in it.
 * For what must be known of every page before any is parsed (`drafts.ts`, `page-links.ts`).
 * Frontmatter that does not parse gives nothing: ingest reports the error with its line when it
 * parses the page.
 */
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';

/** The frontmatter block at the top of a page, as remark-frontmatter finds it. */
const FRONTMATTER = /^\uFEFF?(---|\+\+\+)[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?\1[ \t]*(?:\r?\n|$)/;

/**
 * Where the frontmatter block at the top of `source` is (`---` YAML or `+++` TOML, its opening and
 * closing lines included), and how many lines are between them; `undefined` when there is none.
 */
export function frontmatterBlock(source: string): { start: number; end: number; innerLines: number } | undefined {
  const block = FRONTMATTER.exec(source);
  if (!block) return undefined;
  const start = source.startsWith('\uFEFF') ? 1 : 0;
  return { start, end: block[0].length, innerLines: block[2] === undefined ? 0 : block[2].split('\n').length };
}

/** The frontmatter of the page whose text is `source`, when it has one of `keys` (else `undefined`). */
export function frontmatterWith(source: string, keys: readonly string[]): Record<string, unknown> | undefined {
  const block = FRONTMATTER.exec(source);
  const text = block?.[2] ?? '';
  // A key at the start of a line (YAML `key:`, TOML `key =`).
  if (!new RegExp(`^["']?(?:${keys.join('|')})["']?[ \\t]*[:=]`, 'm').test(text)) return undefined;
  try {
    const data: unknown = block![1] === '+++' ? parseToml(text) : parseYaml(text, { logLevel: 'error' }); // its warnings are the page's, said by parse.ts
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
