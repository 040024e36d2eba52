import { describe, expect, it } from 'vitest';
import { createThinkBlockFilter } from '../server/answer/think-block';

/** Feeds `chunks` to a filter; returns what it let through. */
function filtered(chunks: string[]): string {
  const filter = createThinkBlockFilter();
  return chunks.map((c) => filter.push(c)).join('') + filter.flush();
}

describe('createThinkBlockFilter()', () => {
  it('drops a <think> block that opens the answer, and the blank lines after it', () => {
    expect(filtered(['<think>The reader wants [9] the port.</think>\n\nSet `PORT` [1].'])).toBe('Set `PORT` [1].');
  });

  it.each([
    [['  <th', 'ink>reason', 'ing</th', 'ink>', '\n', '\nAnswer.']],
    [['<', 't', 'h', 'i', 'n', 'k', '>', 'x', '<', '/', 't', 'h', 'i', 'n', 'k', '>', ' ', 'A', 'nswer.']],
  ])('drops it when it is split across deltas (%j)', (chunks) => {
    expect(filtered(chunks)).toBe('Answer.');
  });

  it('streams an answer without a block as it comes, and leaves a <think> later in it alone', () => {
    const filter = createThinkBlockFilter();
    expect(filter.push('Use ')).toBe('Use ');
    expect(filter.push('<think> tags <think>x</think>')).toBe('<think> tags <think>x</think>');
    expect(filter.flush()).toBe('');
  });

  it('holds back only while the start may be a block', () => {
    const filter = createThinkBlockFilter();
    expect(filter.push('<thi')).toBe('');
    expect(filter.push('s is HTML')).toBe('<this is HTML');
  });

  it('lets nothing through from a block that never closes (the answer is then empty)', () => {
    expect(filtered(['<think>still reasoning when the tokens ran out'])).toBe('');
    expect(filtered(['  <thi'])).toBe('  <thi');
  });
});
