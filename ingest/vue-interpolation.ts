/**
 * Vue text interpolation in VitePress pages: a page (or a part it includes) declares string
 * constants in its `<script setup>` block and writes `{{ packageName }}` in its text, which
 * VitePress renders as the value (Wagmi's docs share one part between packages that way:
 * `import { http } from '{{packageName}}'`). Ingest and the docs site read it alike, line for line:
 * `{{ name }}` of a constant declared as a string literal (`const packageName = 'wagmi'`) becomes
 * its value in the text, inline code included, and in fenced code whose language ends with `-vue`
 * (` ```ts-vue `, the only code VitePress interpolates; the fence becomes ` ```ts `). Other code,
 * other expressions (`{{ $frontmatter.title }}`) and names without a string value are left as
 * written. The first declaration of a name counts.
 */
import { fencedLines } from './fences';

/** A `<script>` block's opening line (`<script setup lang="ts">`). */
const SCRIPT_OPEN = /^\s*<script\b[^>]*>/i;
const SCRIPT_CLOSE = /<\/script>/i;
/** `const name = 'value'` (or `let`, `var`; single, double or back quotes without escapes or `${`). */
const STRING_CONSTANT = /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:'([^'\\\n]*)'|"([^"\\\n]*)"|`([^`\\\n$]*)`)/g;
/** A fence line's language, when it ends with `-vue` (group 1 up to the language, group 2 after). */
const VUE_FENCE = /^(\s*(?:`{3,}|~{3,})\s*[\w+#.-]+?)-vue\b(.*)$/;

/** `source` (a page's text, line endings normalised) with its string constants' interpolations in place. */
export function vueInterpolationsAsText(source: string): string {
  if (!source.includes('{{') || !/<script\b/i.test(source)) return source;
  const lines = source.split('\n');
  const fenced = fencedLines(lines);
  const values = new Map<string, string>();
  const inScript: boolean[] = [];
  let open = false;
  lines.forEach((line, i) => {
    if (!open && !fenced[i] && SCRIPT_OPEN.test(line)) open = true;
    inScript.push(open);
    if (open) {
      for (const m of line.matchAll(STRING_CONSTANT)) if (!values.has(m[1]!)) values.set(m[1]!, m[2] ?? m[3] ?? m[4] ?? '');
      if (SCRIPT_CLOSE.test(line)) open = false;
    }
  });
  if (values.size === 0) return source;
  const interpolate = (line: string) => line.replace(/\{\{\s*([A-Za-z_$][\w$]*)\s*\}\}/g, (whole, name: string) => values.get(name) ?? whole);
  /** The open fence (its characters) and whether VitePress interpolates in it. */
  let fence: { chars: string; vue: boolean } | undefined;
  const out = lines.map((line, i) => {
    if (fence) {
      if (new RegExp(`^\\s*${fence.chars[0] === '`' ? '`' : '~'}{${fence.chars.length},}\\s*$`).test(line)) {
        fence = undefined;
        return line;
      }
      return fence.vue ? interpolate(line) : line;
    }
    if (fenced[i]) {
      const chars = /^\s*(`{3,}|~{3,})/.exec(line)![1]!;
      const vue = VUE_FENCE.exec(line);
      fence = { chars, vue: vue !== null };
      return vue ? `${vue[1]}${vue[2]}` : line;
    }
    return inScript[i] ? line : interpolate(line);
  });
  return out.join('\n');
}
