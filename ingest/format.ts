/** Human-readable ingest output: problems as `path:line: message`, run summaries. */
import type { IngestIssue, IngestSummary } from './types';

/** `api/routing.md:12: message` (`path: message` without a line, `message` for the whole run). */
export function formatIssue(issue: IngestIssue, kind: 'error' | 'warning' = 'error'): string {
  const where = issue.path === '' ? '' : `${issue.path}${issue.line ? `:${issue.line}` : ''}: `;
  return `${where}${kind === 'warning' ? 'warning: ' : ''}${issue.message}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** How many files the summary's warnings name (a file with several warnings counts once). */
function filesWithWarnings(summary: IngestSummary): number {
  return new Set(summary.warnings.map((w) => w.path)).size;
}

/** One line, e.g. for the server's start-up log. */
export function summaryLine(summary: IngestSummary): string {
  const d = summary.documents;
  const c = summary.chunks;
  const parts = [
    `${d.added} added, ${d.updated} updated, ${d.unchanged} unchanged, ${d.removed} removed`,
    d.failed ? `${d.failed} failed` : '',
    summary.warnings.length ? `${plural(filesWithWarnings(summary), 'file')} with warnings` : '',
  ].filter(Boolean);
  return (
    `${parts.join(', ')} · ${plural(c.total, 'chunk')} (${c.embedded} embedded, ${c.reused} reused, ${c.removed} removed) ` +
    `· ${summary.embeddingModel} · ${seconds(summary.durationMs)}`
  );
}

/**
 * The summary printed at the end of `npm run ingest`, problems first. A dry run also lists the
 * files that are not pages by design (drafts, included parts); other runs count them.
 */
export function formatSummary(summary: IngestSummary, options: { dryRun?: boolean } = {}): string {
  const lines: string[] = [];
  const notPages = summary.notPages ?? [];
  if (options.dryRun) for (const n of notPages) lines.push(formatIssue(n));
  for (const w of summary.warnings) lines.push(formatIssue(w, 'warning'));
  for (const e of summary.errors) lines.push(formatIssue(e));
  if (lines.length) lines.push('');
  const d = summary.documents;
  const c = summary.chunks;
  const verb = options.dryRun ? 'Dry run (nothing written): would ingest' : 'Ingested';
  lines.push(
    `${verb} ${plural(d.added + d.updated + d.unchanged, 'document')} in ${seconds(summary.durationMs)} with ${summary.embeddingModel}`,
    `  documents: ${d.added} added, ${d.updated} updated, ${d.unchanged} unchanged, ${d.removed} removed, ${d.failed} failed`,
    `  chunks:    ${c.embedded} embedded, ${c.reused} reused, ${c.removed} removed, ${c.total} in all`,
  );
  if (notPages.length) {
    const where = options.dryRun ? 'listed above' : 'npm run ingest -- --dry-run lists them';
    lines.push(`  not pages: ${plural(notPages.length, 'file')} (drafts, parts other pages include; ${where})`);
  }
  if (summary.warnings.length) lines.push(`  warnings:  ${plural(filesWithWarnings(summary), 'file')} (listed above)`);
  return lines.join('\n');
}

/** Names as a sentence lists them: `a.md`, `a.md and b.md`, `a.md, b.md and c.md`. */
export function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
