import { newArray, type DType, type Pool2dSpec, type TypedArray } from '@logit/core';
import { avgWindow } from './avg-pool2d.js';

/** Gradient of average pooling: each output's gradient / its divisor, added over its window's taps. */
export function avgPool2dBackward(gy: TypedArray, s: Pool2dSpec, dtype: DType): TypedArray {
  const [h, w] = s.inSize;
  const [oh, ow] = s.outSize;
  const acc = new Float64Array(s.planes * h * w);
  let o = 0;
  for (let q = 0; q < s.planes; q++) {
    const plane = q * h * w;
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++, o++) {
        const [r0, r1, c0, c1, divisor] = avgWindow(s, i, j);
        const v = gy[o] / divisor;
        for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) acc[plane + r * w + c] += v;
      }
    }
  }
  const out = newArray(dtype, acc.length);
  out.set(acc);
  return out;
}
