/** How long one call of a benchmarked function takes: the median over several samples. */
export interface Timing {
  /** Median milliseconds per call. */
  medianMs: number;
  /** Milliseconds per call of each sample, in the order they ran. */
  samplesMs: number[];
  /** Calls averaged inside each sample (more for fast calls, so timer resolution does not dominate). */
  callsPerSample: number;
}

export interface TimingOptions {
  /** Untimed calls first, so JIT compilation and allocator growth are not measured. */
  warmup: number;
  /** Timed samples; the median is reported because it ignores one-off GC pauses. */
  samples: number;
  /** A sample repeats the call until it lasts at least this long. */
  minSampleMs: number;
}

export const DEFAULT_TIMING: TimingOptions = { warmup: 2, samples: 5, minSampleMs: 50 };

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Times `fn`, which must do the whole job a user waits for (for a tensor library: run the op and
 * read the result back). `fn` may be async, for backends whose readback is asynchronous. `now`
 * is the clock in milliseconds (a parameter so that tests can drive it).
 */
export async function measure(
  fn: () => unknown,
  opts: TimingOptions = DEFAULT_TIMING,
  now: () => number = () => performance.now(),
): Promise<Timing> {
  for (let i = 0; i < opts.warmup; i++) await fn();
  // One extra untimed call estimates how many calls fill a sample.
  const probeStart = now();
  await fn();
  const probeMs = Math.max(now() - probeStart, 1e-3);
  const callsPerSample = Math.max(1, Math.ceil(opts.minSampleMs / probeMs));

  const samplesMs: number[] = [];
  for (let s = 0; s < opts.samples; s++) {
    const start = now();
    for (let c = 0; c < callsPerSample; c++) await fn();
    samplesMs.push((now() - start) / callsPerSample);
  }
  return { medianMs: median(samplesMs), samplesMs, callsPerSample };
}
