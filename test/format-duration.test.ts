import { describe, expect, it } from 'vitest';
import { INGEST_RETRY_DELAYS_MS } from '../server/background-ingest';
import { formatWait } from '../server/embed/rate-limit';
import { formatDuration } from '../server/format-duration';

describe('formatDuration()', () => {
  it('says seconds under a minute and minutes with their seconds from a minute on', () => {
    expect(formatDuration(20_000)).toBe('20 s');
    expect(formatDuration(59_000)).toBe('59 s');
    expect(formatDuration(60_000)).toBe('1 min');
    expect(formatDuration(288_000)).toBe('4 min 48 s');
    expect(formatDuration(3_600_000)).toBe('60 min');
  });

  it('rounds a part second up by default (a wait is never said shorter), or down, or to the nearest', () => {
    expect(formatDuration(1_200)).toBe('2 s');
    expect(formatDuration(1_800, { round: 'down' })).toBe('1 s');
    expect(formatDuration(1_400, { round: 'nearest' })).toBe('1 s');
    expect(formatDuration(59_600, { round: 'nearest' })).toBe('1 min');
  });

  it('says a negative duration as 0 s, and under a second in ms only when asked', () => {
    expect(formatDuration(-5_000)).toBe('0 s');
    expect(formatDuration(300, { round: 'down' })).toBe('0 s');
    expect(formatDuration(40, { milliseconds: true })).toBe('40 ms');
    expect(formatDuration(1_000, { milliseconds: true })).toBe('1 s');
  });

  it('says minutes only from minutesFrom seconds on', () => {
    expect(formatDuration(90_000, { minutesFrom: 120 })).toBe('90 s');
    expect(formatDuration(150_000, { minutesFrom: 120 })).toBe('2 min 30 s');
  });

  it('says the ingest on start\'s retry delays as before: 30 s, then whole minutes', () => {
    expect(INGEST_RETRY_DELAYS_MS.map((ms) => formatDuration(ms, { round: 'nearest', milliseconds: true }))).toEqual(['30 s', '1 min', '2 min', '4 min', '5 min']);
  });
});

describe('formatWait()', () => {
  it('says a rate limit\'s wait as at least 1 s, in seconds up to 119 s, then in minutes and seconds', () => {
    expect(formatWait(0)).toBe('1 s');
    expect(formatWait(60_000)).toBe('60 s');
    expect(formatWait(119_000)).toBe('119 s');
    expect(formatWait(120_000)).toBe('2 min');
    expect(formatWait(150_500)).toBe('2 min 31 s');
  });
});
