/**
 * Colour contrast of the docs site and the chat widget, from their stylesheets and the code
 * themes, by the WCAG 2 formula: text colours meet AA (4.5:1) on every background they are drawn
 * on, in the light and dark themes. Every colour of the code themes counts, not only those of the
 * fixture pages (the browser test measures what the pages show: test/site.browser.test.ts).
 */
import { readFileSync } from 'node:fs';
// Astro's own Shiki (a dependency of astro): the themes the site is rendered with.
import { bundledThemes } from 'shiki';
import { describe, expect, it } from 'vitest';
import { CODE_THEMES } from '../site/src/lib/code-themes';
import { composite, contrastRatio, customProperties, mixColors, parseColor, type Rgba } from './helpers/contrast';

const AA = 4.5;
const docsCss = readFileSync(new URL('../site/src/styles/docs.css', import.meta.url), 'utf8');
const chatCss = readFileSync(new URL('../site/src/chat/chat.css', import.meta.url), 'utf8');
const reviewCss = readFileSync(new URL('../site/src/review/review.css', import.meta.url), 'utf8');

/** A theme's custom properties, over the light ones (the dark rule only overrides). */
function themeVars(css: string, light: string, dark: string, mode: 'light' | 'dark'): (name: string) => Rgba {
  const vars = new Map([...customProperties(css, light), ...(mode === 'dark' ? customProperties(css, dark) : [])]);
  return (name) => {
    const value = vars.get(name);
    if (!value) throw new Error(`${name} is not set`);
    // `var(--docent-accent, #4f46e5)`: a site's own colour, or Docent's.
    return parseColor(/^var\(--[\w-]+,\s*([^)]+)\)$/.exec(value)?.[1] ?? value);
  };
}

/** The pairs under `required` (default AA, 4.5:1), as readable strings (an empty list when all pass). */
function failures(pairs: [string, Rgba, string, Rgba][], required = AA): string[] {
  return pairs.filter(([, fg, , bg]) => contrastRatio(fg, bg) < required).map(([f, fg, b, bg]) => `${f} on ${b}: ${contrastRatio(fg, bg).toFixed(2)}`);
}

/** The foreground colours of a Shiki theme: its text colour and every token's. */
async function themeColors(name: string): Promise<Map<string, string>> {
  const theme = (await bundledThemes[name as keyof typeof bundledThemes]()).default;
  const colors = new Map<string, string>();
  const text = theme.colors?.['editor.foreground'] ?? theme.fg;
  if (text) colors.set(text, 'text');
  for (const token of theme.tokenColors ?? []) {
    const { foreground, background } = token.settings ?? {};
    if (foreground && !background) colors.set(foreground, [token.scope ?? 'default'].flat().join(',').slice(0, 40));
  }
  return colors;
}

describe.each(['light', 'dark'] as const)('colour contrast, %s theme', (mode) => {
  const docs = themeVars(docsCss, ':root {', ":root[data-theme='dark'] {", mode);
  const widget = themeVars(chatCss, '.docent-root {', ".docent-root[data-theme='dark'] {", mode);
  const codeBg = docs('--code-bg');
  const highlightedLine = composite(docs('--code-highlight-bg'), codeBg);

  it('gives every colour of the code theme AA contrast on code blocks and highlighted lines', async () => {
    const colors = await themeColors(CODE_THEMES[mode]);
    expect(colors.size).toBeGreaterThan(5);
    const pairs = [...colors].flatMap(([color, scope]): [string, Rgba, string, Rgba][] => [
      [`${color} (${scope})`, parseColor(color), '--code-bg', codeBg],
      [`${color} (${scope})`, parseColor(color), 'a highlighted line', highlightedLine],
    ]);
    expect(failures(pairs)).toEqual([]);
  });

  it('gives the docs site muted and soft text AA contrast on its backgrounds, line numbers included', () => {
    const backgrounds = ['--bg', '--bg-soft', '--bg-muted', '--code-bg'].map((b): [string, Rgba] => [b, docs(b)]);
    backgrounds.push(['a highlighted line', highlightedLine]);
    const pairs = ['--fg', '--fg-muted', '--fg-soft'].flatMap((f) => backgrounds.map(([b, bg]): [string, Rgba, string, Rgba] => [f, docs(f), b, bg]));
    expect(failures(pairs)).toEqual([]);
  });

  it('gives the titles of callouts (note, tip, warning, danger) AA contrast on the callout background', () => {
    const pairs = ['--accent', '--callout-tip', '--callout-warning', '--callout-danger'].map((f): [string, Rgba, string, Rgba] => [f, docs(f), '--bg-soft', docs('--bg-soft')]);
    expect(failures(pairs)).toEqual([]);
  });

  it("gives the widget's text, code and scores AA contrast on its backgrounds", () => {
    const backgrounds = ['--dc-bg', '--dc-bg-soft', '--dc-bg-muted'];
    const pairs = ['--dc-fg', '--dc-fg-muted', '--dc-fg-soft'].flatMap((f) => backgrounds.map((b): [string, Rgba, string, Rgba] => [f, widget(f), b, widget(b)]));
    const hl = [...chatCss.matchAll(/(--dc-hl-[\w-]+):/g)].map((m) => m[1]!).filter((v, i, all) => all.indexOf(v) === i);
    expect(hl.length).toBeGreaterThan(5);
    for (const token of hl) pairs.push([token, widget(token), '--dc-code-bg', widget('--dc-code-bg')]);
    // A source's score is written over its bar (the accent mixed 22% into --dc-bg-muted) and beside it.
    const bar = mixColors(widget('--dc-accent'), 0.22, widget('--dc-bg-muted'));
    pairs.push(['--dc-score-fg', widget('--dc-score-fg'), 'the score bar', bar], ['--dc-score-fg', widget('--dc-score-fg'), '--dc-bg-muted', widget('--dc-bg-muted')]);
    expect(failures(pairs)).toEqual([]);
  });

  it('gives the stars of a rating 3:1 on the backgrounds they are drawn on (a graphic: WCAG 1.4.11)', () => {
    const pairs = ['--dc-bg', '--dc-bg-soft'].map((b): [string, Rgba, string, Rgba] => ['--dc-star', widget('--dc-star'), b, widget(b)]);
    expect(failures(pairs, 3)).toEqual([]);
  });

  it("gives the review page's stars not given 3:1 on its rows, plain and highlighted (a graphic: WCAG 1.4.11)", () => {
    const off = /\.rv-stars-off\s*\{[^}]*?color:\s*var\((--[\w-]+)\)/.exec(reviewCss)?.[1];
    expect(off).toBeDefined();
    const pairs = ['--dc-bg', '--dc-bg-soft'].map((b): [string, Rgba, string, Rgba] => [`.rv-stars-off (${off})`, widget(off!), b, widget(b)]);
    expect(failures(pairs, 3)).toEqual([]);
  });
});

describe('contrast ratio', () => {
  it('gives the figures WCAG tools give', () => {
    expect(contrastRatio(parseColor('#000'), parseColor('#fff'))).toBe(21);
    // The docs' former soft grey on white, as axe-core measured it.
    expect(contrastRatio(parseColor('#80899a'), parseColor('#ffffff')).toFixed(2)).toBe('3.52');
    expect(contrastRatio(parseColor('rgb(0 0 0 / 0.5)'), parseColor('#ffffff')).toFixed(2)).toBe('3.98');
  });
});
