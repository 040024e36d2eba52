/**
 * Whether an indented line belongs to a list item, for the conversions of other generators'
 * blocks (`mkdocs-blocks.ts`, `template-tags.ts`): a block marker indented inside a list item
 * keeps its indentation, so its callout stays in the item; elsewhere an indented line is code.
 */

/** A list item's first line: `- `, `* `, `+ `, `1. ` or `1) `, after any indentation. */
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d+[.)])[ \t]/;

/**
 * Whether the line at `at`, indented by `indent` spaces, is inside a list item: the nearest line
 * above it indented less is an item's first line.
 */
export function inListItem(lines: readonly string[], at: number, indent: number): boolean {
  for (let j = at - 1; j >= 0; j--) {
    const line = lines[j]!;
    if (line.trim() === '' || /^ */.exec(line)![0].length >= indent) continue;
    return LIST_ITEM.test(line);
  }
  return false;
}
