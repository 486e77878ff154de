import type { Backend, DType, TypedArray } from '@logit/core';
import { compareArrays, type Comparison } from '../compare.js';
import type { Execution } from '../execute.js';
import type { TracedBackend } from '../trace.js';
import type { Case, Tolerance } from '../types.js';
import { isFloatDType, toDType } from '../values.js';

/** A session's fixed parts: the tested backend (traced), the float64 reference, and the settings. */
export interface CaseEnvironment {
  tested: TracedBackend;
  /** backend-cpu, computing in float64: the reference every case is compared with. */
  reference: Backend;
  tolerances: Record<DType, Tolerance>;
  tfjs: boolean;
}

/** One case at one dtype, run on the reference and on the tested backend: what every oracle judges. */
export interface CaseRun {
  c: Case;
  dtype: DType;
  env: CaseEnvironment;
  /** Host values of the inputs, rounded to their dtypes. */
  inputs: number[][];
  /** The upstream gradient w of sum(output * w), by output size and dtype. */
  upstream: (n: number, d: DType) => number[];
  tol: Tolerance;
  /** The float64 reference run (integer and bool cases at their own dtype). */
  ref: Execution;
  /** The tested backend's run. */
  got: Execution;
  /** Kernels the tested backend ran, e.g. "unary.exp", "fused.softmax". */
  kernels: string[];
}

/** One comparison an oracle made. */
export interface Check {
  oracle: string;
  cmp: Comparison;
  /** A documented, expected difference: recorded with what was observed, never a failure. */
  expected?: string;
}

/** What an oracle found: comparisons, notes for the report, or a failure that ends the case. */
export interface OracleOutcome {
  checks?: Check[];
  notes?: string[];
  failure?: { oracle: string; message: string };
  /** Set by the fused-vs-composed oracle when it ran. */
  fusedChecked?: boolean;
}

/** A source of expected values for a case: a name for the report and one small check. */
export interface Oracle {
  name: string;
  check(run: CaseRun): OracleOutcome | Promise<OracleOutcome>;
}

/** The output and the gradients of one run. */
export interface Values {
  output: ArrayLike<number>;
  grads: (ArrayLike<number> | null)[];
}

export const valuesOf = (e: Execution): Values => ({ output: e.output, grads: e.grads });

export const refDType = (d: DType): DType => (isFloatDType(d) ? 'float64' : d);

export const roundTo = (xs: ArrayLike<number>, d: DType): number[] => Array.from(xs, (v) => toDType(v, d));

export const fail = (oracle: string, message: string): OracleOutcome => ({ failure: { oracle, message } });

/** A check of `actual` against `expected`: output and each gradient in turn; the detail names which one failed. */
export function check(oracle: string, actual: Values, expected: Values, tol: Tolerance, signedZeros = false, expectedDiff?: string): Check {
  return { oracle, cmp: compareAll(actual, expected, tol, signedZeros), expected: expectedDiff };
}

function compareAll(actual: Values, expected: Values, tol: Tolerance, signedZeros: boolean): Comparison {
  const parts: [string, ArrayLike<number> | null, ArrayLike<number> | null][] = [['output', actual.output, expected.output]];
  const n = Math.max(actual.grads.length, expected.grads.length);
  for (let i = 0; i < n; i++) parts.push([`grad of input ${i}`, actual.grads[i] ?? null, expected.grads[i] ?? null]);
  let maxAbs = 0;
  let maxRel = 0;
  for (const [what, a, e] of parts) {
    if (a === null && e === null) continue;
    const cmp = compareArrays(a ?? zerosLike(e!), e ?? zerosLike(a!), tol, signedZeros && what === 'output');
    maxAbs = Math.max(maxAbs, cmp.maxAbs);
    maxRel = Math.max(maxRel, cmp.maxRel);
    if (!cmp.ok) return { ...cmp, detail: `${what}${cmp.detail}` };
  }
  return { ok: true, maxAbs, maxRel };
}

const zerosLike = (x: ArrayLike<number>): TypedArray => new Float64Array(x.length);
