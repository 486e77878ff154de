import { aroundAxis, type DType, type Shape, type TypedArray } from '@logit/core';

/**
 * The stable sorting permutation along `axis`. Values compare as numbers with -0 equal to 0 and
 * nan above everything; ties (and nans) keep their input order in both directions, so a
 * descending sort is the ascending comparison reversed, not the ascending result reversed.
 */
export function argsort(x: TypedArray, shape: Shape, axis: number, descending: boolean, _dtype: DType): Int32Array {
  const { outer, len, inner } = aroundAxis(shape, axis);
  const out = new Int32Array(x.length);
  const row = new Float64Array(len);
  const order = Array.from({ length: len }, (_, j) => j);
  const sign = descending ? -1 : 1;
  const cmp = (a: number, b: number): number => {
    const va = row[a];
    const vb = row[b];
    const na = va !== va;
    const nb = vb !== vb;
    if (na || nb) return na && nb ? a - b : (na ? 1 : -1) * sign;
    return va < vb ? -sign : va > vb ? sign : a - b;
  };
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      for (let j = 0; j < len; j++) {
        row[j] = x[base + j * inner];
        order[j] = j;
      }
      order.sort(cmp);
      for (let j = 0; j < len; j++) out[base + j * inner] = order[j];
    }
  }
  return out;
}
