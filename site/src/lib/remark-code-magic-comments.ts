/**
 * A remark plugin for the docs site: Docusaurus' magic comment lines in code blocks
 * (`// highlight-next-line`, `# highlight-start`, …) and Shiki's notation comments and twoslash
 * markup (`// [!code focus]`, `// ---cut---`, `code-notations.ts`) are removed, as those
 * generators' own sites do (and ingest, for the magic comments: `ingest/code-magic-comments.ts`),
 * instead of being shown as comments, and the lines they mark are highlighted (written into the
 * fence's meta as `{2,5}`, which `shiki-code-meta.ts` reads). Lines a fence's meta highlights (`{1,3-4}`) are counted in the code as written, so they
 * are renumbered when comment lines go. VitePress' `js{4}` or `ts:line-numbers` fence has its
 * highlighted lines and line numbers taken off its language, into its meta.
 */
import type { Code, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { readMagicComments } from '../../../ingest/code-magic-comments';
import { readCodeNotations } from './code-notations';
import { inRanges, parseCodeMeta, splitFenceLanguage, withHighlightedLines } from './code-meta';

export function remarkCodeMagicComments() {
  return (tree: Root) => {
    visit(tree, 'code', (node: Code) => {
      if (node.lang) {
        const { lang, meta } = splitFenceLanguage(node.lang, node.meta);
        node.lang = lang;
        node.meta = meta;
      }
      // Shiki's notation comments and twoslash markup first (`[!code focus]`), then Docusaurus'.
      const notations = readCodeNotations(node.value, node.meta);
      const read = readMagicComments(notations.code, node.lang);
      if (read.code === node.value) return;
      node.value = read.code;
      const writtenLines = read.writtenLines.map((line) => notations.writtenLines[line - 1]!);
      const marked = new Set(read.highlighted);
      read.writtenLines.forEach((line, i) => {
        if (notations.highlighted.includes(line)) marked.add(i + 1);
      });
      const written = parseCodeMeta(node.meta).highlight;
      const highlighted = written.length
        ? writtenLines.flatMap((line, i) => (inRanges(written, line) ? [i + 1] : []))
        : [...marked].sort((a, b) => a - b);
      node.meta = withHighlightedLines(node.meta, highlighted);
    });
  };
}
