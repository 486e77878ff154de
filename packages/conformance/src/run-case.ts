import type { DType } from '@logit/core';
import { execute, type Execution } from './execute.js';
import { runErrorCase } from './run-error-case.js';
import { ORACLES } from './oracles/index.js';
import { refDType, type CaseEnvironment, type CaseRun, type OracleOutcome } from './oracles/oracle.js';
import type { Case, CaseResult } from './types.js';
import { verdict } from './verdict.js';
import { inputDType, inputValues, isFloatDType, toDType, upstreamValues } from './values.js';

export type { CaseEnvironment } from './oracles/oracle.js';

/**
 * Runs one case at one dtype: on the float64 reference and on the tested backend (traced), then
 * through every oracle of ORACLES in order until one disagrees, and gives the verdict. A dtype
 * the backend does not declare makes the case `unsupported`, with the reason.
 */
export async function runCase(c: Case, dtype: DType, env: CaseEnvironment): Promise<CaseResult> {
  const t0 = performance.now();
  const result: CaseResult = {
    name: `${c.name} [${dtype}]`, op: c.op, family: c.family, dtype, status: 'pass', maxAbsError: 0, maxRelError: 0,
    oracles: [], oracle: '', expectedDifferences: [], kernels: [], fusedChecked: false, ms: 0,
  };
  const done = (r: CaseResult): CaseResult => ({ ...r, ms: performance.now() - t0 });
  const be = env.tested.backend;
  const needed = new Set<DType>([dtype, ...c.inputs.map((s) => inputDType(s, dtype)), ...(c.requires ?? [])]);
  const missing = [...needed].filter((d) => !be.dtypes.includes(d));
  if (missing.length) {
    return done({ ...result, status: 'unsupported', message: `backend '${be.name}' does not store ${missing.join(', ')} (it declares ${be.dtypes.join(', ')})` });
  }
  if (c.throws) return done(await runErrorCase(c, dtype, env, result));
  const inputs = inputValues(c, dtype);
  const upstream = (n: number, d: DType): number[] =>
    c.upstream ? c.upstream(dtype, n).map((v) => toDType(v, dtype)) : upstreamValues(c, n, isFloatDType(d) ? dtype : d);
  const fail = (oracle: string, message: string): CaseResult => done(verdict(result, [{ failure: { oracle, message } }]));

  let ref: Execution;
  try {
    ref = await execute(env.reference, c, refDType(dtype), inputs, upstream, { readSync: false });
  } catch (e) {
    return fail('cpu-f64', `the float64 reference itself failed (a broken case): ${(e as Error).message}`);
  }
  env.tested.reset();
  let got: Execution;
  try {
    got = await execute(be, c, dtype, inputs, upstream, { checkLeaks: true });
  } catch (e) {
    result.kernels = [...env.tested.calls].sort();
    return fail('run', `threw ${(e as Error).name}: ${(e as Error).message}`);
  }
  result.kernels = [...env.tested.calls].sort();

  const caseTol = c.tol?.[dtype] ?? env.tolerances[dtype];
  const tol = caseTol.ulps === undefined ? caseTol : { ...caseTol, precision: dtype === 'float32' ? 24 : 53 };
  const run: CaseRun = { c, dtype, env, inputs, upstream, tol, ref, got, kernels: result.kernels };
  const outcomes: OracleOutcome[] = [];
  for (const oracle of ORACLES) {
    const o = await oracle.check(run);
    outcomes.push(o);
    if (o.failure || o.checks?.some((k) => !k.cmp.ok && !k.expected)) break; // the verdict names the first disagreement
  }
  return done(verdict(result, outcomes));
}
