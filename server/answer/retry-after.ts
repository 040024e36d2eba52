/**
 * How long a model server asks to be left alone: its `Retry-After` header (seconds, or an HTTP
 * date) or OpenAI's `retry-after-ms`, as the AI SDK reads them when it retries.
 */

/** Headers as a `Headers` object or as the plain record the AI SDK keeps on its errors. */
type HeaderSource = Headers | Record<string, string | undefined> | undefined;

const header = (headers: HeaderSource, name: string): string | undefined =>
  headers instanceof Headers ? (headers.get(name) ?? undefined) : headers?.[name];

/** The wait asked for, in ms (`retry-after-ms` first, as the SDK does), or `undefined` when none or unreadable. */
export function retryAfterMs(headers: HeaderSource, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(header(headers, 'retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = header(headers, 'retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
