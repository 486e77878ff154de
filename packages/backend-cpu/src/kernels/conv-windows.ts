import type { Conv2dSpec, TypedArray } from '@logit/core';

/**
 * The im2col layout the convolution kernels share: for one sample, cols is
 * (inChannels * kH * kW, outH * outW), row (c, a, b) holding tap (a, b) of channel c for every
 * output position, 0 where the tap falls in the padding. Grouped convolutions read it as
 * (groups, K, P) with K = inChannels / groups * kH * kW.
 */
export function im2col(x: TypedArray, xOff: number, s: Conv2dSpec, cols: TypedArray): void {
  const [h, w] = s.inSize;
  const [oh, ow] = s.outSize;
  const [kh, kw] = s.kernel;
  const [sh, sw] = s.stride;
  const [ph, pw] = s.padding;
  const [dh, dw] = s.dilation;
  let row = 0;
  for (let c = 0; c < s.inChannels; c++) {
    const plane = xOff + c * h * w;
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++, row++) {
        let at = row * oh * ow;
        for (let i = 0; i < oh; i++) {
          const r = i * sh - ph + a * dh;
          if (r < 0 || r >= h) {
            cols.fill(0, at, at + ow);
            at += ow;
            continue;
          }
          const src = plane + r * w;
          for (let j = 0; j < ow; j++, at++) {
            const col = j * sw - pw + b * dw;
            cols[at] = col >= 0 && col < w ? x[src + col] : 0;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: every entry of cols added into its tap's position of one sample's gx (padding dropped). */
export function col2im(cols: ArrayLike<number>, s: Conv2dSpec, gx: Float64Array): void {
  const [h, w] = s.inSize;
  const [oh, ow] = s.outSize;
  const [kh, kw] = s.kernel;
  const [sh, sw] = s.stride;
  const [ph, pw] = s.padding;
  const [dh, dw] = s.dilation;
  let row = 0;
  for (let c = 0; c < s.inChannels; c++) {
    const plane = c * h * w;
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++, row++) {
        let at = row * oh * ow;
        for (let i = 0; i < oh; i++) {
          const r = i * sh - ph + a * dh;
          if (r < 0 || r >= h) {
            at += ow;
            continue;
          }
          const dst = plane + r * w;
          for (let j = 0; j < ow; j++, at++) {
            const col = j * sw - pw + b * dw;
            if (col >= 0 && col < w) gx[dst + col] += cols[at];
          }
        }
      }
    }
  }
}

/** Sizes of the grouped products: per sample, (G, Og, P) = (G, Og, K) @ (G, K, P). */
export function convDims(s: Conv2dSpec) {
  const g = s.groups;
  const og = s.outChannels / g;
  const k = (s.inChannels / g) * s.kernel[0] * s.kernel[1];
  const p = s.outSize[0] * s.outSize[1];
  const inPlane = s.inChannels * s.inSize[0] * s.inSize[1];
  return { g, og, k, p, inPlane, outPlane: s.outChannels * p };
}
