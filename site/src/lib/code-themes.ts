/**
 * The Shiki themes of the docs site's code blocks (astro.config.mjs), light and dark: GitHub's
 * pair whose every token colour meets WCAG AA (4.5:1) on the site's code backgrounds, highlighted
 * lines included (docs.css `--code-bg`, `--code-highlight-bg`; checked by test/site.contrast.test.ts).
 * `github-light` and `github-dark-dimmed` fall short (greens, oranges and comment greys at 3.3–4.4:1).
 */
export const CODE_THEMES = { light: 'github-light-high-contrast', dark: 'github-dark-default' } as const;
