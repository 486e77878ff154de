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

/** One contender's case in an interleaved measurement. */
export interface TimedCase {
  /** Makes the case's backend the active one; called before its warm-up and before each sample. */
  activate(): unknown;
  /** One call: the whole job a user waits for (for a tensor library: run and read back). */
  run(): unknown;
}

/**
 * Times several cases round-robin: sample 1 of every case, then sample 2 of every case, and so
 * on, so that a load spike on a shared machine slows every case alike instead of whichever ran
 * then, and the ratios between cases stay fair. `run` may be async, for backends whose readback
 * is asynchronous. `now` is the clock in milliseconds (a parameter so that tests can drive it).
 */
export async function measureInterleaved(
  cases: readonly TimedCase[],
  opts: TimingOptions = DEFAULT_TIMING,
  now: () => number = () => performance.now(),
): Promise<Timing[]> {
  const callsPerSample: number[] = [];
  for (const c of cases) {
    await c.activate();
    for (let i = 0; i < opts.warmup; i++) await c.run();
    callsPerSample.push(Math.max(1, Math.ceil(opts.minSampleMs / Math.max(await probeCallMs(c, opts.minSampleMs, now), 1e-3))));
  }
  const samplesMs: number[][] = cases.map(() => []);
  for (let s = 0; s < opts.samples; s++) {
    for (const [i, c] of cases.entries()) {
      await c.activate();
      const start = now();
      for (let k = 0; k < callsPerSample[i]; k++) await c.run();
      samplesMs[i].push((now() - start) / callsPerSample[i]);
    }
  }
  return cases.map((_, i) => ({ medianMs: median(samplesMs[i]), samplesMs: samplesMs[i], callsPerSample: callsPerSample[i] }));
}

/**
 * Untimed calls that estimate how long one call takes, to size the samples: the median of at
 * least PROBE_CALLS calls lasting at least a fifth of a sample together. (One call is not
 * enough: the first call after another case ran can be several times slower than the rest --
 * caches are cold, a worker thread is asleep -- and would make the samples too short.)
 */
async function probeCallMs(c: TimedCase, minSampleMs: number, now: () => number): Promise<number> {
  const times: number[] = [];
  const start = now();
  while (times.length < PROBE_CALLS || now() - start < minSampleMs / 5) {
    const t0 = now();
    await c.run();
    times.push(now() - t0);
  }
  return median(times);
}

const PROBE_CALLS = 3;

/** Times one function alone (see measureInterleaved). */
export async function measure(
  fn: () => unknown,
  opts: TimingOptions = DEFAULT_TIMING,
  now: () => number = () => performance.now(),
): Promise<Timing> {
  const [timing] = await measureInterleaved([{ activate: () => {}, run: fn }], opts, now);
  return timing;
}
