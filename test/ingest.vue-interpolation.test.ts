/**
 * vueInterpolationsAsText(): `{{ name }}` of a string constant a VitePress page's `<script setup>`
 * declares, as its value, where VitePress interpolates (text, inline code, `-vue` fences).
 */
import { describe, expect, it } from 'vitest';
import { vueInterpolationsAsText } from '../ingest/vue-interpolation';

const lines = (...l: string[]) => l.join('\n');

describe('vueInterpolationsAsText()', () => {
  it('returns a page without <script> constants as it is', () => {
    const page = lines('# T', '', 'Hugo writes {{ .Title }} and Liquid {{ page.title }}.', '```ts-vue', "import x from '{{packageName}}'", '```');
    expect(vueInterpolationsAsText(page)).toBe(page);
    expect(vueInterpolationsAsText(lines('<script setup>', 'const n = compute()', '</script>', '{{ n }}'))).toBe(lines('<script setup>', 'const n = compute()', '</script>', '{{ n }}'));
  });

  it('puts string constants in text, inline code and -vue fences (which lose the suffix), not in other code or the script, line for line', () => {
    const page = lines(
      '<script setup>',
      "const packageName = 'wagmi'",
      'const TData = "SignMessageData"',
      '</script>',
      '',
      '# {{ packageName }}',
      'Returns `{{TData}} | undefined`, not {{ other }} or {{ $frontmatter.title }}.',
      '```ts-vue [config.ts]',
      "import { http } from '{{packageName}}'",
      '```',
      '```ts',
      "import { http } from '{{packageName}}'",
      '```',
      '<script setup>',
      "const packageName = '@wagmi/vue'",
      '</script>',
    );
    expect(vueInterpolationsAsText(page).split('\n')).toEqual([
      '<script setup>',
      "const packageName = 'wagmi'",
      'const TData = "SignMessageData"',
      '</script>',
      '',
      '# wagmi',
      'Returns `SignMessageData | undefined`, not {{ other }} or {{ $frontmatter.title }}.',
      '```ts [config.ts]',
      "import { http } from 'wagmi'",
      '```',
      '```ts',
      "import { http } from '{{packageName}}'",
      '```',
      '<script setup>',
      "const packageName = '@wagmi/vue'",
      '</script>',
    ]);
  });
});
