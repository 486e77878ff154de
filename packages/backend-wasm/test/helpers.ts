import { createCpuBackend } from '@logit/backend-cpu';
import { newArray, type Backend, type DType, type Storage, type TypedArray } from '@logit/core';
import { expect } from 'vitest';
import { createBackend, type WasmBackend } from '../src/index.js';

/** The reference and the backends under test: the default (relaxed SIMD where available) and plain SIMD builds. */
export const cpu: Backend = createCpuBackend();
export const wasm: WasmBackend = await createBackend();
export const wasmSimd: WasmBackend = await createBackend({ simd: 'simd' });
export const WASMS: readonly WasmBackend[] = [wasm, wasmSimd];

export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** A small deterministic generator (mulberry32), so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 0.5, -0.5, 1.5, 2.5, -2.5, 1e-40, 3.4e38, -88.5, 89];

/** Random values for a dtype; floats include nan, +-inf, -0, halves and extremes when `special`. */
export function randomData(dtype: DType, size: number, seed: number, special = false): TypedArray {
  const r = rng(seed);
  const out = newArray(dtype, size);
  for (let i = 0; i < size; i++) {
    if (dtype === 'bool') out[i] = r() < 0.5 ? 1 : 0;
    else if (dtype === 'int32') out[i] = r() < 0.1 ? (r() < 0.5 ? 2147483647 : -2147483648) : Math.floor(r() * 11) - 5;
    else out[i] = special && r() < 0.3 ? SPECIAL[Math.floor(r() * SPECIAL.length)] : (r() - 0.5) * 6;
  }
  return out;
}

function put(be: Backend, data: TypedArray, dtype: DType): Storage {
  const s = be.alloc(dtype, data.length);
  be.write(s, data);
  return s;
}

/** Runs a kernel on host arrays: inputs are uploaded, the output read back, everything freed and leak-checked. */
export function runOn(be: Backend, inputs: readonly [TypedArray, DType][], kernel: (be: Backend, s: Storage[]) => Storage): TypedArray {
  const before = be.memory();
  const stores = inputs.map(([d, t]) => put(be, d, t));
  const out = kernel(be, stores);
  const data = be.readSync!(out);
  be.free(out);
  stores.forEach((s) => be.free(s));
  expect(be.memory()).toEqual(before);
  return data;
}

/** The same kernel on backend-cpu and on each wasm build: [reference, ...wasm outputs]. */
export function onAll(inputs: readonly [TypedArray, DType][], kernel: (be: Backend, s: Storage[]) => Storage): [TypedArray, TypedArray[]] {
  return [runOn(cpu, inputs, kernel), WASMS.map((w) => runOn(w, inputs, kernel))];
}

/** Bit-for-bit equality (same array type, same values, -0 distinct from 0, nan equals nan). */
export function expectSame(actual: TypedArray, expected: TypedArray, what = ''): void {
  expect(actual.constructor).toBe(expected.constructor);
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`${what} element ${i}: got ${actual[i]}, expected ${expected[i]}`);
  }
}

/** Closeness where nan matches nan and infinities match exactly. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number, what = ''): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const ok = (a !== a && e !== e) || a === e || (Number.isFinite(e) && Math.abs(a - e) <= atol + rtol * Math.abs(e));
    if (!ok) expect.fail(`${what} element ${i}: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
  }
}

/** Units in the last place between two float32 values (nan/inf must match exactly). */
export function ulpsApart(a: number, b: number): number {
  if (a !== a || b !== b) return a !== a && b !== b ? 0 : Infinity;
  if (a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const f = new Float32Array([a, b]);
  const i = new Int32Array(f.buffer);
  const ord = (x: number) => (x < 0 ? -2147483648 - x : x); // monotone integer order of float bits
  return Math.abs(ord(i[0]) - ord(i[1]));
}

export function expectUlps(actual: TypedArray, expected: TypedArray, maxUlps: number, what = ''): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (ulpsApart(actual[i], expected[i]) > maxUlps) {
      expect.fail(`${what} element ${i}: got ${actual[i]}, expected ${expected[i]} (more than ${maxUlps} ulp apart)`);
    }
  }
}
