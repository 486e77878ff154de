import { aroundAxis, type ArgReduceOp, type Shape, type TypedArray } from '@logit/core';

/**
 * Index (int32) of the max/min along `axis`: the first one on ties, and the first nan if there
 * is one (nan wins, as in torch.argmax).
 */
export function argReduce(op: ArgReduceOp, x: TypedArray, shape: Shape, axis: number): Int32Array {
  const { outer, len, inner } = aroundAxis(shape, axis);
  const out = new Int32Array(outer * inner);
  const sign = op === 'argmax' ? 1 : -1;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let best = len > 0 ? x[base] * sign : 0;
      let at = 0;
      for (let j = 1; j < len && best === best; j++) {
        const v = x[base + j * inner] * sign;
        if (v > best || v !== v) {
          best = v;
          at = j;
        }
      }
      out[o * inner + i] = at;
    }
  }
  return out;
}
