/**
 * A Shiki transformer for the docs site's code blocks (`markdown.shikiConfig.transformers`, used
 * by `.md` and `.mdx` pages alike): what the fence's meta asks for (`code-meta.ts`) is shown. A
 * title (`title="src/App.tsx"`, VitePress' `[src/App.tsx]`) is a caption above the block: the
 * `<pre>` is wrapped in `<figure class="code-block">` with a `<figcaption class="code-title">`.
 * Highlighted lines (`{1,3-4}`) get the class `highlighted`, and their `<pre>` `has-highlighted`;
 * numbered lines (`showLineNumbers`) give the `<pre>` the class `line-numbers` and the number of
 * its first line (CSS counters in `styles/docs.css` show the numbers, so copying the code does not
 * copy them).
 */
import type { ShikiConfig } from 'astro';
import { type CodeMeta, inRanges, parseCodeMeta } from './code-meta';

type ShikiTransformer = NonNullable<ShikiConfig['transformers']>[number];
type Context = ThisParameterType<NonNullable<ShikiTransformer['line']>>;

/** Each block's meta, read once (the hooks of one block share its options object). */
const parsed = new WeakMap<object, CodeMeta>();
function metaOf(context: Context): CodeMeta {
  let meta = parsed.get(context.options);
  if (!meta) parsed.set(context.options, (meta = parseCodeMeta(context.options.meta?.__raw)));
  return meta;
}

export function shikiCodeMeta(): ShikiTransformer {
  return {
    name: 'docent:code-meta',
    pre(pre) {
      const meta = metaOf(this);
      if (meta.highlight.length) this.addClassToHast(pre, 'has-highlighted');
      if (meta.lineNumbers !== undefined) {
        this.addClassToHast(pre, 'line-numbers');
        pre.properties.style = `${pre.properties.style ?? ''}; --line-start: ${meta.lineNumbers - 1};`.replace(/^; /, '');
      }
    },
    line(line, number) {
      const { highlight } = metaOf(this);
      if (inRanges(highlight, number)) this.addClassToHast(line, 'highlighted');
    },
    root(root) {
      const { title } = metaOf(this);
      if (!title) return;
      const caption = { type: 'element' as const, tagName: 'figcaption', properties: { className: ['code-title'] }, children: [{ type: 'text' as const, value: title }] };
      const figure = { type: 'element' as const, tagName: 'figure', properties: { className: ['code-block'] }, children: [caption, ...root.children] };
      return { ...root, children: [figure] } as typeof root;
    },
  };
}
