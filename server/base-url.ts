/**
 * The base URL of a content source's pages, which each citation link starts with
 * (`npm run ingest -- --base-url`, `baseUrl` of `POST /api/admin/ingest`): an http(s) URL
 * (`https://docs.example.com/v2/`) or a path from the site's root (`/v2/`), without spaces.
 * Anything else would be stored in every link of the source: `docs/` makes them relative to the
 * page the chat is on (a dead link everywhere but the home page), `javascript:…` no link at all.
 */

/** How a base URL must be written, for error messages (`--base-url must be …`). */
export const BASE_URL_RULE = 'an http(s) URL or a path starting with "/" (not "//")';

/**
 * Whether `value` is a base URL as {@link BASE_URL_RULE} says. A URL needs its host right after
 * `//` (`https:///docs` would become `https://docs/`), and a path starting with `//` is another
 * site to a browser (`//docs/` links to the host `docs`).
 */
export function isBaseUrl(value: string): boolean {
  return /^(https?:\/\/[^\s/][^\s]*|\/(?!\/)[^\s]*)$/.test(value);
}
