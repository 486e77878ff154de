import { aroundAxis, newArray, type DType, type ScanOp, type Shape, type TypedArray } from '@logit/core';
import { finish } from './util.js';

/**
 * Inclusive cumulative sum/prod along `axis`, from the end when `reverse`. Accumulates in doubles
 * and rounds each output once on store (PyTorch's CPU cumsum also accumulates float32 in double);
 * int32 products wrap like C, as reduce's do.
 */
export function scan(op: ScanOp, x: TypedArray, shape: Shape, axis: number, reverse: boolean, dtype: DType): TypedArray {
  const { outer, len, inner } = aroundAxis(shape, axis);
  const acc = dtype === 'float64' || dtype === 'int32' ? newArray(dtype, x.length) : new Float64Array(x.length);
  const step = op === 'sum' ? (a: number, v: number) => a + v : dtype === 'int32' ? Math.imul : (a: number, v: number) => a * v;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let v = op === 'sum' ? 0 : 1;
      for (let j = 0; j < len; j++) {
        const at = (o * len + (reverse ? len - 1 - j : j)) * inner + i;
        v = step(v, x[at]);
        acc[at] = v;
      }
    }
  }
  return finish(dtype, acc);
}
