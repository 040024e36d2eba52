/**
 * A long read done as a series of short statements over consecutive ranges of an index, with the
 * event loop given back between them. The embedded database (PGlite) runs each statement on the
 * server's own thread, one at a time: a read of a second holds every other request, and every
 * answer being streamed, for that second. In slices of a few milliseconds, a reader's statements
 * run between two of them: the reader waits for one short slice at most, not for the whole read.
 *
 * Each slice reads the rows after the key where the one before it ended, up to a last key it
 * reports; slices are sized, by their row count, to take about {@link SliceOptions.targetMs}.
 * The rows of each key are read exactly once (a slice that ends at a key includes all its rows),
 * so sums over the slices equal the same sums read at once. Unlike one statement, the slices do
 * not see one snapshot: a row written meanwhile is counted as it was when its slice was read.
 */

export interface SliceOptions {
  /** Rows the first slice reads (few: the first reads after start are slow, from disk). Default 100. */
  rows?: number;
  /**
   * How long a slice should take, in ms: later slices have as many rows as the ones before read
   * in that time. Default 8. `0` keeps every slice at `rows` (tests).
   */
  targetMs?: number;
  /** Fewest rows a slice reads when sized by time. Default 50. */
  minRows?: number;
  /** Most rows a slice reads when sized by time. Default 200,000. */
  maxRows?: number;
  /** What runs between two slices. Default: waits for the event loop's next turn (`setImmediate`). */
  pause?: () => Promise<void>;
}

/** What a slice read: its value, and the last key it covered (`null`: no rows were left, the read is done). */
export interface SliceResult<T> {
  last: string | null;
  value: T;
}

/**
 * Reads `slice` after slice until one reports no last key, and returns the values of those that read rows, in order.
 * `slice(after, rows)` reads the first `rows` keys after `after` (`null`: from the start) and every row of those keys.
 */
export async function readInSlices<T>(
  slice: (after: string | null, rows: number) => Promise<SliceResult<T>>,
  options: SliceOptions = {},
): Promise<T[]> {
  const targetMs = options.targetMs ?? 8;
  const minRows = options.minRows ?? 50;
  const maxRows = options.maxRows ?? 200_000;
  const pause = options.pause ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  let rows = options.rows ?? 100;
  /** Time a row takes, averaged over the last slices (one slow or quick slice on a busy machine says little). */
  let msPerRow: number | undefined;
  const values: T[] = [];
  let after: string | null = null;
  for (;;) {
    const started = performance.now();
    const { last, value } = await slice(after, rows);
    if (last === null) return values;
    values.push(value);
    after = last;
    if (targetMs > 0) {
      const perRow = Math.max(performance.now() - started, 0.1) / rows;
      msPerRow = msPerRow === undefined ? perRow : 0.7 * msPerRow + 0.3 * perRow;
      // At most halved or doubled at a time.
      rows = Math.round(Math.min(maxRows, Math.max(minRows, rows / 2, Math.min(rows * 2, targetMs / msPerRow))));
    }
    await pause();
  }
}

/**
 * Slices as large as the read: every row in one statement (and one more that finds none left). For
 * Postgres, which runs other connections' statements beside a long one, so that slicing would only
 * make the read itself longer.
 */
export const ONE_SLICE: SliceOptions = { rows: Number.MAX_SAFE_INTEGER, targetMs: 0 };
