import { setFusedKernelsEnabled, type Backend, type DType, type TypedArray } from '@logit/core';
import { compareArrays, type Comparison } from './compare.js';
import { execute, type Execution } from './execute.js';
import { fdSkipReason, finiteDifferences } from './oracles/finite-diff.js';
import { runTfjs } from './oracles/tfjs.js';
import { runErrorCase } from './run-error-case.js';
import { DEFAULT_TOLERANCES, FD_TOLERANCE, looser, TFJS_TOLERANCE } from './tolerance.js';
import type { TracedBackend } from './trace.js';
import type { Case, CaseResult, Tolerance } from './types.js';
import { inputDType, inputValues, isFloatDType, toDType, upstreamValues } from './values.js';

export interface CaseEnvironment {
  tested: TracedBackend;
  /** backend-cpu, computing in float64: the reference every case is compared with. */
  reference: Backend;
  tolerances: Record<DType, Tolerance>;
  tfjs: boolean;
}

interface Check {
  oracle: string;
  cmp: Comparison;
  /** A documented, expected difference: recorded, never a failure. */
  expected?: string;
}

const refDType = (d: DType): DType => (isFloatDType(d) ? 'float64' : d);

const round = (xs: ArrayLike<number>, d: DType): number[] => Array.from(xs, (v) => toDType(v, d));

/** Runs one case at one dtype on the tested backend and checks it against every oracle it has. */
export async function runCase(c: Case, dtype: DType, env: CaseEnvironment): Promise<CaseResult> {
  const t0 = performance.now();
  const result: CaseResult = {
    name: `${c.name} [${dtype}]`, op: c.op, family: c.family, dtype, status: 'pass', maxAbsError: 0, maxRelError: 0,
    oracles: [], oracle: '', expectedDifferences: [], kernels: [], fusedChecked: false, ms: 0,
  };
  const finish = (): CaseResult => {
    result.ms = performance.now() - t0;
    return result;
  };
  const be = env.tested.backend;
  const needed = new Set<DType>([dtype, ...c.inputs.map((s) => inputDType(s, dtype)), ...(c.requires ?? [])]);
  const missing = [...needed].filter((d) => !be.dtypes.includes(d));
  if (missing.length) {
    result.status = 'unsupported';
    result.message = `backend '${be.name}' does not store ${missing.join(', ')} (it declares ${be.dtypes.join(', ')})`;
    return finish();
  }
  if (c.throws) {
    await runErrorCase(c, dtype, env, result);
    return finish();
  }
  const fail = (oracle: string, message: string): CaseResult => {
    result.status = 'fail';
    result.oracle = oracle;
    result.message = message;
    return finish();
  };
  const tol = c.tol?.[dtype] ?? env.tolerances[dtype];
  const inputs = inputValues(c, dtype);
  const upstream = (n: number, d: DType): number[] =>
    c.upstream ? c.upstream(dtype, n).map((v) => toDType(v, dtype)) : upstreamValues(c, n, isFloatDType(d) ? dtype : d);

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
  if (got.leaked) return fail('leak', got.leaked);
  if (got.shape.join() !== ref.shape.join()) return fail('cpu-f64', `output shape [${got.shape}], expected [${ref.shape}]`);
  if (got.dtype !== ref.dtype && refDType(got.dtype) !== ref.dtype) return fail('cpu-f64', `output dtype ${got.dtype}, expected ${ref.dtype}`);

  const outDType = got.dtype;
  const checks: Check[] = [];
  const check = (oracle: string, actual: ExecGrads, expected: ExecGrads, t: Tolerance, expectedDiff?: string): void => {
    const cmp = compareAll(actual, expected, t, c.signedZeros ?? false);
    checks.push({ oracle, cmp, expected: expectedDiff });
  };
  const gotAll = grads(got);
  check('cpu-f64', gotAll, { output: round(ref.output, outDType), grads: ref.grads.map((g) => (g ? round(g, dtype) : null)) }, tol);
  if (got.outputSync) check('readSync', { output: got.outputSync, grads: got.gradsSync ?? [] }, gotAll, { rtol: 0, atol: 0 });

  // fused kernel vs the composition of primitives core falls back to
  const fusedRan = result.kernels.filter((k) => k.startsWith('fused.'));
  if (fusedRan.length) {
    setFusedKernelsEnabled(false);
    try {
      env.tested.reset();
      const composed = await execute(be, c, dtype, inputs, upstream, { checkLeaks: true, readSync: false });
      if (composed.leaked) return fail('composed', `composed path (fused kernels off) ${composed.leaked}`);
      check(`composed (vs ${fusedRan.join(', ')})`, gotAll, grads(composed), tol);
      result.fusedChecked = true;
    } catch (e) {
      return fail('composed', `composed path (fused kernels off) threw: ${(e as Error).message}`);
    } finally {
      setFusedKernelsEnabled(true);
    }
  }

  const torch = c.torch?.[dtype];
  if (torch) check(`torch (${torch.source})`, gotAll, { output: torch.output, grads: torch.grads }, tol);

  if (got.grads.length) {
    const skip = fdSkipReason(c, dtype, inputs);
    if (!skip) {
      const fd = await finiteDifferences(env.reference, c, dtype, inputs, upstream);
      if (Array.isArray(fd)) check('finite-diff', { output: [], grads: got.grads }, { output: [], grads: fd }, looser(tol, FD_TOLERANCE));
      else result.expectedDifferences.push(`finite-diff: not applied: ${fd.skipped}`);
    }
  }

  if (env.tfjs && c.tfjs && (dtype === 'float32' || !isFloatDType(dtype))) {
    try {
      const tf = await runTfjs(c, dtype, inputs, upstream);
      const actual = tf.grads ? gotAll : { output: gotAll.output, grads: [] };
      check('tfjs', actual, { output: tf.output, grads: tf.grads ?? [] }, looser(tol, TFJS_TOLERANCE), c.tfjs.differs);
      if (c.tfjs.noGrad && got.grads.length) result.expectedDifferences.push(`tfjs: no gradient taken: ${c.tfjs.noGrad}`);
    } catch (e) {
      if (!c.tfjs.differs) return fail('tfjs', `TensorFlow.js oracle threw: ${(e as Error).message}`);
      checks.push({ oracle: 'tfjs', cmp: { ok: false, maxAbs: NaN, maxRel: NaN, detail: `threw: ${(e as Error).message}` }, expected: c.tfjs.differs });
    }
  }

  result.oracles = [...new Set(checks.map((k) => k.oracle.split(' ')[0]))];
  let worst = -1;
  for (const k of checks) {
    if (k.expected) {
      const seen = k.cmp.ok ? `agrees here (max abs ${k.cmp.maxAbs.toExponential(2)})` : `differs: ${k.cmp.detail}`;
      result.expectedDifferences.push(`${k.oracle}: expected difference (${k.expected}); ${seen}`);
      continue;
    }
    if (!k.cmp.ok) return fail(k.oracle, `${k.oracle}: ${k.cmp.detail}`);
    if (Number.isFinite(k.cmp.maxAbs) && k.cmp.maxAbs > worst) {
      worst = k.cmp.maxAbs;
      result.oracle = k.oracle;
    }
    result.maxAbsError = Math.max(result.maxAbsError, k.cmp.maxAbs);
    result.maxRelError = Math.max(result.maxRelError, k.cmp.maxRel);
  }
  return finish();
}

interface ExecGrads {
  output: ArrayLike<number>;
  grads: (ArrayLike<number> | null)[];
}

const grads = (e: Execution): ExecGrads => ({ output: e.output, grads: e.grads });

/** Output and each gradient compared in turn; the detail names which one failed. */
function compareAll(actual: ExecGrads, expected: ExecGrads, tol: Tolerance, signedZeros: boolean): Comparison {
  const parts: [string, ArrayLike<number> | null, ArrayLike<number> | null][] = [['output', actual.output, expected.output]];
  const n = Math.max(actual.grads.length, expected.grads.length);
  for (let i = 0; i < n; i++) parts.push([`grad of input ${i}`, actual.grads[i] ?? null, expected.grads[i] ?? null]);
  let maxAbs = 0;
  let maxRel = 0;
  for (const [what, a, e] of parts) {
    if (a === null && e === null) continue;
    const av = a ?? zerosLike(e!);
    const ev = e ?? zerosLike(a!);
    const cmp = compareArrays(av, ev, tol, signedZeros && what === 'output');
    maxAbs = Math.max(maxAbs, cmp.maxAbs);
    maxRel = Math.max(maxRel, cmp.maxRel);
    if (!cmp.ok) return { ...cmp, detail: `${what}${cmp.detail}` };
  }
  return { ok: true, maxAbs, maxRel };
}

const zerosLike = (x: ArrayLike<number>): TypedArray => new Float64Array(x.length);
