/**
 * Frontmatter that Astro's parser rejects though ingest reads it: YAML tags of other tools
 * (`bucket: !Ref Bucket`, as CloudFormation docs write it), and what else `yaml` (ingest) reads
 * and js-yaml (Astro) does not. Ingest indexes such a page, so citations link to it, and the site
 * left it out: the citations opened a 404. The site builds it with the frontmatter as ingest reads
 * it instead: the block is given to Astro as JSON (which any YAML parser reads), on as many lines
 * as it had, so lines in the page keep their numbers.
 *
 * The content loader (`docs-loader.ts`) finds such pages and records their frontmatter here
 * ({@link rememberIngestFrontmatter}); the MDX compiler reads the file itself, so astro.config.mjs's
 * MDX transform puts the recorded frontmatter in place ({@link withIngestFrontmatter}).
 */
import { frontmatterBlock } from '../../../ingest/frontmatter-block';

/** `source` with its frontmatter block replaced by `frontmatter` as JSON, on as many lines; `source` itself when it has no block. */
export function withFrontmatterAsJson(source: string, frontmatter: Readonly<Record<string, unknown>>): string {
  const block = frontmatterBlock(source);
  if (!block) return source;
  const padding = '\n'.repeat(Math.max(0, block.innerLines - 1));
  const closing = /\r?\n$/.exec(source.slice(0, block.end))?.[0] ?? '';
  return `${source.slice(0, block.start)}---\n${JSON.stringify(frontmatter)}\n${padding}---${closing}${source.slice(block.end)}`;
}

/** Pages (absolute file paths) built with the frontmatter ingest reads, and that frontmatter: shared by the loader and the MDX transform (one Astro process). */
const recorded: Map<string, Record<string, unknown>> = ((globalThis as { __docentIngestFrontmatter?: Map<string, Record<string, unknown>> }).__docentIngestFrontmatter ??= new Map());

/** Records that the page `file` (absolute) is built with `frontmatter`, as ingest reads it; `undefined` forgets it (its frontmatter is read again). */
export function rememberIngestFrontmatter(file: string, frontmatter: Record<string, unknown> | undefined): void {
  if (frontmatter) recorded.set(file, frontmatter);
  else recorded.delete(file);
}

/** The text of the page `file` (absolute) as the site compiles it: with the frontmatter ingest reads, when the loader recorded it. */
export function withIngestFrontmatter(source: string, file: string): string {
  const frontmatter = recorded.get(file);
  return frontmatter ? withFrontmatterAsJson(source, frontmatter) : source;
}
