import { createCpuBackend } from '@logit/backend-cpu';
import type { Backend, DType, TypedArray } from '@logit/core';
import type { Tolerance } from '../types.js';
import { expectedArrayType, firstDifference, roundedLike, runCalls } from './harness.js';
import { arrayOf } from './data.js';
import type { KernelCall, KernelCase, KernelResult } from './types.js';

/**
 * Default closeness of float results to backend-cpu's float64 result, element by element: a
 * float32 kernel that computes in float32 lands within a few ulps; float64 within 1e-12.
 */
export const KERNEL_TOLERANCE: Record<DType, Tolerance> = {
  float32: { rtol: 4e-6, atol: 1e-7 },
  float64: { rtol: 1e-12, atol: 1e-15 },
  int32: { rtol: 0, atol: 0 },
  bool: { rtol: 0, atol: 0 },
};

/** Options of the kernel suite. */
export interface KernelSuiteOptions {
  /**
   * Claim bit-exact agreement with backend-cpu: besides being close to the float64 result, every
   * output equals backend-cpu's at the same dtype bit for bit (zeros keep their sign), except in
   * cases that say why it cannot (`inexact`). What a backend that computes like backend-cpu (in
   * doubles, rounded on store) delivers, e.g. backend-wasm.
   */
  exact?: boolean;
  /** Replace the default tolerance of a dtype (cases with their own keep theirs). */
  tolerances?: Partial<Record<DType, Tolerance>>;
}

/** The tested backend, the float64 reference and the options of one suite run. */
export interface KernelEnvironment {
  /** The backend under test. */
  backend: Backend;
  /** A backend-cpu instance: it computes the expected results, in float64 for float cases. */
  reference: Backend;
  /** The suite's options (exact, tolerances). */
  options: KernelSuiteOptions;
}

/**
 * Creates the backend under test with `createBackend` and a backend-cpu reference next to it,
 * the environment {@link runKernelCase} runs cases in.
 */
export async function createKernelEnvironment(createBackend: () => Backend | Promise<Backend>, options: KernelSuiteOptions = {}): Promise<KernelEnvironment> {
  return { backend: await createBackend(), reference: createCpuBackend(), options };
}

const isFloat = (d: DType): boolean => d === 'float32' || d === 'float64';

const notStored = (be: Backend, dtypes: Iterable<DType>): string | null => {
  const missing = [...new Set(dtypes)].filter((d) => !be.dtypes.includes(d));
  return missing.length ? `backend '${be.name}' does not store ${missing.join(', ')} (it declares ${be.dtypes.join(', ')})` : null;
};

/** Why the backend cannot run the case at this dtype (from what it declares), or null. */
export function unsupportedReason(be: Backend, kc: KernelCase, dtype: DType, calls: readonly KernelCall[]): string | null {
  if (kc.kernel.startsWith('fused.')) {
    const name = kc.kernel.slice('fused.'.length);
    if (typeof (be.fused as Record<string, unknown> | undefined)?.[name] !== 'function') {
      return `backend '${be.name}' has no ${kc.kernel} (core composes it from primitives)`;
    }
  }
  return notStored(be, [dtype, ...(kc.requires ?? []), ...calls.flatMap((c) => c.inputs.map((x) => x.dtype ?? dtype))]);
}

/** Runs every call of a case at one dtype on the tested backend and on the float64 reference, and compares. */
export async function runKernelCase(env: KernelEnvironment, kc: KernelCase, dtype: DType): Promise<KernelResult> {
  const result: KernelResult = { name: `${kc.name} [${dtype}]`, kernel: kc.kernel, dtype, status: 'pass', calls: 0 };
  const early = notStored(env.backend, [dtype]); // before generating any data
  if (early) return { ...result, status: 'unsupported', message: early };
  if (kc.exactOnly && !env.options.exact) return { ...result, status: 'unsupported', message: `backend '${env.backend.name}' does not claim exact results (kernelSuite option exact), which this case needs: ${kc.exactOnly}` };
  // inputs rounded to their dtypes once, so the float64 reference sees exactly what the tested backend does
  const calls = kc.calls(dtype).map((c) => ({ ...c, inputs: c.inputs.map((x) => ({ ...x, data: arrayOf(x.dtype ?? dtype, x.data) })) }));
  const unsupported = unsupportedReason(env.backend, kc, dtype, calls);
  if (unsupported) return { ...result, status: 'unsupported', message: unsupported };
  const exact = env.options.exact === true && !kc.inexact;
  const tol = kc.tol?.[dtype] ?? env.options.tolerances?.[dtype] ?? KERNEL_TOLERANCE[dtype];
  const refDType: DType = isFloat(dtype) ? 'float64' : dtype;
  let want: (TypedArray[] | Error)[];
  let same: (TypedArray[] | Error)[] | null = null;
  let got: (TypedArray[] | Error)[];
  try {
    want = await runCalls(env.reference, calls, refDType);
    if (exact && refDType !== dtype) same = await runCalls(env.reference, calls, dtype);
  } catch (e) {
    return { ...result, status: 'fail', message: `${result.name}: the reference failed (a broken case): ${(e as Error).message}` };
  }
  try {
    got = await runCalls(env.backend, calls, dtype);
  } catch (e) {
    return { ...result, status: 'fail', message: `${result.name}: ${(e as Error).message}` };
  }
  for (let n = 0; n < calls.length; n++) {
    result.calls++;
    const why = judgeCall(kc, calls[n], dtype, got[n], want[n], same?.[n] ?? null, exact, tol);
    if (why) return { ...result, status: 'fail', message: `${result.name} ${calls[n].what}: ${why}` };
  }
  return result;
}

/** Why one call's outputs are wrong, or null. */
function judgeCall(
  kc: KernelCase, call: KernelCall, dtype: DType, got: TypedArray[] | Error, want: TypedArray[] | Error, same: TypedArray[] | Error | null, exact: boolean, tol: Tolerance,
): string | null {
  if (want instanceof Error || same instanceof Error) return `the reference failed (a broken case): ${(want instanceof Error ? want : (same as Error)).message}`;
  if (got instanceof Error) return `${got.name}: ${got.message}`;
  if (got.length !== want.length) return `${got.length} outputs, expected ${want.length}`;
  for (let k = 0; k < want.length; k++) {
    const type = expectedArrayType(want[k], call.out ?? dtype);
    if (got[k].constructor.name !== type) return `output ${k} is a ${got[k].constructor.name}, expected a ${type}`;
    const callTol = dtype === 'float32' && call.tol ? call.tol : tol;
    const outTol = isFloat(dtype) && !(want[k] instanceof Float64Array) ? { rtol: 0, atol: 0 } : callTol;
    const bad = firstDifference(got[k], roundedLike(want[k], type), outTol, exact || kc.signedZeros);
    if (bad) return `output ${k}${bad} (float64 reference)`;
    const off = same ? firstDifference(got[k], same[k], { rtol: 0, atol: 0 }, true) : null;
    if (off) return `output ${k}${off} (exact: backend-cpu at ${dtype}, bit for bit)`;
  }
  return null;
}
