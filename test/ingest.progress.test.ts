import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { formatIssue, formatSummary, summaryLine } from '../ingest/format';
import { ingestContent } from '../ingest/index';
import { createProgressReporter } from '../ingest/progress';
import type { IngestProgress, IngestSummary } from '../ingest/types';
import { copyFixture, removeTempDirs } from './helpers/content';
import { createTestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';
import { capture } from './helpers/io';

afterAll(() => removeTempDirs());

/** The percentages of the bar frames `events` draw, 100 ms apart (the bar redraws at most every 80 ms). */
function barPercentages(events: IngestProgress[]): { percent: number; frame: string }[] {
  vi.useFakeTimers();
  const out = capture();
  const reporter = createProgressReporter({ stream: out, tty: true });
  for (const event of events) {
    vi.advanceTimersByTime(100);
    reporter.onProgress(event);
  }
  return out.text
    .split('\r\x1b[2K')
    .map((frame) => ({ frame, match: /^[█░]+ +(\d+)%/.exec(frame) }))
    .flatMap(({ frame, match }) => (match ? [{ percent: Number(match[1]), frame }] : []));
}

describe('createProgressReporter()', () => {
  afterEach(() => vi.useRealTimers());

  it('on a terminal, redraws one bar line and clears it before the summary', () => {
    const out = capture();
    const reporter = createProgressReporter({ stream: out, tty: true });
    reporter.onProgress({ phase: 'scan', done: 10, total: 10 });
    reporter.onProgress({ phase: 'embed', done: 50, total: 100 });
    reporter.onProgress({ phase: 'scan', done: 10, total: 10, message: 'Embedding model changed' });
    reporter.finish();
    expect(out.text).toContain('\r\x1b[2K');
    expect(out.text).toMatch(/█{12}░{12}  50% · 50\/100 chunks embedded/);
    expect(out.text).toContain('Embedding model changed\n');
    expect(out.text.endsWith('\r\x1b[2K')).toBe(true);
    expect(out.text.split('\n')).toHaveLength(2); // only the message ends a line
  });

  it('on a terminal, counts files that failed (to parse, or on an unusable vector) as failed, not as written', () => {
    vi.useFakeTimers();
    const out = capture();
    const reporter = createProgressReporter({ stream: out, tty: true });
    const frames = () => out.text.split('\r\x1b[2K').filter(Boolean);
    // What ingest sends when 1 of 4 files failed to parse and then 1 of the 3 to write gets a NaN vector.
    reporter.onProgress({ phase: 'scan', done: 4, total: 4 });
    vi.advanceTimersByTime(100);
    reporter.onProgress({ phase: 'document', done: 1, total: 3, failed: 1, path: 'a.md' });
    expect(frames().at(-1)).toBe('████████░░░░░░░░░░░░░░░░  33% · 1/3 documents written · 1 failed · a.md');
    vi.advanceTimersByTime(100);
    reporter.onProgress({ phase: 'document', done: 1, total: 2, failed: 2 });
    expect(frames().at(-1)).toBe('████████████░░░░░░░░░░░░  50% · 1/2 documents written · 2 failed');
    vi.advanceTimersByTime(100);
    reporter.onProgress({ phase: 'document', done: 2, total: 2, failed: 2, path: 'c.md' });
    expect(frames().at(-1)).toBe('████████████████████████ 100% · 2/2 documents written · 2 failed · c.md');
  });

  it('on a terminal, never steps back when a run read in batches reads its next batch, and says how many pages are read', () => {
    // Two batches of 2 pages of 4; the second batch's pages have three times the chunks of the first's.
    const frames = barPercentages([
      { phase: 'scan', done: 4, total: 4 },
      { phase: 'read', done: 0, total: 4 },
      { phase: 'read', done: 1, total: 4 },
      { phase: 'read', done: 2, total: 4 },
      { phase: 'embed', done: 0, total: 10 },
      { phase: 'embed', done: 10, total: 10 },
      { phase: 'document', done: 1, total: 4, path: 'a.md' },
      { phase: 'document', done: 2, total: 4, path: 'b.md' },
      { phase: 'read', done: 2, total: 4 },
      { phase: 'read', done: 3, total: 4 },
      { phase: 'read', done: 4, total: 4 },
      { phase: 'embed', done: 10, total: 40 },
      { phase: 'embed', done: 25, total: 40 },
      { phase: 'embed', done: 40, total: 40 },
      { phase: 'document', done: 4, total: 4, path: 'd.md' },
    ]);
    const percents = frames.map((f) => f.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    // After the first batch, half the pages are read: half the run's chunks, by their count, are embedded.
    expect(frames[5]!.frame).toBe('████████████░░░░░░░░░░░░  50% · 10/10 chunks embedded · 2/4 pages read · 4 files');
    expect(frames.at(-1)!.frame).toBe('████████████████████████ 100% · 40/40 chunks embedded · 4/4 documents written · d.md');
  });

  it('on a terminal, the bar of a real ingest read a page at a time only moves forward, to 100%', async () => {
    const database = await createTestDatabase('pglite');
    try {
      const events: IngestProgress[] = [];
      await ingestContent(database.db, createHashingEmbedder(), { contentDir: copyFixture('docs'), readBatchBytes: 1, onProgress: (event) => events.push(event) });
      expect(events.filter((e) => e.phase === 'embed' && e.done === 0).length).toBe(1);
      const percents = barPercentages(events).map((f) => f.percent);
      expect(percents.length).toBeGreaterThan(10);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
      expect(percents.at(-1)).toBe(100);
    } finally {
      await database.close();
    }
  });

  it('elsewhere, prints plain lines: files found, messages, documents, embedding every 10%', () => {
    const out = capture();
    const reporter = createProgressReporter({ stream: out, tty: false });
    reporter.onProgress({ phase: 'scan', done: 3, total: 3 });
    for (let i = 1; i <= 20; i++) reporter.onProgress({ phase: 'embed', done: i, total: 20 });
    reporter.onProgress({ phase: 'document', done: 1, total: 2, path: 'a.md' });
    expect(out.text).toBe(
      [
        'Found 3 markdown/MDX files',
        ...[1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20].map((n) => `Embedded ${n}/20 chunks`),
        '[1/2] a.md',
        '',
      ].join('\n'),
    );
  });
});

describe('formatSummary()', () => {
  const summary: IngestSummary = {
    documents: { added: 1, updated: 2, unchanged: 3, removed: 4, failed: 1 },
    chunks: { embedded: 5, reused: 6, removed: 7, total: 8 },
    embeddingModel: 'local:use-lite@512',
    durationMs: 1500,
    errors: [{ path: 'a/b.mdx', line: 3, message: 'Unexpected character' }],
    warnings: [{ path: 'c.md', line: 9, message: 'unterminated code fence' }],
  };

  it('lists problems as path:line: message, then the counts', () => {
    expect(formatSummary(summary)).toBe(
      [
        'c.md:9: warning: unterminated code fence',
        'a/b.mdx:3: Unexpected character',
        '',
        'Ingested 6 documents in 1.50 s with local:use-lite@512',
        '  documents: 1 added, 2 updated, 3 unchanged, 4 removed, 1 failed',
        '  chunks:    5 embedded, 6 reused, 7 removed, 8 in all',
        '  warnings:  1 file (listed above)',
      ].join('\n'),
    );
    expect(formatSummary({ ...summary, errors: [], warnings: [] }, { dryRun: true })).toMatch(/^Dry run \(nothing written\): would ingest/);
    expect(formatIssue({ path: '', line: null, message: 'database gone' })).toBe('database gone');
    expect(summaryLine(summary)).toBe(
      '1 added, 2 updated, 3 unchanged, 4 removed, 1 failed, 1 file with warnings · 8 chunks (5 embedded, 6 reused, 7 removed) · local:use-lite@512 · 1.50 s',
    );
  });

  it('counts the files that are not pages by design (drafts, included parts), and lists them in a dry run only, not as warnings', () => {
    const withParts: IngestSummary = {
      ...summary,
      errors: [],
      notPages: [
        { path: 'draft.md', line: null, message: 'not indexed: a draft' },
        { path: 'parts/a.md', line: null, message: 'not indexed as a page: a part that b.md includes' },
      ],
    };
    const run = formatSummary(withParts).split('\n');
    expect(run).not.toContain('draft.md: not indexed: a draft');
    expect(run).toContain('  not pages: 2 files (drafts, parts other pages include; npm run ingest -- --dry-run lists them)');
    expect(run).toContain('  warnings:  1 file (listed above)');
    const dry = formatSummary(withParts, { dryRun: true }).split('\n');
    expect(dry.slice(0, 3)).toEqual(['draft.md: not indexed: a draft', 'parts/a.md: not indexed as a page: a part that b.md includes', 'c.md:9: warning: unterminated code fence']);
    expect(dry).toContain('  not pages: 2 files (drafts, parts other pages include; listed above)');
    expect(summaryLine(withParts)).toContain('1 file with warnings');
  });
});
