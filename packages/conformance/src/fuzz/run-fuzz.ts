import * as fc from 'fast-check';
import { createCpuBackend } from '@logit/backend-cpu';
import { getBackend, hasBackend, LogitError, manualSeed, memory, setBackend, tensor, tidy, type Backend, type Tensor } from '@logit/core';
import { fuzzCall, type FuzzCall } from './calls.js';

/** What `runFuzz` runs: the backend under test, the seed and how many calls. */
export interface FuzzOptions {
  /** Creates the backend under test (called once; each call's result is compared with backend-cpu's). */
  createBackend: () => Backend | Promise<Backend>;
  /** fast-check's seed: fixed in CI so a run is reproducible. Default 15. */
  seed?: number;
  /** Random calls to try. Default 300. */
  numRuns?: number;
}

/** What a passing `runFuzz` saw (a failing one throws fast-check's shrunk counterexample). */
export interface FuzzReport {
  /** The seed the run used, to reproduce it. */
  seed: number;
  /** Calls tried. */
  runs: number;
  /** Calls that both backends refused, by error class. */
  refused: Record<string, number>;
}

/** What one call did on one backend. */
interface Outcome {
  error: Error | null;
  shape?: readonly number[];
  dtype?: string;
  data?: ArrayLike<number>;
  leak?: string;
}

/**
 * Runs a call on a backend: makes its inputs, runs it inside `tidy`, backpropagates where asked,
 * reads the result and the gradients (where an asynchronous device reports a failed check), and
 * disposes everything; then memory() and the backend's own count must be what they were.
 */
async function outcome(be: Backend, c: FuzzCall): Promise<Outcome> {
  setBackend(be);
  manualSeed(15); // random ops draw the same numbers on both backends
  const count = (): number[] => [memory().tensors, memory().storages, be.memory().storages];
  const before = count();
  const xs: Tensor[] = [];
  let out: Tensor | null = null;
  const o: Outcome = { error: null };
  try {
    for (const s of c.inputs) xs.push(tensor(s.values, { shape: s.shape, dtype: s.dtype }));
    if (c.backward) for (const x of xs) if (x.dtype === 'float32') x.requiresGrad_();
    out = tidy(() => {
      const r = c.run(xs);
      if (c.backward && r.requiresGrad) r.sum().backward();
      return r;
    });
    o.shape = out.shape;
    o.dtype = out.dtype;
    o.data = await out.data();
    for (const x of xs) if (x.grad) await x.grad.data();
  } catch (e) {
    o.error = e as Error;
  } finally {
    for (const x of xs) x.dispose();
    out?.dispose();
  }
  const after = count();
  if (after.some((v, i) => v !== before[i])) o.leak = `tensors/storages/backend storages went from [${before}] to [${after}]`;
  return o;
}

/**
 * The first element where two results disagree beyond float32 noise between two correct
 * implementations (transcendentals, summation order): nan against a number, or a gap above
 * 1e-3 relative plus 1e-5. Conformance checks values tightly; this catches gross mistakes on
 * the odd inputs only a fuzzer tries.
 */
function firstDifference(want: ArrayLike<number>, got: ArrayLike<number>): number {
  for (let i = 0; i < want.length; i++) {
    const a = want[i];
    const b = got[i];
    if (Number.isNaN(a) !== Number.isNaN(b)) return i;
    if (Number.isNaN(a) || a === b) continue;
    if (!(Math.abs(a - b) <= 1e-5 + 1e-3 * Math.abs(a))) return i;
  }
  return -1;
}

const describe = (o: Outcome): string => (o.error ? `${o.error.name}: ${o.error.message}` : `a ${o.dtype} tensor of shape [${o.shape}]`);

/**
 * Property-based fuzzing of the public API (fast-check): random calls, shapes (0-d and empty
 * included), dtypes and bad values, each run on backend-cpu and on the backend under test. Every
 * call must end the same way on both: the same error class (a LogitError: never a raw TypeError
 * or RangeError, never a crash), or a result of the same shape and dtype; and leave memory() as
 * it was. fast-check shrinks a failure to a small counterexample, which the thrown error shows.
 */
export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const seed = opts.seed ?? 15;
  const numRuns = opts.numRuns ?? 300;
  const previous = hasBackend() ? getBackend() : null;
  const tested = await opts.createBackend();
  const reference = createCpuBackend();
  const refused: Record<string, number> = {};
  let runs = 0;
  try {
    await fc.assert(
      fc.asyncProperty(fuzzCall, async (c) => {
        (await import('node:fs')).appendFileSync('/tmp/fz.log', `${c.op} ${JSON.stringify(c.args)} ${JSON.stringify(c.inputs.map((i) => [i.shape, i.dtype]))}\n`);
        const ref = await outcome(reference, c);
        const got = await outcome(tested, c);
        const where = `${c.op}(args ${JSON.stringify(c.args)}${c.backward ? ', then backward' : ''})`;
        for (const [who, o] of [['backend-cpu', ref], [tested.name, got]] as const) {
          if (o.error && !(o.error instanceof LogitError)) throw new Error(`${who}: ${where} threw a raw ${o.error.name}: ${o.error.message}`);
          if (o.leak) throw new Error(`${who}: ${where} leaked: ${o.leak}`);
        }
        if (ref.error?.name !== got.error?.name || (!ref.error && (ref.dtype !== got.dtype || `${ref.shape}` !== `${got.shape}`))) {
          throw new Error(`${where}: backend-cpu gave ${describe(ref)}, ${tested.name} gave ${describe(got)}`);
        }
        const bad = ref.data && got.data ? firstDifference(ref.data, got.data) : -1;
        if (bad >= 0) throw new Error(`${where}: element ${bad} is ${got.data![bad]} on ${tested.name}, ${ref.data![bad]} on backend-cpu`);
        runs++;
        if (ref.error) refused[ref.error.name] = (refused[ref.error.name] ?? 0) + 1;
      }),
      { seed, numRuns, endOnFailure: true },
    );
  } finally {
    if (previous) setBackend(previous);
  }
  return { seed, runs, refused };
}
