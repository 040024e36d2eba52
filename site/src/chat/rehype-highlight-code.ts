/**
 * A rehype plugin that highlights fenced code blocks with lowlight (highlight.js grammars → hast,
 * so nothing goes through `innerHTML`). Only the {@link HIGHLIGHT_LANGUAGES} are bundled, and
 * only blocks that name a language are highlighted (no guessing); other code stays plain.
 */
import type { Element, ElementContent, Root } from 'hast';
import { createLowlight } from 'lowlight';
import { visit } from 'unist-util-visit';
import { HIGHLIGHT_ALIASES, HIGHLIGHT_LANGUAGES } from './highlight-languages';

const lowlight = createLowlight(HIGHLIGHT_LANGUAGES);
lowlight.registerAlias(HIGHLIGHT_ALIASES);

function languageOf(code: Element): string | undefined {
  const classes = code.properties.className;
  const list: unknown[] = Array.isArray(classes) ? classes : typeof classes === 'string' ? String(classes).split(/\s+/) : [];
  for (const name of list) {
    const match = /^language-(.+)$/.exec(String(name));
    if (match) return match[1]!.toLowerCase();
  }
  return undefined;
}

function textOf(node: Element): string {
  return node.children.map((child) => (child.type === 'text' ? child.value : child.type === 'element' ? textOf(child) : '')).join('');
}

export function rehypeHighlightCode() {
  return (tree: Root) => {
    visit(tree, 'element', (node, _index, parent) => {
      if (node.tagName !== 'code' || parent?.type !== 'element' || parent.tagName !== 'pre') return;
      const language = languageOf(node);
      if (!language || !lowlight.registered(language)) return;
      try {
        const result = lowlight.highlight(language, textOf(node));
        node.children = result.children as ElementContent[];
        const classes = Array.isArray(node.properties.className) ? node.properties.className : [];
        node.properties.className = [...classes, 'hljs'];
      } catch {
        // A grammar failing on odd input leaves the block plain.
      }
    });
  };
}
