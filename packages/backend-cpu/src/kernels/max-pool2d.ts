import { newArray, type DType, type Pool2dSpec, type TypedArray } from '@logit/core';

/**
 * Fused max pooling with its argmax: per window, taps in row-major order, a tap winning when
 * greater than the max so far or nan (so the last nan of a window wins, as in PyTorch); indices are flat (row * inW + col)
 * per plane, starting at the window's first tap inside the input.
 */
export function maxPool2d(x: TypedArray, s: Pool2dSpec, dtype: DType): { out: TypedArray; indices: Int32Array } {
  const [h, w] = s.inSize;
  const [oh, ow] = s.outSize;
  const [kh, kw] = s.kernel;
  const [sh, sw] = s.stride;
  const [ph, pw] = s.padding;
  const [dh, dw] = s.dilation;
  const out = newArray(dtype, s.planes * oh * ow);
  const indices = new Int32Array(out.length);
  let o = 0;
  for (let q = 0; q < s.planes; q++) {
    const plane = q * h * w;
    for (let i = 0; i < oh; i++) {
      let r0 = i * sh - ph;
      const r1 = Math.min(r0 + (kh - 1) * dh + 1, h);
      while (r0 < 0) r0 += dh;
      for (let j = 0; j < ow; j++, o++) {
        let c0 = j * sw - pw;
        const c1 = Math.min(c0 + (kw - 1) * dw + 1, w);
        while (c0 < 0) c0 += dw;
        let best = -Infinity;
        let at = r0 * w + c0;
        for (let r = r0; r < r1; r += dh) {
          for (let c = c0; c < c1; c += dw) {
            const v = x[plane + r * w + c];
            if (v > best || v !== v) {
              best = v;
              at = r * w + c;
            }
          }
        }
        out[o] = best;
        indices[o] = at;
      }
    }
  }
  return { out, indices };
}
