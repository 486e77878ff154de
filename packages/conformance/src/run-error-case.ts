import {
  memory, setBackend, setFusedKernelsEnabled, tensor, tidy,
  type Backend, type DType, type Tensor,
} from '@logit/core';
import type { CaseEnvironment } from './run-case.js';
import type { Case, CaseResult, Program } from './types.js';
import { inputDType, inputValues } from './values.js';

/** What one attempt at an error case saw on a backend. */
interface Attempt {
  error: Error | null;
  /** Why the attempt broke a promise besides throwing: an input changed, a leak, a broken backend. */
  broken?: string;
}

const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)) || a === b;

/**
 * Runs an error case on a backend: creates the inputs, runs the op inside `tidy`, reads its
 * output (where an asynchronous device reports a failed device-side check) and catches what is
 * thrown. Then the promises every failing call keeps: each input still holds its values, a fresh
 * computation on the backend reads back right (the error was reported once, not kept), and
 * after disposing what the case made, `memory()` and the backend's memory are as before.
 */
async function attempt(be: Backend, c: Case, dtype: DType, inputs: readonly (readonly number[])[]): Promise<Attempt> {
  setBackend(be);
  const coreBefore = memory();
  const beBefore = be.memory();
  const xs: Tensor[] = [];
  let result: Tensor | Program | null = null;
  let error: Error | null = null;
  let broken: string | undefined;
  try {
    c.inputs.forEach((spec, i) => xs.push(tensor(inputs[i] as number[], { shape: spec.shape, dtype: inputDType(spec, dtype) })));
    try {
      result = tidy(() => c.run!(xs, { dtype }));
      await ('output' in result && 'wrt' in result ? result.output : (result as Tensor)).data();
    } catch (e) {
      error = e as Error;
    }
    for (let i = 0; i < xs.length && !broken; i++) {
      const got = await xs[i].data();
      const bad = inputs[i].findIndex((v, j) => !same(got[j], v));
      if (bad >= 0) broken = `input ${i} changed: element ${bad} is ${got[bad]}, was ${inputs[i][bad]}`;
    }
  } finally {
    for (const x of xs) x.dispose();
    if (result && 'output' in result && 'wrt' in result) {
      result.output.dispose();
      result.dispose?.();
    } else (result as Tensor | null)?.dispose();
  }
  if (!broken) {
    const probe = tensor([1, 2]);
    const plus = probe.add(1);
    try {
      const v = Array.from(await plus.data());
      if (v[0] !== 2 || v[1] !== 3) broken = `the backend computed [1, 2] + 1 = [${v}] after the error`;
    } catch (e) {
      broken = `the backend failed after the error: ${(e as Error).name}: ${(e as Error).message}`;
    } finally {
      probe.dispose();
      plus.dispose();
    }
  }
  const coreAfter = memory();
  const beAfter = be.memory();
  if (!broken && coreAfter.tensors !== coreBefore.tensors) broken = `leaked ${coreAfter.tensors - coreBefore.tensors} tensor(s)`;
  if (!broken && beAfter.storages !== beBefore.storages) broken = `leaked ${beAfter.storages - beBefore.storages} backend storage(s)`;
  return { error, broken };
}

/** Tensor ids count every tensor ever made, so they differ between two runs of one case. */
const sameText = (m: string): string => m.replace(/tensor #\d+/g, 'tensor #N');

const describe = (e: Error | null): string => (e ? `${e.name}: ${e.message}` : 'no error');

/**
 * An error case at one dtype: backend-cpu must throw what the case expects, and the tested
 * backend the same class and message (class only for `classOnly`), with every input intact,
 * nothing leaked and the backend still working. Where a fused kernel ran, again with fused
 * kernels off.
 */
export async function runErrorCase(c: Case, dtype: DType, env: CaseEnvironment, result: CaseResult): Promise<CaseResult> {
  const want = c.throws!;
  const fail = (oracle: string, message: string): CaseResult => Object.assign(result, { status: 'fail', oracle, message });
  const inputs = inputValues(c, dtype);
  const ref = await attempt(env.reference, c, dtype, inputs);
  if (ref.broken) return fail('cpu', `backend-cpu: ${ref.broken}`);
  const matches = (m: string): boolean => (typeof want.message === 'string' ? m === want.message : want.message.test(m));
  if (ref.error?.name !== want.error || !matches(ref.error.message)) {
    return fail('cpu', `backend-cpu threw ${describe(ref.error)}; the case expects ${want.error}: ${want.message} (a broken case)`);
  }
  const ways = [true];
  for (const fused of ways) {
    setFusedKernelsEnabled(fused);
    env.tested.reset();
    const got = await attempt(env.tested.backend, c, dtype, inputs);
    if (fused) result.kernels = [...env.tested.calls].sort();
    const path = fused ? '' : ' (fused kernels off)';
    if (!got.error) return fail('error', `returned a result${path}; backend-cpu throws ${describe(ref.error)}`);
    if (got.error.name !== ref.error.name || (!want.classOnly && sameText(got.error.message) !== sameText(ref.error.message))) {
      return fail('error', `threw ${describe(got.error)}${path}; backend-cpu throws ${describe(ref.error)}`);
    }
    if (got.broken) return fail('after-error', `${got.broken}${path}`);
    if (fused && result.kernels.some((k) => k.startsWith('fused.'))) {
      ways.push(false);
      result.fusedChecked = true;
    }
  }
  result.oracles = ['cpu-error'];
  result.oracle = 'cpu-error';
  return result;
}
