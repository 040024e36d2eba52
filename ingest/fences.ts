/**
 * Which lines of a page are fenced code, for the conversions made before parsing
 * (`template-tags.ts`, `mkdocs-blocks.ts`, `mdx-source.ts`), which leave code as written.
 */

/**
 * An opening fence, at any indentation (a list item's content is indented): three or more
 * backticks not followed by another backtick on the line (CommonMark: ``` ``` `limit` ``` ``` is
 * inline code, not a fence), or three or more tildes.
 */
const OPENING = /^[ \t]*(?:(`{3,})(?!.*`)|(~{3,}))/;

/** For each line, whether it is inside fenced code (the fence lines included). */
export function fencedLines(lines: readonly string[]): boolean[] {
  const out: boolean[] = [];
  let fence: string | undefined;
  for (const line of lines) {
    if (fence !== undefined) {
      out.push(true);
      if (new RegExp(`^[ \\t]*${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`).test(line)) fence = undefined;
      continue;
    }
    const opening = OPENING.exec(line);
    fence = opening ? (opening[1] ?? opening[2]) : undefined;
    out.push(fence !== undefined);
  }
  return out;
}
