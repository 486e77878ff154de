// The reference backend and the one under test, for this package's own kernel tests (data and
// checks come from the conformance kit).
import { createCpuBackend } from '@logit/backend-cpu';
import type { Backend, DType, Storage, TypedArray } from '@logit/core';
import { expectClose, runKernel } from '@logit/conformance/vitest';
import { createBackend, type WebGpuBackend } from '../src/index.js';

export const cpu: Backend = createCpuBackend();
let gpuPromise: Promise<WebGpuBackend> | null = null;
/** One WebGPU backend per test file, created on first use. */
export function webgpu(): Promise<WebGpuBackend> {
  gpuPromise ??= createBackend();
  return gpuPromise;
}

const dtypeOf = (a: TypedArray): DType => (a instanceof Float32Array ? 'float32' : a instanceof Int32Array ? 'int32' : a instanceof Float64Array ? 'float64' : 'bool');

/**
 * The same kernel call on backend-cpu and on webgpu with the same host inputs (dtype from the
 * array type), both leak-checked; the outputs compared within `tol`. Returns webgpu's output.
 */
export async function checkKernel(
  what: string, inputs: readonly TypedArray[], call: (be: Backend, xs: Storage[]) => Storage, tol: { rtol?: number; atol?: number } = {},
): Promise<TypedArray> {
  const typed = inputs.map((a) => [a, dtypeOf(a)] as const);
  const want = await runKernel(cpu, typed, (xs) => call(cpu, xs));
  const gpu = await webgpu();
  const got = await runKernel(gpu, typed, (xs) => call(gpu, xs));
  expectClose(got, want, tol, what);
  return got;
}
