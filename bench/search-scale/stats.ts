/** Latency summaries for benchmarks. */
export interface LatencySummary {
  /** Samples summarised. */
  count: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  maxMs: number;
}

/** The `p`-th percentile (0–100) of `values`, nearest-rank method. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarise(samplesMs: readonly number[]): LatencySummary {
  const round = (x: number) => Math.round(x * 100) / 100;
  const mean = samplesMs.reduce((a, b) => a + b, 0) / (samplesMs.length || 1);
  return {
    count: samplesMs.length,
    p50Ms: round(percentile(samplesMs, 50)),
    p95Ms: round(percentile(samplesMs, 95)),
    meanMs: round(mean),
    maxMs: round(samplesMs.length ? Math.max(...samplesMs) : Number.NaN),
  };
}
