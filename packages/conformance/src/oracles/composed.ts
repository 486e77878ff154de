import { setFusedKernelsEnabled } from '@logit/core';
import { execute } from '../execute.js';
import { check, fail, valuesOf, type CaseRun, type OracleOutcome } from './oracle.js';

/** Where a fused kernel ran, the case again with fused kernels off: core's composition of primitives must agree, and not leak. */
export async function fusedVsComposed({ c, dtype, env, inputs, upstream, tol, got, kernels }: CaseRun): Promise<OracleOutcome> {
  const fusedRan = kernels.filter((k) => k.startsWith('fused.'));
  if (!fusedRan.length) return {};
  setFusedKernelsEnabled(false);
  try {
    env.tested.reset();
    const composed = await execute(env.tested.backend, c, dtype, inputs, upstream, { checkLeaks: true, readSync: false });
    if (composed.leaked) return fail('composed', `composed path (fused kernels off) ${composed.leaked}`);
    return { checks: [check(`composed (vs ${fusedRan.join(', ')})`, valuesOf(got), valuesOf(composed), tol, c.signedZeros)], fusedChecked: true };
  } catch (e) {
    return fail('composed', `composed path (fused kernels off) threw: ${(e as Error).message}`);
  } finally {
    setFusedKernelsEnabled(true);
  }
}
