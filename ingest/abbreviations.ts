/**
 * Abbreviation definitions (`*[HTML]: Hyper Text Markup Language`, Python-Markdown's `abbr` and
 * PHP Markdown Extra's syntax, common in MkDocs Material sites, often in a snippet appended to
 * every page). They are no text of the page: its site shows the definition only as a tooltip on
 * each use of the word. Their lines are made blank (outside fenced code), so no line moves.
 */
import { fencedLines } from './fences';

const DEFINITION = /^[ \t]{0,3}\*\[[^\]\n]+\]:[ \t]/;

/** `source` without its abbreviation definitions (each such line left blank). */
export function withoutAbbreviationDefinitions(source: string): string {
  if (!source.includes('*[')) return source;
  const lines = source.split('\n');
  const fenced = fencedLines(lines);
  let changed = false;
  lines.forEach((line, i) => {
    if (!fenced[i] && DEFINITION.test(line)) {
      lines[i] = '';
      changed = true;
    }
  });
  return changed ? lines.join('\n') : source;
}
