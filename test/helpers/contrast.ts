/**
 * WCAG 2 text contrast, from stylesheets and in pages. axe-core (test/helpers/axe.ts) checks
 * pages too; the colour pairs read from the stylesheets also cover text axe leaves undecided.
 *
 * - {@link contrastRatio} and friends: the formula, for colours read from stylesheets and themes.
 * - {@link lowContrastText}: measured in the browser, every visible text whose colour against the
 *   background behind it is under 4.5:1 (3:1 for large text: 24 px, or 18.66 px bold). Disabled
 *   controls and visually hidden text are exempt, as in WCAG 1.4.3. The background is the stack of
 *   ancestors' background colours, composited (an ancestor with a background image or partial
 *   opacity ends the check for that text: its background is unknown; so does a sibling drawn
 *   behind the text, such as a score's bar, which it cannot see).
 */
import type { Page } from 'playwright-core';

/** An sRGB colour, 0–255 per channel, and its alpha (0–1). */
export type Rgba = [number, number, number, number];

/** `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb(r g b / a)` or `rgb(r, g, b)` as {@link Rgba}. */
export function parseColor(css: string): Rgba {
  const value = css.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(value)?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
    const channel = (i: number) => parseInt(full.slice(i * 2, i * 2 + 2), 16);
    return [channel(0), channel(1), channel(2), full.length === 8 ? channel(3) / 255 : 1];
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)\s*(?:[,/]\s*([\d.]+)(%?))?\s*\)$/.exec(value);
  if (rgb) {
    const alpha = rgb[4] === undefined ? 1 : Number(rgb[4]) / (rgb[5] ? 100 : 1);
    return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), alpha];
  }
  throw new Error(`not a colour this helper reads: ${css}`);
}

/** `top` drawn over the opaque `under`. */
export function composite(top: Rgba, under: Rgba): Rgba {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i]! * a + under[i]! * (1 - a)).concat(1) as Rgba;
}

/** CSS `color-mix(in srgb, a p, b)`, `p` from 0 to 1. */
export function mixColors(a: Rgba, p: number, b: Rgba): Rgba {
  return [0, 1, 2].map((i) => a[i]! * p + b[i]! * (1 - p)).concat(1) as Rgba;
}

function luminance([r, g, b]: Rgba): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** The WCAG 2 contrast ratio of text `fg` (drawn over the opaque `bg`) on `bg`, 1 to 21. */
export function contrastRatio(fg: Rgba, bg: Rgba): number {
  const [hi, lo] = [luminance(composite(fg, bg)), luminance(bg)].sort((a, b) => b - a) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The custom properties (`--name: value;`) declared in the first rule of `css` whose selector
 * starts with `selector`.
 */
export function customProperties(css: string, selector: string): Map<string, string> {
  const start = css.indexOf(`${selector}`);
  if (start < 0) throw new Error(`no rule for ${selector}`);
  const body = css.slice(css.indexOf('{', start) + 1, css.indexOf('}', start));
  const vars = new Map<string, string>();
  for (const m of body.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) vars.set(m[1]!, m[2]!.trim());
  return vars;
}

export interface ContrastFailure {
  /** The text (first 60 characters). */
  text: string;
  color: string;
  background: string;
  ratio: number;
  required: number;
}

/**
 * The visible texts under `selector` (default: the whole page, open shadow roots included) that
 * fall short of WCAG AA contrast.
 */
export function lowContrastText(page: Page, selector = 'body'): Promise<ContrastFailure[]> {
  return page.evaluate((rootSelector) => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    // Any CSS colour (rgb(), color(srgb ...), oklab()...) as 0–255 RGB and 0–1 alpha.
    const rgba = (css: string): [number, number, number, number] => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = '#000';
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      const d = ctx.getImageData(0, 0, 1, 1).data;
      return [d[0]!, d[1]!, d[2]!, d[3]! / 255];
    };
    const over = (top: [number, number, number, number], under: [number, number, number]): [number, number, number] =>
      [0, 1, 2].map((i) => top[i]! * top[3] + under[i]! * (1 - top[3])) as [number, number, number];
    const luminance = (c: [number, number, number]) => {
      const [r, g, b] = c.map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const parentOf = (el: Element): Element | null => el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null);
    const background = (el: Element): [number, number, number] | undefined => {
      const layers: [number, number, number, number][] = [];
      for (let node: Element | null = el; node; node = parentOf(node)) {
        const style = getComputedStyle(node);
        if (style.backgroundImage !== 'none' || Number(style.opacity) < 1) return undefined;
        const color = rgba(style.backgroundColor);
        if (color[3] > 0) layers.push(color);
        if (color[3] === 1) break;
      }
      return layers.reduceRight<[number, number, number]>((under, layer) => over(layer, under), [255, 255, 255]);
    };
    const exempt = (el: Element) =>
      Boolean(el.closest(':disabled, [aria-disabled="true"]')) ||
      (() => {
        const r = el.getBoundingClientRect();
        return r.width <= 1 || r.height <= 1 || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
      })();

    const failures: { text: string; color: string; background: string; ratio: number; required: number }[] = [];
    const seen = new Set<Element>();
    const visit = (root: Node) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      for (let node: Node | null = walker.currentNode; node; node = walker.nextNode()) {
        if (node instanceof Element && node.shadowRoot) visit(node.shadowRoot);
        if (node.nodeType !== Node.TEXT_NODE || !node.textContent?.trim()) continue;
        const el = node.parentElement;
        if (!el || seen.has(el) || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TITLE'].includes(el.tagName)) continue;
        seen.add(el);
        if (exempt(el)) continue;
        const bg = background(el);
        if (!bg) continue;
        const style = getComputedStyle(el);
        const fg = over(rgba(style.color), bg);
        const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a) as [number, number];
        const ratio = (hi + 0.05) / (lo + 0.05);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        const required = large ? 3 : 4.5;
        if (ratio < required) {
          failures.push({
            text: (el.textContent ?? '').trim().slice(0, 60),
            color: `rgb(${fg.map(Math.round).join(', ')})`,
            background: `rgb(${bg.map(Math.round).join(', ')})`,
            ratio: Math.round(ratio * 100) / 100,
            required,
          });
        }
      }
    };
    for (const root of document.querySelectorAll(rootSelector)) visit(root);
    return failures;
  }, selector);
}
