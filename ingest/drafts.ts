/**
 * Whether a page is a draft, by its frontmatter, as the site generators docs are written for
 * decide it: `draft: true` (Hugo, Docusaurus, Starlight, Eleventy) or `published: false`
 * (Jekyll). Those generators do not publish drafts, so Docent neither indexes nor builds them.
 *
 * Only the frontmatter block at the very top is read (`---` YAML or `+++` TOML, as parse.ts reads
 * it), and only parsed when one of the two keys is in it. Frontmatter that does not parse is no
 * draft: ingest reports the error with its line when it parses the page.
 */
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';

/** The frontmatter block at the top of a page, as remark-frontmatter finds it. */
const FRONTMATTER = /^\uFEFF?(---|\+\+\+)[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?\1[ \t]*(?:\r?\n|$)/;
/** A `draft` or `published` key at the start of a line (YAML `key:`, TOML `key =`). */
const DRAFT_KEY = /^["']?(?:draft|published)["']?[ \t]*[:=]/m;

/** Whether the page whose text is `source` is a draft ({@link isDraftFrontmatter} of its frontmatter). */
export function isDraft(source: string): boolean {
  const block = FRONTMATTER.exec(source);
  const text = block?.[2] ?? '';
  if (!DRAFT_KEY.test(text)) return false;
  let data: unknown;
  try {
    data = block![1] === '+++' ? parseToml(text) : parseYaml(text);
  } catch {
    return false;
  }
  return typeof data === 'object' && data !== null && isDraftFrontmatter(data as Record<string, unknown>);
}

/** `draft: true` or `published: false` (also written as the strings `"true"` / `"false"`, which Hugo accepts). */
function isDraftFrontmatter(frontmatter: Record<string, unknown>): boolean {
  const flag = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
  const draft = flag(frontmatter.draft);
  const published = flag(frontmatter.published);
  return draft === true || draft === 'true' || published === false || published === 'false';
}
