/**
 * The standalone widget's options, read from its `<script>` tag's `data-*` attributes and
 * checked: a value the widget cannot use is reported in the browser console, naming it, and the
 * default is used instead. Without this, a `data-docent-url` without its scheme ("localhost:4461")
 * sends every request to a URL the browser refuses, and the widget can only say that the server
 * could not be reached.
 */

export type WidgetTheme = 'light' | 'dark' | 'auto';

export interface WidgetOptions {
  /** The Docent server's URL, without a trailing slash. */
  base: string;
  /** The launcher's label; `undefined` for the default. */
  label: string | undefined;
  theme: WidgetTheme;
}

/** The script tag's attributes the widget reads (`script.dataset`). */
export interface WidgetAttributes {
  docentUrl?: string | undefined;
  label?: string | undefined;
  theme?: string | undefined;
}

export interface ReadWidgetOptionsInput {
  dataset: WidgetAttributes;
  /** The script's `src`, absolute; `undefined` for an inline script. */
  scriptSrc: string | undefined;
  /** The host page's URL (`location.href`). */
  pageUrl: string;
  /** Reports a value that was not used. Default: `console.error` for the URL, `console.warn` otherwise. */
  report?: ((level: 'error' | 'warn', message: string) => void) | undefined;
}

const PREFIX = 'Docent widget:';

const consoleReport = (level: 'error' | 'warn', message: string) => console[level](message);

/**
 * Reads and checks the widget's options. `data-docent-url` must be an http(s) URL
 * (`https://docent.example.com`, `//docent.example.com`) or a path on the host site (`/docent`);
 * otherwise the widget talks to the server it was loaded from, and says so in the console.
 * `data-theme` is `light`, `dark` or `auto` in any letter case; anything else is `auto`, with a
 * warning naming the valid values.
 */
export function readWidgetOptions({ dataset, scriptSrc, pageUrl, report = consoleReport }: ReadWidgetOptionsInput): WidgetOptions {
  const scriptOrigin = scriptSrc ? new URL(scriptSrc, pageUrl).origin : '';
  return {
    base: docentUrl(dataset.docentUrl, scriptOrigin, pageUrl, report),
    label: dataset.label?.trim() || undefined,
    theme: theme(dataset.theme, report),
  };
}

function docentUrl(value: string | undefined, scriptOrigin: string, pageUrl: string, report: NonNullable<ReadWidgetOptionsInput['report']>): string {
  const configured = value?.trim();
  if (!configured) return scriptOrigin;
  const url = parseServerUrl(configured, pageUrl);
  if (url) return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  const fallback = scriptOrigin ? `using ${scriptOrigin}, where widget.js came from, instead` : 'the widget cannot reach Docent';
  report(
    'error',
    `${PREFIX} data-docent-url=${JSON.stringify(configured)} is not a URL the widget can use: write the Docent server's full address with http:// or https://, like https://docent.example.com (${fallback}).`,
  );
  return scriptOrigin;
}

/** An absolute http(s) URL, a protocol-relative one, or a path on the page's site; otherwise `undefined`. */
function parseServerUrl(value: string, pageUrl: string): URL | undefined {
  // Only a value starting with "/" is relative: "docent.example.com" or "localhost:4461" would
  // otherwise resolve to a path on the host page, or to a URL with "localhost:" as its scheme.
  if (!value.startsWith('/') && !/^https?:\/\//i.test(value)) return undefined;
  try {
    const url = new URL(value, pageUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function theme(value: string | undefined, report: NonNullable<ReadWidgetOptionsInput['report']>): WidgetTheme {
  const setting = value?.trim().toLowerCase();
  if (!setting) return 'auto';
  if (setting === 'light' || setting === 'dark' || setting === 'auto') return setting;
  report('warn', `${PREFIX} data-theme=${JSON.stringify(value)} is not light, dark or auto: using auto (the host page's light or dark theme, else the reader's system setting).`);
  return 'auto';
}
