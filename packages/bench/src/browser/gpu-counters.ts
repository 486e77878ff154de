import type { Contender, PreparedCase, PreparedTraining } from '../contenders/index.js';

/** WebGPU work of one timed call: what a GPU library's speed on a slow adapter hinges on. */
export interface GpuCallProfile {
  /** dispatchWorkgroups calls (kernel launches). */
  dispatches: number;
  /** queue.submit calls (command buffers handed to the GPU). */
  submits: number;
  /** writeBuffer calls (uploads, including uniforms). */
  writes: number;
  /** mapAsync calls (readbacks the call waits for). */
  readbacks: number;
}

const counts: GpuCallProfile = { dispatches: 0, submits: 0, writes: 0, readbacks: 0 };

/**
 * Counts every WebGPU call of the kinds above, from any library on the page, by wrapping the
 * prototypes' methods once. The wrappers only add to a counter, for every contender alike.
 */
export function installGpuCounters(): void {
  const wrap = (proto: object | undefined, method: string, key: keyof GpuCallProfile): void => {
    if (!proto) return;
    const original = (proto as Record<string, unknown>)[method] as (...args: unknown[]) => unknown;
    (proto as Record<string, unknown>)[method] = function (this: unknown, ...args: unknown[]) {
      counts[key]++;
      return original.apply(this, args);
    };
  };
  const g = globalThis as unknown as Record<string, { prototype: object } | undefined>;
  wrap(g.GPUComputePassEncoder?.prototype, 'dispatchWorkgroups', 'dispatches');
  wrap(g.GPUQueue?.prototype, 'submit', 'submits');
  wrap(g.GPUQueue?.prototype, 'writeBuffer', 'writes');
  wrap(g.GPUBuffer?.prototype, 'mapAsync', 'readbacks');
}

/** The last call's profile of each contender at each size ('matmul N=64', 'mlp batch=64'). */
export type GpuProfiles = Record<string, Record<string, GpuCallProfile>>;

async function counted<T>(into: GpuProfiles, size: string, contender: string, call: () => T | Promise<T>): Promise<T> {
  const before = { ...counts };
  const value = await call();
  (into[size] ??= {})[contender] = {
    dispatches: counts.dispatches - before.dispatches,
    submits: counts.submits - before.submits,
    writes: counts.writes - before.writes,
    readbacks: counts.readbacks - before.readbacks,
  };
  return value;
}

/**
 * The contender with each timed call's GPU work recorded in `into` (the last call of each size
 * wins: the steady state after warm-up). Calls never overlap, so counter deltas are per call.
 */
export function withGpuProfile(contender: Contender, into: GpuProfiles): Contender {
  return {
    ...contender,
    activate: () => contender.activate(),
    matmul(n, a, b): PreparedCase {
      const inner = contender.matmul(n, a, b);
      return { ...inner, run: () => counted(into, `matmul N=${n}`, contender.name, () => inner.run()) };
    },
    mlp(problem): PreparedTraining {
      const inner = contender.mlp(problem);
      return { ...inner, step: () => counted(into, `mlp batch=${problem.batch}`, contender.name, () => inner.step()) };
    },
    lstmLm(problem): PreparedTraining {
      const inner = contender.lstmLm(problem);
      return { ...inner, step: () => counted(into, `rnn seq=${problem.seq} batch=${problem.batch}`, contender.name, () => inner.step()) };
    },
    cnn(problem): PreparedTraining {
      const inner = contender.cnn(problem);
      return { ...inner, step: () => counted(into, `cnn batch=${problem.batch}`, contender.name, () => inner.step()) };
    },
  };
}
