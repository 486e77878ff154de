import { expect } from 'vitest';

/**
 * Independent float64 reference math for forward-value tests: plain loops over row-major arrays,
 * written without any of the library's code paths.
 */
export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The multi-index of flat position i in shape. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d] + idx[d];
  return i;
}

/** The broadcast shape, computed directly from the rule (trailing dims equal or 1). */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    return da === 1 ? db : da;
  });
}

/** Element of `data` (shape `shape`) that broadcasts to multi-index `idx` of a bigger shape. */
export function at(data: ArrayLike<number>, shape: readonly number[], idx: readonly number[]): number {
  const lead = idx.length - shape.length;
  return data[ravel(shape.map((d, i) => (d === 1 ? 0 : idx[lead + i])), shape)];
}

export function binaryRef(f: (a: number, b: number) => number, a: ArrayLike<number>, as: number[], b: ArrayLike<number>, bs: number[]): { data: number[]; shape: number[] } {
  const shape = broadcastShape(as, bs);
  const data = Array.from({ length: size(shape) }, (_, i) => {
    const idx = unravel(i, shape);
    return f(at(a, as, idx), at(b, bs, idx));
  });
  return { data, shape };
}

/** Reduces `axes` of x with f from init; the kept dims keep their order. */
export function reduceRef(f: (acc: number, v: number) => number, init: number, x: ArrayLike<number>, shape: number[], axes: number[], keepdim = false) {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = new Array<number>(size(kept)).fill(init);
  for (let i = 0; i < size(shape); i++) {
    const idx = unravel(i, shape).map((v, d) => (axes.includes(d) ? 0 : v));
    const o = ravel(idx, kept);
    out[o] = f(out[o], x[i]);
  }
  return { data: out, shape: keepdim ? kept : shape.filter((_, i) => !axes.includes(i)) };
}

/** Batched matmul of [..., m, k] @ [..., k, n] with broadcast batch dims (both at least 2-D). */
export function matmulRef(a: ArrayLike<number>, as: number[], b: ArrayLike<number>, bs: number[]) {
  const [m, k] = as.slice(-2);
  const n = bs[bs.length - 1];
  const batch = broadcastShape(as.slice(0, -2), bs.slice(0, -2));
  const shape = [...batch, m, n];
  const data = Array.from({ length: size(shape) }, (_, o) => {
    const idx = unravel(o, shape);
    const bi = idx.slice(0, -2);
    const [i, j] = idx.slice(-2);
    let acc = 0;
    for (let p = 0; p < k; p++) acc += at(a, as, [...bi, i, p]) * at(b, bs, [...bi, p, j]);
    return acc;
  });
  return { data, shape };
}

/** Elementwise closeness with nan == nan and exact infinities; |a - e| <= tol * max(1, |e|). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-12): void {
  expect(actual.length, 'length').toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      expect(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)), `element ${i}: got ${a}, expected ${e}`).toBe(true);
    } else if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) {
      throw new Error(`element ${i}: got ${a}, expected ${e} (tol ${tol})`);
    }
  }
}
