/**
 * MDX source made readable by MDX 2+ where it follows other conventions, before it is parsed, by
 * ingest and by the docs site alike (`site/astro.config.mjs`), so both read a page the same way:
 *
 * - explicit heading ids (`## Options {#options}`, `heading-ids.ts`) get their braces escaped;
 * - HTML comments (`<!-- … -->`, which MDX 1 and Docusaurus 2 accepted) become MDX comments
 *   (`{/* … *\/}`);
 * - `<br>` becomes `<br />` (JSX needs the slash).
 *
 * Fenced code and inline code are left as they are. The line count does not change.
 */
import { escapeHeadingIdLine } from './heading-ids';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** An inline code span (left alone), an HTML comment, or a `<br>` without its slash. */
const INLINE = /(`+)(?:(?!\n[ \t]*\n)[\s\S])*?\1|<!--([\s\S]*?)-->|<br\s*>/gi;

export function prepareMdxSource(source: string): string {
  if (!/[{<]/.test(source)) return source;
  const out: string[] = [];
  let prose: string[] = [];
  const flush = () => {
    if (prose.length) out.push(convertInline(prose.join('\n')));
    prose = [];
  };
  let fence: string | undefined;
  for (const line of source.split('\n')) {
    const opening = FENCE.exec(line)?.[1];
    if (fence) {
      out.push(line);
      if (opening && opening[0] === fence[0] && opening.length >= fence.length && line.trim() === opening) fence = undefined;
    } else if (opening) {
      flush();
      out.push(line);
      fence = opening;
    } else {
      prose.push(escapeHeadingIdLine(line));
    }
  }
  flush();
  return out.join('\n');
}

function convertInline(text: string): string {
  return text.replace(INLINE, (match, ticks: string | undefined, comment: string | undefined) => {
    if (ticks) return match;
    if (comment !== undefined) return `{/*${comment.replace(/\*\//g, '* /')}*/}`;
    return '<br />';
  });
}
