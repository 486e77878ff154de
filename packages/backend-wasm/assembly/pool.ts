// Max and average pooling over planes of float32 (FusedKernels.maxPool2d / avgPool2d and their
// backwards, with backend-cpu's semantics). The geometry is a parameter block in the order of
// the P_ constants; sums are in f64 like backend-cpu's, so the two agree exactly.

import { arg } from './util';

const P_PLANES = 0, P_H = 1, P_W = 2, P_OH = 3, P_OW = 4, P_KH = 5, P_KW = 6, P_SH = 7, P_SW = 8, P_PH = 9, P_PW = 10;
const P_DH = 11, P_DW = 12, P_INCLUDE_PAD = 13, P_DIVISOR = 14;

/**
 * out = max of each window, idx = its flat position in the plane: taps in row-major order, a tap
 * winning when greater than the max so far, or nan (the last nan wins, as in PyTorch); the first tap inside
 * the input when nothing beats -inf. 2x2 windows of stride 2 without padding (the usual pool of
 * a CNN) take four outputs at a time in SIMD; everything else the general loop.
 */
export function maxPool2d(g: usize, x: usize, out: usize, idx: usize): void {
  const planes = arg(g, P_PLANES), h = arg(g, P_H), w = arg(g, P_W), oh = arg(g, P_OH), ow = arg(g, P_OW);
  const kh = arg(g, P_KH), kw = arg(g, P_KW), sh = arg(g, P_SH), sw = arg(g, P_SW), ph = arg(g, P_PH), pw = arg(g, P_PW);
  const dh = arg(g, P_DH), dw = arg(g, P_DW);
  const pairs = kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1 && 2 * oh <= h;
  let o: usize = 0;
  for (let q = 0; q < planes; q++) {
    const plane = x + (<usize>(q * h * w) << 2);
    for (let i = 0; i < oh; i++) {
      let r0 = i * sh - ph;
      const r1 = min(r0 + (kh - 1) * dh + 1, h);
      while (r0 < 0) r0 += dh;
      let j = 0;
      if (pairs) {
        for (; 2 * j + 8 <= w && j + 4 <= ow; j += 4, o += 4) maxPairs4(plane, w, r0, j, out + (o << 2), idx + (o << 2));
      }
      for (; j < ow; j++, o++) {
        let c0 = j * sw - pw;
        const c1 = min(c0 + (kw - 1) * dw + 1, w);
        while (c0 < 0) c0 += dw;
        let best = -Infinity as f32;
        let at = r0 * w + c0;
        for (let r = r0; r < r1; r += dh) {
          for (let c = c0; c < c1; c += dw) {
            const v = load<f32>(plane + (<usize>(r * w + c) << 2));
            if (v > best || isNaN(v)) {
              best = v;
              at = r * w + c;
            }
          }
        }
        store<f32>(out + (o << 2), best);
        store<i32>(idx + (o << 2), at);
      }
    }
  }
}

/** One tap of the SIMD max: lanes where t beats best (greater, or nan: the last nan wins) take t and its index. */
@inline function better(t: v128, ti: v128, best: v128, at: v128, into: usize): v128 {
  const win = v128.or(f32x4.gt(t, best), f32x4.ne(t, t));
  store<v128>(into, v128.bitselect(ti, at, win));
  return v128.bitselect(t, best, win);
}

/** Outputs j..j+3 of 2x2/2 max pooling on rows r, r + 1: columns 2j..2j+7 split into even and odd taps. */
function maxPairs4(plane: usize, w: i32, r: i32, j: i32, out: usize, idx: usize): void {
  const top = plane + (<usize>(r * w + 2 * j) << 2);
  const bottom = top + (<usize>w << 2);
  const a0 = v128.load(top), a1 = v128.load(top, 16), b0 = v128.load(bottom), b1 = v128.load(bottom, 16);
  const base = i32x4.add(i32x4.splat(r * w + 2 * j), i32x4(0, 2, 4, 6));
  const one = i32x4.splat(1);
  const below = i32x4.splat(w);
  // taps in row-major order: (0, 0), (0, 1), (1, 0), (1, 1)
  let best = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
  store<v128>(idx, base);
  best = better(v128.shuffle<f32>(a0, a1, 1, 3, 5, 7), i32x4.add(base, one), best, load<v128>(idx), idx);
  best = better(v128.shuffle<f32>(b0, b1, 0, 2, 4, 6), i32x4.add(base, below), best, load<v128>(idx), idx);
  best = better(v128.shuffle<f32>(b0, b1, 1, 3, 5, 7), i32x4.add(i32x4.add(base, below), one), best, load<v128>(idx), idx);
  v128.store(out, best);
}

/** gx = zeros, then each output's gradient added at its argmax; per plane, f64 sums in acc. */
export function maxPool2dBackward(g: usize, gy: usize, idx: usize, acc: usize, gx: usize): void {
  const planes = arg(g, P_PLANES), plane = arg(g, P_H) * arg(g, P_W), outPlane = arg(g, P_OH) * arg(g, P_OW);
  const disjoint = arg(g, P_SH) >= (arg(g, P_KH) - 1) * arg(g, P_DH) + 1 && arg(g, P_SW) >= (arg(g, P_KW) - 1) * arg(g, P_DW) + 1;
  if (disjoint) {
    // windows that do not overlap send at most one gradient to each input: store it, no sum needed
    memory.fill(gx, 0, <usize>(planes * plane) << 2);
    for (let q = 0; q < planes; q++) {
      const base = <usize>(q * outPlane), dst = gx + (<usize>(q * plane) << 2);
      for (let o = 0; o < outPlane; o++) {
        store<f32>(dst + (<usize>load<i32>(idx + ((base + o) << 2)) << 2), load<f32>(gy + ((base + o) << 2)));
      }
    }
    return;
  }
  for (let q = 0; q < planes; q++) {
    memory.fill(acc, 0, <usize>plane << 3);
    const base = <usize>(q * outPlane);
    for (let o = 0; o < outPlane; o++) {
      const p = acc + (<usize>load<i32>(idx + ((base + o) << 2)) << 3);
      store<f64>(p, load<f64>(p) + <f64>load<f32>(gy + ((base + o) << 2)));
    }
    const dst = gx + (<usize>(q * plane) << 2);
    for (let i = 0; i < plane; i++) store<f32>(dst + (<usize>i << 2), <f32>load<f64>(acc + (<usize>i << 3)));
  }
}

/** The divisor of the window starting at (r, c), whose taps inside the input are rows [r0, r1) and columns [c0, c1). */
@inline function avgDivisor(g: usize, r: i32, c: i32, r0: i32, r1: i32, c0: i32, c1: i32): f64 {
  const divisor = arg(g, P_DIVISOR);
  if (divisor != 0) return <f64>divisor;
  if (arg(g, P_INCLUDE_PAD) != 0) {
    const rEnd = min(r + arg(g, P_KH), arg(g, P_H) + arg(g, P_PH));
    const cEnd = min(c + arg(g, P_KW), arg(g, P_W) + arg(g, P_PW));
    return <f64>((rEnd - r) * (cEnd - c));
  }
  return <f64>((r1 - r0) * (c1 - c0));
}

/** out = each window's sum (f64) divided by its divisor (PyTorch's avg_pool2d rules). */
export function avgPool2d(g: usize, x: usize, out: usize): void {
  const planes = arg(g, P_PLANES), h = arg(g, P_H), w = arg(g, P_W), oh = arg(g, P_OH), ow = arg(g, P_OW);
  const kh = arg(g, P_KH), kw = arg(g, P_KW), sh = arg(g, P_SH), sw = arg(g, P_SW), ph = arg(g, P_PH), pw = arg(g, P_PW);
  let o: usize = 0;
  for (let q = 0; q < planes; q++) {
    const plane = x + (<usize>(q * h * w) << 2);
    for (let i = 0; i < oh; i++) {
      const r = i * sh - ph;
      const r0 = max(r, 0), r1 = min(min(r + kh, h + ph), h);
      for (let j = 0; j < ow; j++, o++) {
        const c = j * sw - pw;
        const c0 = max(c, 0), c1 = min(min(c + kw, w + pw), w);
        let sum: f64 = 0;
        for (let rr = r0; rr < r1; rr++) {
          for (let cc = c0; cc < c1; cc++) sum += <f64>load<f32>(plane + (<usize>(rr * w + cc) << 2));
        }
        store<f32>(out + (o << 2), <f32>(sum / avgDivisor(g, r, c, r0, r1, c0, c1)));
      }
    }
  }
}

/** gx = each output's gradient / its divisor, added over its window's taps (f64 in acc, one plane at a time). */
export function avgPool2dBackward(g: usize, gy: usize, acc: usize, gx: usize): void {
  const planes = arg(g, P_PLANES), h = arg(g, P_H), w = arg(g, P_W), oh = arg(g, P_OH), ow = arg(g, P_OW);
  const kh = arg(g, P_KH), kw = arg(g, P_KW), sh = arg(g, P_SH), sw = arg(g, P_SW), ph = arg(g, P_PH), pw = arg(g, P_PW);
  let o: usize = 0;
  for (let q = 0; q < planes; q++) {
    memory.fill(acc, 0, <usize>(h * w) << 3);
    for (let i = 0; i < oh; i++) {
      const r = i * sh - ph;
      const r0 = max(r, 0), r1 = min(min(r + kh, h + ph), h);
      for (let j = 0; j < ow; j++, o++) {
        const c = j * sw - pw;
        const c0 = max(c, 0), c1 = min(min(c + kw, w + pw), w);
        const v = <f64>load<f32>(gy + (o << 2)) / avgDivisor(g, r, c, r0, r1, c0, c1);
        for (let rr = r0; rr < r1; rr++) {
          for (let cc = c0; cc < c1; cc++) {
            const p = acc + (<usize>(rr * w + cc) << 3);
            store<f64>(p, load<f64>(p) + v);
          }
        }
      }
    }
    const dst = gx + (<usize>(q * h * w) << 2);
    for (let k = 0; k < h * w; k++) store<f32>(dst + (<usize>k << 2), <f32>load<f64>(acc + (<usize>k << 3)));
  }
}
