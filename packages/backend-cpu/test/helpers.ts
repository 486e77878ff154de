import { newArray, sizeOf, type Backend, type DType, type Shape, type Storage, type TypedArray } from '@logit/core';
import { expect } from 'vitest';
import { createCpuBackend } from '../src/index.js';

export const be: Backend = createCpuBackend();

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

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 0.5, -0.5, 1.5, 2.5, -2.5];

/** Random values for a dtype; floats include nan, +-inf, -0 and halves when `special`. */
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

export function put(data: TypedArray, dtype: DType): Storage {
  const s = be.alloc(dtype, data.length);
  be.write(s, data);
  return s;
}

/** Reads a kernel's output and frees it, so tests do not leak. */
export function take(s: Storage): TypedArray {
  const data = be.readSync!(s);
  be.free(s);
  return data;
}

/** Runs a kernel on host arrays: inputs are uploaded, the output read back, everything freed. */
export function run(inputs: [TypedArray, DType][], kernel: (...s: Storage[]) => Storage): TypedArray {
  const before = be.memory();
  const stores = inputs.map(([d, t]) => put(d, t));
  const out = take(kernel(...stores));
  stores.forEach((s) => be.free(s));
  expect(be.memory()).toEqual(before);
  return out;
}

export function unravel(i: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

export function ravel(idx: readonly number[], shape: Shape): number {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d] + idx[d];
  return i;
}

/** The flat index in `shape` read by output multi-index `outIdx` under right-aligned broadcasting. */
export function bcast(outIdx: readonly number[], shape: Shape): number {
  const lead = outIdx.length - shape.length;
  return ravel(shape.map((d, i) => (d === 1 ? 0 : outIdx[i + lead])), shape);
}

export function outShapeOf(a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    return da === 1 ? db : da;
  });
}

/** Element-wise closeness where nan matches nan, inf matches inf of the same sign, and the sign of zero is ignored. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 0, atol = 0): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const ok = (a !== a && e !== e) || a === e || (Number.isFinite(e) && Math.abs(a - e) <= atol + rtol * Math.abs(e));
    if (!ok) expect.fail(`element ${i}: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
  }
}

/** What a double becomes when stored in dtype. */
export function store(dtype: DType, v: number): number {
  if (dtype === 'float32') return Math.fround(v);
  if (dtype === 'int32') return v | 0;
  if (dtype === 'bool') return v !== 0 ? 1 : 0;
  return v;
}

export const size = sizeOf;
