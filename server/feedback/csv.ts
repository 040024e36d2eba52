/**
 * Rated answers as CSV (RFC 4180: comma-separated, CRLF line ends, quoted when needed), for
 * spreadsheets. Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at
 * the start, and the fullwidth `＝＋－＠` that East Asian spreadsheet locales read as those) are
 * prefixed with `'`, so a visitor's comment can never execute there. The document starts with a
 * UTF-8 byte-order mark: without it, Excel on Windows reads the file in the local ANSI code page
 * and garbles every non-ASCII character (RFC 4180 readers and Python's `utf-8-sig` skip it).
 */
import type { ReviewItem } from './review';

export const CSV_COLUMNS = [
  'feedback_id',
  'message_id',
  'created_at',
  'vote',
  'rating',
  'comment',
  'question',
  'answer',
  'status',
  'model',
  'latency_ms',
  'sources',
  'cited',
  'invalid_citations',
  'retrieval_settings',
  'retrieval_query',
  'updated_at',
] as const;

/** The UTF-8 byte-order mark the CSV document starts with. */
export const CSV_BOM = '\uFEFF';

/** One CSV cell. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function row(item: ReviewItem): unknown[] {
  return [
    item.feedbackId,
    item.messageId,
    item.createdAt,
    item.vote,
    item.rating,
    item.comment,
    item.question,
    item.answer,
    item.status,
    item.model,
    item.latencyMs,
    item.sources.map((s) => `${s.rank}. ${s.path}${s.heading ? ` › ${s.heading}` : ''} (${s.score.toFixed(3)})`).join('\n'),
    item.sources.filter((s) => s.cited).map((s) => s.rank).join(' '),
    item.citations?.invalid.join(' ') ?? '',
    item.retrievalSettings,
    item.retrievalQuery,
    item.updatedAt,
  ];
}

/** The CSV document for `items`: byte-order mark, header, one row per item. */
export function feedbackCsv(items: readonly ReviewItem[]): string {
  const lines = [CSV_COLUMNS.join(','), ...items.map((item) => row(item).map(csvCell).join(','))];
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}
