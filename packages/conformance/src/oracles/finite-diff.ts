import type { Backend, DType } from '@logit/core';
import { execute } from '../execute.js';
import type { Case } from '../types.js';
import { gradInputs } from '../values.js';
import { FD_TOLERANCE, looser } from '../tolerance.js';
import { check, type CaseRun, type OracleOutcome } from './oracle.js';

/** Largest number of perturbed elements before finite differences are left to the other oracles. */
export const FD_MAX_ELEMENTS = 256;

/** Why finite differences do not apply to this case at these inputs, or null when they do. */
export function fdSkipReason(c: Case, dtype: DType, inputs: readonly (readonly number[])[]): string | null {
  if (typeof c.fd === 'object') return c.fd.skip;
  const idx = gradInputs(c, dtype);
  if (idx.length === 0) return 'no gradient inputs';
  if (idx.some((i) => inputs[i].some((v) => !Number.isFinite(v)))) return 'non-finite inputs';
  const n = idx.reduce((s, i) => s + inputs[i].length, 0);
  if (n > FD_MAX_ELEMENTS) return `${n} input elements (more than ${FD_MAX_ELEMENTS})`;
  return null;
}

/**
 * Central differences of F(x) = sum(f(x) * w) in float64 on the reference backend, one input
 * element at a time: (F(x + h e_j) - F(x - h e_j)) / 2h with h = 1e-6 * max(1, |x_j|).
 */
export async function finiteDifferences(
  reference: Backend,
  c: Case,
  dtype: DType,
  inputs: readonly (readonly number[])[],
  upstream: (n: number, d: DType) => number[],
): Promise<number[][] | { skipped: string }> {
  const refDType: DType = 'float64';
  const objective = async (xs: readonly (readonly number[])[]): Promise<number> => {
    let e;
    try {
      e = await execute(reference, c, refDType, xs, null, { readSync: false });
    } catch (err) {
      throw new OutOfDomain((err as Error).message);
    }
    const w = upstream(e.output.length, dtype);
    let s = 0;
    for (let i = 0; i < w.length; i++) s += e.output[i] * w[i];
    return s;
  };
  try {
    return await differences(inputs, objective, gradInputs(c, dtype));
  } catch (e) {
    if (e instanceof OutOfDomain) return { skipped: `a perturbed input left the op's domain (${e.message})` };
    throw e;
  }
}

class OutOfDomain extends Error {}

async function differences(
  inputs: readonly (readonly number[])[],
  objective: (xs: readonly (readonly number[])[]) => Promise<number>,
  idx: number[],
): Promise<number[][] | { skipped: string }> {
  const grads: number[][] = [];
  for (const i of idx) {
    const g: number[] = [];
    const xs = inputs.map((v) => v.slice());
    for (let j = 0; j < inputs[i].length; j++) {
      const x0 = inputs[i][j];
      const h = 1e-6 * Math.max(1, Math.abs(x0));
      xs[i][j] = x0 + h;
      const up = await objective(xs);
      xs[i][j] = x0 - h;
      const down = await objective(xs);
      xs[i][j] = x0;
      if (!Number.isFinite(up) || !Number.isFinite(down)) return { skipped: 'the objective is not finite next to the input' };
      g.push((up - down) / (2 * h));
    }
    grads.push(g);
  }
  return grads;
}

/** Central differences in float64 for the gradients, where the case has them and the inputs are smooth and few. */
export async function finiteDifferenceGrads({ c, dtype, env, inputs, upstream, tol, got }: CaseRun): Promise<OracleOutcome> {
  if (!got.grads.length) return {};
  const skip = fdSkipReason(c, dtype, inputs);
  if (skip) return {};
  const fd = await finiteDifferences(env.reference, c, dtype, inputs, upstream);
  if (!Array.isArray(fd)) return { notes: [`finite-diff: not applied: ${fd.skipped}`] };
  return { checks: [check('finite-diff', { output: [], grads: got.grads }, { output: [], grads: fd }, looser(tol, FD_TOLERANCE), c.signedZeros)] };
}
