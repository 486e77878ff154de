// Convolution as im2col + the packed SIMD gemm of matmul.ts (src/conv.ts drives them per sample
// and group): im2col lays one sample's windows out as cols (C * kH * kW, OH * OW), row (c, a, b)
// holding tap (a, b) of channel c at every output position, 0 in the padding; col2im adds such a
// buffer back into the sample's planes (the input gradient). The geometry is a parameter block
// written by the JS side, in the order of the G_ constants.

import { arg } from './util';

const G_C = 0, G_H = 1, G_W = 2, G_KH = 3, G_KW = 4, G_SH = 5, G_SW = 6, G_PH = 7, G_PW = 8, G_DH = 9, G_DW = 10, G_OH = 11, G_OW = 12;

/** The output columns j whose tap b of a row lands inside [0, w): j in [j0, j1). */
@inline function validColumns(ow: i32, sw: i32, pw: i32, b: i32, dw: i32, w: i32): u64 {
  // col = j * sw - pw + b * dw; 0 <= col < w
  const off = b * dw - pw;
  let j0 = off >= 0 ? 0 : (-off + sw - 1) / sw;
  let j1 = w - off <= 0 ? 0 : (w - off + sw - 1) / sw;
  if (j1 > ow) j1 = ow;
  if (j0 > j1) j0 = j1;
  return (<u64>j0 << 32) | <u64>j1;
}

/** cols = im2col(x) for one sample; x is (C, H, W), cols (C * KH * KW, OH * OW), float32. */
export function im2col(g: usize, x: usize, cols: usize): void {
  const c = arg(g, G_C), h = arg(g, G_H), w = arg(g, G_W), kh = arg(g, G_KH), kw = arg(g, G_KW);
  const sh = arg(g, G_SH), sw = arg(g, G_SW), ph = arg(g, G_PH), pw = arg(g, G_PW), dh = arg(g, G_DH), dw = arg(g, G_DW);
  const oh = arg(g, G_OH), ow = arg(g, G_OW);
  const rowBytes = <usize>ow << 2;
  let dst = cols;
  for (let ch = 0; ch < c; ch++) {
    const plane = x + (<usize>(ch * h * w) << 2);
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        const span = validColumns(ow, sw, pw, b, dw, w);
        const j0 = <i32>(span >> 32), j1 = <i32>(span & 0xffffffff);
        const colOff = b * dw - pw;
        for (let i = 0; i < oh; i++, dst += rowBytes) {
          const r = i * sh - ph + a * dh;
          if (r < 0 || r >= h || j0 >= j1) {
            memory.fill(dst, 0, rowBytes);
            continue;
          }
          if (j0 > 0) memory.fill(dst, 0, <usize>j0 << 2);
          if (j1 < ow) memory.fill(dst + (<usize>j1 << 2), 0, <usize>(ow - j1) << 2);
          const src = plane + (<usize>(r * w + colOff) << 2);
          if (sw == 1) {
            copySpan(dst + (<usize>j0 << 2), src + (<usize>j0 << 2), j1 - j0);
          } else {
            for (let j = j0; j < j1; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>(j * sw) << 2)));
          }
        }
      }
    }
  }
}

/** x = col2im(cols) for one sample: x is zeroed, then every tap of cols added into its position. */
export function col2im(g: usize, cols: usize, x: usize): void {
  const c = arg(g, G_C), h = arg(g, G_H), w = arg(g, G_W), kh = arg(g, G_KH), kw = arg(g, G_KW);
  const sh = arg(g, G_SH), sw = arg(g, G_SW), ph = arg(g, G_PH), pw = arg(g, G_PW), dh = arg(g, G_DH), dw = arg(g, G_DW);
  const oh = arg(g, G_OH), ow = arg(g, G_OW);
  memory.fill(x, 0, <usize>(c * h * w) << 2);
  const rowBytes = <usize>ow << 2;
  let src = cols;
  for (let ch = 0; ch < c; ch++) {
    const plane = x + (<usize>(ch * h * w) << 2);
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        const span = validColumns(ow, sw, pw, b, dw, w);
        const j0 = <i32>(span >> 32), j1 = <i32>(span & 0xffffffff);
        const colOff = b * dw - pw;
        for (let i = 0; i < oh; i++, src += rowBytes) {
          const r = i * sh - ph + a * dh;
          if (r < 0 || r >= h || j0 >= j1) continue;
          const dst = plane + (<usize>(r * w + colOff) << 2);
          if (sw == 1) addSpan(dst + (<usize>j0 << 2), src + (<usize>j0 << 2), j1 - j0);
          else for (let j = j0; j < j1; j++) {
            const p = dst + (<usize>(j * sw) << 2);
            store<f32>(p, load<f32>(p) + load<f32>(src + (<usize>j << 2)));
          }
        }
      }
    }
  }
}

/**
 * dst[0..n) = src[0..n), float32, 4 lanes at a time: im2col copies rows of a few dozen floats,
 * where a memory.copy call's overhead shows (im2col of one sample of the mnist Net's second
 * convolution: 78 us against 90-97 with memory.copy).
 */
@inline function copySpan(dst: usize, src: usize, n: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    v128.store(dst + o, v128.load(src + o));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(dst + o, load<f32>(src + o));
  }
}

/** dst[0..n) += src[0..n), float32, 4 lanes at a time. */
@inline function addSpan(dst: usize, src: usize, n: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/** dst += src over n float32 values (a conv weight gradient summing its samples). */
export function addInto(dst: usize, src: usize, n: i32): void {
  addSpan(dst, src, n);
}

/** y (rows x cols, row-major) += bias[row]: a convolution's per-channel bias. */
export function addRowBias(y: usize, rows: i32, cols: i32, bias: usize): void {
  for (let r = 0; r < rows; r++) {
    const v = f32x4.splat(load<f32>(bias + (<usize>r << 2)));
    const row = y + (<usize>(r * cols) << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const p = row + (<usize>j << 2);
      v128.store(p, f32x4.add(v128.load(p), v));
    }
    const s = load<f32>(bias + (<usize>r << 2));
    for (; j < cols; j++) {
      const p = row + (<usize>j << 2);
      store<f32>(p, load<f32>(p) + s);
    }
  }
}
