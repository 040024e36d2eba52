/**
 * MDX partials: a page that imports another markdown file and uses it as a component,
 *
 *   import TagsFile from './_tags-file.mdx';
 *   …
 *   <TagsFile />
 *
 * shows that file's content in its place (Docusaurus' way to reuse text, and any MDX site's).
 * The partial is no page of its own (`_` files are skipped by `scan.ts`), so its text is indexed
 * as part of each page that includes it (`parseDocument()`'s `partials` option).
 *
 * Only default imports of a relative `.md`/`.mdx` path inside the content folder are partials
 * (`@site/…` aliases are not resolved). Ingest reads them before it hashes a page, so a page is
 * re-indexed when a partial it includes changes.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path/posix';
import { fencedLines } from './fences';

/** How deep partials may include partials; deeper ones (or a cycle) are not read. */
export const MAX_PARTIAL_DEPTH = 4;

/** `import Name from './file.mdx'`: a default import of a relative markdown file. */
const PARTIAL_IMPORT = /^import\s+([A-Za-z_$][\w$]*)\s+from\s+(['"])(\.{1,2}\/[^'"]+\.mdx?)\2\s*;?\s*$/;

/**
 * The partials an `.mdx` page at `path` imports, by the name it binds: content-relative path of
 * each (`api/_tags.mdx`). Imports of files outside the content folder are left out. `esm` is the
 * page's import statements (one per line), or its whole source: lines in fenced code are skipped.
 */
export function partialImports(esm: string, path: string): Map<string, string> {
  const imports = new Map<string, string>();
  if (!path.toLowerCase().endsWith('.mdx')) return imports;
  const lines = esm.split('\n');
  const fenced = fencedLines(lines);
  lines.forEach((line, i) => {
    const m = fenced[i] ? null : PARTIAL_IMPORT.exec(line.trim());
    if (!m) return;
    const resolved = normalize(join(dirname(path), m[3]!));
    if (!resolved.startsWith('../') && !resolved.startsWith('/')) imports.set(m[1]!, resolved);
  });
  return imports;
}

/**
 * The sources of the partials the page at `path` includes, and of those they include (up to
 * {@link MAX_PARTIAL_DEPTH}), by content-relative path. A partial that cannot be read is left
 * out; `parseDocument()` then warns where the page uses it.
 */
export async function readPartials(contentDir: string, path: string, source: string): Promise<Map<string, string>> {
  const partials = new Map<string, string>();
  const visit = async (from: string, text: string, depth: number): Promise<void> => {
    if (depth > MAX_PARTIAL_DEPTH) return;
    for (const partial of new Set(partialImports(text, from).values())) {
      if (partials.has(partial)) continue;
      let content: string;
      try {
        content = (await readFile(join(contentDir, partial), 'utf8')).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
      } catch {
        continue;
      }
      partials.set(partial, content);
      await visit(partial, content, depth + 1);
    }
  };
  await visit(path, source, 1);
  return partials;
}
