/**
 * The standalone widget's theme with `data-theme="auto"`: the host page's own light or dark theme
 * when the page says which one it shows, otherwise the reader's system setting. Docs sites with a
 * theme toggle say it on `<html>` (or `<body>`), in one of these ways, read in this order:
 *
 * - `data-theme="dark"` or `"light"` (Docusaurus, Starlight, Sphinx's Furo and PyData themes,
 *   daisyUI), `data-bs-theme` (Bootstrap), `data-md-color-scheme="slate"` or `"default"` (MkDocs
 *   Material: its dark and light schemes);
 * - the class `dark` or `light` (VitePress, Tailwind's `darkMode: 'class'`, Nextra), or one of
 *   mdBook's themes (`coal`, `navy`, `ayu` are dark; `rust` is light);
 * - a `color-scheme` of only `dark` or only `light` (computed, so a stylesheet's counts too).
 *
 * Other values (`data-theme="auto"`, `color-scheme: light dark`) say nothing, and the system
 * setting decides.
 */

export type Theme = 'light' | 'dark';

/** The attributes that name a theme, with the theme each value means (values in lower case). */
const THEME_ATTRIBUTES = new Map<string, Map<string, Theme>>([
  ['data-theme', new Map([['dark', 'dark'], ['light', 'light']])],
  ['data-bs-theme', new Map([['dark', 'dark'], ['light', 'light']])],
  ['data-md-color-scheme', new Map([['slate', 'dark'], ['default', 'light']])],
]);

/** The classes that name a theme, with the theme each one means. */
const THEME_CLASSES = new Map<string, Theme>([['dark', 'dark'], ['light', 'light'], ['coal', 'dark'], ['navy', 'dark'], ['ayu', 'dark'], ['rust', 'light']]);

/** The theme `element` declares through its attributes or classes, if any. */
function declaredTheme(element: Element | null): Theme | undefined {
  if (!element) return undefined;
  for (const [name, values] of THEME_ATTRIBUTES) {
    const theme = values.get(element.getAttribute(name)?.trim().toLowerCase() ?? '');
    if (theme) return theme;
  }
  for (const [name, theme] of THEME_CLASSES) if (element.classList.contains(name)) return theme;
  return undefined;
}

/** `dark` or `light` when `value` (a computed `color-scheme`) allows only that one. */
function colorSchemeTheme(value: string): Theme | undefined {
  const schemes = value.split(/\s+/).filter((word) => word === 'dark' || word === 'light');
  return schemes.length === 1 ? (schemes[0] as Theme) : undefined;
}

/** The theme the page `doc` shows, when it says (see the module comment); `undefined` otherwise. */
export function hostPageTheme(doc: Document): Theme | undefined {
  const root = doc.documentElement;
  return (
    declaredTheme(root) ??
    declaredTheme(doc.body) ??
    colorSchemeTheme(getComputedStyle(root).colorScheme ?? '') ??
    (doc.body ? colorSchemeTheme(getComputedStyle(doc.body).colorScheme ?? '') : undefined)
  );
}

/** A theme that can change while the page is open, and tells when it does. */
export interface ThemeSource {
  /** The theme now. */
  current(): Theme;
  /** Calls `listener` with each new theme; returns the function that stops it. */
  subscribe(listener: (theme: Theme) => void): () => void;
}

/**
 * The widget's theme for its `data-theme` setting. `light` and `dark` are fixed. `auto` follows
 * the host page's theme (a toggle is seen at once: `<html>` and `<body>` are observed) and, when
 * the page does not say, the reader's system setting.
 */
export function watchTheme(setting: 'light' | 'dark' | 'auto', doc: Document = document): ThemeSource {
  if (setting !== 'auto') return { current: () => setting, subscribe: () => () => {} };
  const view = doc.defaultView ?? window;
  const media = view.matchMedia('(prefers-color-scheme: dark)');
  const compute = (): Theme => hostPageTheme(doc) ?? (media.matches ? 'dark' : 'light');
  let theme = compute();
  const listeners = new Set<(theme: Theme) => void>();
  const update = () => {
    const next = compute();
    if (next === theme) return;
    theme = next;
    for (const listener of listeners) listener(theme);
  };
  const attributeFilter = ['class', 'style', ...THEME_ATTRIBUTES.keys()];
  let observedBody: HTMLElement | null = null;
  const observer = new MutationObserver(() => {
    // A single-page app may replace <body>: observe the new one.
    if (doc.body && doc.body !== observedBody) {
      observedBody = doc.body;
      observer.observe(observedBody, { attributes: true, attributeFilter });
    }
    update();
  });
  observer.observe(doc.documentElement, { attributes: true, attributeFilter, childList: true });
  if (doc.body) {
    observedBody = doc.body;
    observer.observe(observedBody, { attributes: true, attributeFilter });
  }
  media.addEventListener('change', update);
  return {
    current: () => theme,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
