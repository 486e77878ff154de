// The backends this package's own kernel tests compare: backend-cpu (the reference) and each
// wasm build (relaxed SIMD where available, and plain SIMD). Data and checks come from the kit.
import { createCpuBackend } from '@logit/backend-cpu';
import type { Backend, DType, Storage, TypedArray } from '@logit/core';
import { runKernelSync } from '@logit/conformance/vitest';
import { createBackend, type WasmBackend } from '../src/index.js';

export const cpu: Backend = createCpuBackend();
export const wasm: WasmBackend = await createBackend();
export const wasmSimd: WasmBackend = await createBackend({ simd: 'simd' });
export const WASMS: readonly WasmBackend[] = [wasm, wasmSimd];

/** A kernel on host arrays: inputs uploaded, output read back, everything freed and leak-checked. */
export function runOn(be: Backend, inputs: readonly [TypedArray, DType][], kernel: (be: Backend, s: Storage[]) => Storage): TypedArray {
  return runKernelSync(be, inputs, (xs) => kernel(be, xs));
}

/** The same kernel on backend-cpu and on each wasm build: [reference, wasm outputs]. */
export function onAll(inputs: readonly [TypedArray, DType][], kernel: (be: Backend, s: Storage[]) => Storage): [TypedArray, TypedArray[]] {
  return [runOn(cpu, inputs, kernel), WASMS.map((w) => runOn(w, inputs, kernel))];
}
