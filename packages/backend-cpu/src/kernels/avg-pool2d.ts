import { newArray, type DType, type Pool2dSpec, type TypedArray } from '@logit/core';

/** Window (i, j) of average pooling: its rows [r0, r1) and columns [c0, c1) inside the input, and its divisor. */
export function avgWindow(s: Pool2dSpec, i: number, j: number): [number, number, number, number, number] {
  const [h, w] = s.inSize;
  const r = i * s.stride[0] - s.padding[0];
  const c = j * s.stride[1] - s.padding[1];
  const rEnd = Math.min(r + s.kernel[0], h + s.padding[0]);
  const cEnd = Math.min(c + s.kernel[1], w + s.padding[1]);
  const r0 = Math.max(r, 0), r1 = Math.min(rEnd, h), c0 = Math.max(c, 0), c1 = Math.min(cEnd, w);
  const divisor = s.divisorOverride || (s.countIncludePad ? (rEnd - r) * (cEnd - c) : (r1 - r0) * (c1 - c0));
  return [r0, r1, c0, c1, divisor];
}

/** Fused average pooling (PyTorch's divisor rules, see FusedKernels.avgPool2d), sums in doubles. */
export function avgPool2d(x: TypedArray, s: Pool2dSpec, dtype: DType): TypedArray {
  const [h, w] = s.inSize;
  const [oh, ow] = s.outSize;
  const out = newArray(dtype, s.planes * oh * ow);
  let o = 0;
  for (let q = 0; q < s.planes; q++) {
    const plane = q * h * w;
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++, o++) {
        const [r0, r1, c0, c1, divisor] = avgWindow(s, i, j);
        let sum = 0;
        for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) sum += x[plane + r * w + c];
        out[o] = sum / divisor;
      }
    }
  }
  return out;
}
