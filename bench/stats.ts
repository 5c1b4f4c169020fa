/** Nearest-rank percentiles: the value below which q of the samples fall (no interpolation). */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export interface Durations {
  /** Samples (calls timed). */
  calls: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
}

/** Nearest-rank p50 and p99, mean and max of durations in ms, rounded to 0.01 ms. */
export function durations(samples: readonly number[]): Durations {
  return {
    calls: samples.length,
    p50Ms: round(percentile(samples, 0.5)),
    p99Ms: round(percentile(samples, 0.99)),
    meanMs: round(samples.reduce((s, t) => s + t, 0) / Math.max(1, samples.length)),
    maxMs: round(samples.length ? Math.max(...samples) : Number.NaN),
  };
}
