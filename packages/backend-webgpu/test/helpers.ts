import { createCpuBackend } from '@logit/backend-cpu';
import { newArray, type Backend, type DType, type Storage, type TypedArray } from '@logit/core';
import { expect } from 'vitest';
import { createBackend, type WebGpuBackend } from '../src/index.js';

/** The reference backend and the one under test. */
export const cpu: Backend = createCpuBackend();
let gpuPromise: Promise<WebGpuBackend> | null = null;
export function webgpu(): Promise<WebGpuBackend> {
  gpuPromise ??= createBackend();
  return gpuPromise;
}

export function upload(be: Backend, data: TypedArray): Storage {
  const dtype: DType = data instanceof Float32Array ? 'float32' : data instanceof Int32Array ? 'int32' : 'bool';
  const s = be.alloc(dtype, data.length);
  be.write(s, data);
  return s;
}

export function array(dtype: DType, values: readonly number[]): TypedArray {
  const a = newArray(dtype, values.length);
  a.set(values);
  return a;
}

export interface Tolerance {
  rtol?: number;
  atol?: number;
}

/** Values equal up to tolerance; nan matches nan, infinities match exactly, dtypes must agree. */
export function expectClose(got: TypedArray, want: TypedArray, tol: Tolerance = {}, what = ''): void {
  expect(got.constructor.name, what).toBe(want.constructor.name);
  expect(got.length, what).toBe(want.length);
  const rtol = tol.rtol ?? 0;
  const atol = tol.atol ?? 0;
  const bad: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    const ok = Number.isNaN(w) ? Number.isNaN(g) : !Number.isFinite(w) ? g === w : Math.abs(g - w) <= atol + rtol * Math.abs(w);
    if (!ok && bad.length < 8) bad.push(`[${i}] got ${g}, want ${w}`);
  }
  expect(bad.length, `${what}: ${bad.join("; ")}`).toBe(0);
}

/**
 * Runs the same kernel call on backend-cpu and on webgpu with the same host inputs, reads both
 * outputs, frees everything, and compares.
 */
export async function checkKernel(
  what: string, inputs: readonly TypedArray[], call: (be: Backend, xs: Storage[]) => Storage, tol: Tolerance = {},
): Promise<TypedArray> {
  const want = await runKernel(cpu, inputs, call);
  const got = await runKernel(await webgpu(), inputs, call);
  expectClose(got, want, tol, what);
  return got;
}

/** Uploads `inputs` to `be`, runs the kernel call, reads its output and frees everything. */
export async function runKernel(be: Backend, inputs: readonly TypedArray[], call: (be: Backend, xs: Storage[]) => Storage): Promise<TypedArray> {
  const xs = inputs.map((d) => upload(be, d));
  const out = call(be, xs);
  const data = await be.read(out);
  for (const s of [...xs, out]) be.free(s);
  return data;
}

/** Deterministic pseudo-random floats in [lo, hi), so failures reproduce. */
export function seeded(n: number, seed = 1, lo = -2, hi = 2): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    out[i] = lo + ((s >>> 8) / 16777216) * (hi - lo);
  }
  return out;
}

/** Float edge values every elementwise op is checked on. */
export const EDGES = [0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3, 1e-6, -1e-6, 1e-30, 20, -20, 88, 100, -100, 1e30, -1e30, Infinity, -Infinity, NaN];
