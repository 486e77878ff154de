import { newArray, sizeOf, type DType, type Shape, type TypedArray } from '@logit/core';

/**
 * The kit's deterministic test data: the same seed gives the same values on every run and
 * backend, so a failure names inputs that reproduce it.
 */

/** A small deterministic generator (mulberry32) of floats in [0, 1). */
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

/**
 * Float values that break naive kernels: nan, infinities, signed zeros, halves (rounding), exp's
 * limits. Subnormals and values near float32's maximum are in EXTREME_VALUES: WGSL may flush the
 * first to zero and assumes no overflow, so only backends that claim `exact` are held to them.
 */
export const SPECIAL_VALUES: readonly number[] = [NaN, Infinity, -Infinity, 0, -0, 0.5, -0.5, 1.5, 2.5, -2.5, -88.5, 89];

/** Subnormal float32 values and values at float32's maximum. */
export const EXTREME_VALUES: readonly number[] = [1e-40, -1e-40, 1.4e-45, 1.1754942e-38, 3.4e38, -3.4e38, 3.4028234663852886e38, 2e38];

/** int32 values with the wrapping edges. */
export const INT_EDGES: readonly number[] = [0, 1, -1, 2, -2, 3, 7, -7, 100, -100, 46341, 2147483647, -2147483648];

/**
 * `size` values of a dtype from `seed`: floats uniform in [-3, 3) (with `special`, 30% drawn from
 * SPECIAL_VALUES), int32 mostly in [-5, 5] with 10% at the int32 extremes, bool 0/1.
 */
export function randomData(dtype: DType, size: number, seed: number, special = false): TypedArray {
  const r = rng(seed);
  const out = newArray(dtype, size);
  for (let i = 0; i < size; i++) {
    if (dtype === 'bool') out[i] = r() < 0.5 ? 1 : 0;
    else if (dtype === 'int32') out[i] = r() < 0.1 ? (r() < 0.5 ? 2147483647 : -2147483648) : Math.floor(r() * 11) - 5;
    else out[i] = special && r() < 0.3 ? SPECIAL_VALUES[Math.floor(r() * SPECIAL_VALUES.length)] : (r() - 0.5) * 6;
  }
  return out;
}

/** `size` floats uniform in [lo, hi) from `seed`, as a dtype's array. */
export function uniformData(dtype: DType, size: number, seed: number, lo: number, hi: number): TypedArray {
  const r = rng(seed);
  const out = newArray(dtype, size);
  for (let i = 0; i < size; i++) out[i] = lo + r() * (hi - lo);
  return out;
}

/** A dtype's array holding `values` (stored as the dtype stores them). */
export function arrayOf(dtype: DType, values: ArrayLike<number>): TypedArray {
  const out = newArray(dtype, values.length);
  out.set(Array.from(values));
  return out;
}

/** int32 indices in [0, axisSize) for every element of `shape`; repeats are likely (what gather and scatterAdd must handle). */
export function randomIndices(shape: Shape, axisSize: number, seed: number): Int32Array {
  const r = rng(seed);
  return Int32Array.from({ length: sizeOf(shape) }, () => Math.floor(r() * axisSize));
}

/** The multi-index of flat element `i` of `shape` (row-major). */
export function unravel(i: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

/** The flat element of a multi-index of `shape` (row-major). */
export function ravel(idx: readonly number[], shape: Shape): number {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d] + idx[d];
  return i;
}

/** Every permutation of 0..n-1. */
export function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/** Every sorted subset of the axes of a rank, the empty one included. */
export function axisSubsets(rank: number): number[][] {
  const sets: number[][] = [];
  for (let mask = 0; mask < 1 << rank; mask++) sets.push([...Array(rank).keys()].filter((d) => mask & (1 << d)));
  return sets;
}

/** NumPy broadcasting of two shapes (assumed compatible). */
export function broadcastShape(a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    return da === 1 ? db : da;
  });
}

/** The flat element of `shape` that output multi-index `outIdx` reads when `shape` is broadcast (right-aligned). */
export function broadcastSource(outIdx: readonly number[], shape: Shape): number {
  const lead = outIdx.length - shape.length;
  return ravel(shape.map((d, i) => (d === 1 ? 0 : outIdx[i + lead])), shape);
}
