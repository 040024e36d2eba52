/**
 * Whether a page is a draft, by its frontmatter, as the site generators docs are written for
 * decide it: `draft: true` (Hugo, Docusaurus, Starlight, Eleventy) or `published: false`
 * (Jekyll). Those generators do not publish drafts, so Docent neither indexes nor builds them.
 *
 * Only the frontmatter block at the very top is read, and only parsed when one of the two keys is
 * in it (`frontmatter-block.ts`). Frontmatter that does not parse is no draft: ingest reports the
 * error with its line when it parses the page.
 */
import { frontmatterWith } from './frontmatter-block';

/** Whether the page whose text is `source` is a draft ({@link isDraftFrontmatter} of its frontmatter). */
export function isDraft(source: string): boolean {
  const frontmatter = frontmatterWith(source, ['draft', 'published']);
  return frontmatter !== undefined && isDraftFrontmatter(frontmatter);
}

/** `draft: true` or `published: false` (also written as the strings `"true"` / `"false"`, which Hugo accepts). */
function isDraftFrontmatter(frontmatter: Record<string, unknown>): boolean {
  const flag = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
  const draft = flag(frontmatter.draft);
  const published = flag(frontmatter.published);
  return draft === true || draft === 'true' || published === false || published === 'false';
}
