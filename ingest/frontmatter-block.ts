/**
 * A few keys of a page's frontmatter, read without parsing the page: the block at the very top
 * (`---` YAML or `+++` TOML, as parse.ts reads it), parsed only when one of the keys is in it.
 * For what must be known of every page before any is parsed (`drafts.ts`, `page-links.ts`).
 * Frontmatter that does not parse gives nothing: ingest reports the error with its line when it
 * parses the page.
 */
import { parse as parseToml } from 'smol-toml';
import { type Document, isMap, isScalar, parseDocument, visit, YAMLParseError } from 'yaml';

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
    const data: unknown = block![1] === '+++' ? parseToml(text) : parseYamlOrThrow(text);
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** YAML as the `yaml` package's `parse()` reads it, throwing its first error; no warnings (they are the page's, said by parse.ts). */
function parseYamlOrThrow(text: string): unknown {
  const doc = parseYamlFrontmatter(text);
  if (doc.errors.length > 0) throw doc.errors[0];
  return doc.toJS();
}

/**
 * A YAML frontmatter as the `yaml` package's `parseDocument()` reads it, with a key repeated in
 * one map ("Map keys must be unique") among its errors, at that key's line, as the package reports
 * it. The package finds those by comparing each key with every key before it: a generated
 * frontmatter of 45,000 keys (1 MB) took a minute, 300,000 keys more than three; here a set of
 * each map's keys finds them in one pass.
 */
export function parseYamlFrontmatter(text: string): Document.Parsed {
  const doc = parseDocument(text, { uniqueKeys: false });
  const duplicates: YAMLParseError[] = [];
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        // Keys that are maps or lists are compared by identity in the package too: never repeated.
        if (!isScalar(key)) continue;
        if (!seen.has(key.value)) {
          seen.add(key.value);
          continue;
        }
        const at = key.range?.[0] ?? 0;
        const error = new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique');
        const before = text.slice(0, at);
        error.linePos = [{ line: before.split('\n').length, col: at - before.lastIndexOf('\n') }];
        duplicates.push(error);
      }
    },
  });
  if (duplicates.length > 0) doc.errors = [...doc.errors, ...duplicates].sort((a, b) => a.pos[0] - b.pos[0]);
  return doc;
}
