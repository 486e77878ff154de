// Data movement: strided copies (permute, expand, slice, setSlice and concat are all one of the
// two below with different strides), gather and scatter-add. Elements are 1 or 4 bytes.

import { loadF64, storeF64 } from './util';
import { advance, carryDelta, innerStride, resetOdometer, rowCount, rowLen } from './strided';

@inline function copyRow(esz: i32, n: i32, src: usize, ss: i32, dst: usize, ds: i32): void {
  if (ss == 1 && ds == 1) {
    memory.copy(dst, src, <usize>(n * esz));
  } else if (esz == 4) {
    for (let j = 0; j < n; j++) store<u32>(dst + (<usize>(j * ds) << 2), load<u32>(src + (<usize>(j * ss) << 2)));
  } else {
    for (let j = 0; j < n; j++) store<u8>(dst + <usize>(j * ds), load<u8>(src + <usize>(j * ss)));
  }
}

/** out (contiguous) = x read through the strided block p (operand 0: x). */
export function stridedCopy(esz: i32, p: usize, x: usize, out: usize): void {
  const n = rowLen(p), count = rowCount(p), s = innerStride(p, 0);
  resetOdometer(p, 1);
  let ox: i32 = 0;
  let po = out;
  for (let r = 0; r < count; r++) {
    copyRow(esz, n, x + <usize>(ox * esz), s, po, 1);
    po += <usize>(n * esz);
    const d = advance(p, 1);
    if (d >= 0) ox += carryDelta(p, 0, d);
  }
}

/** Writes src (contiguous) into out through the strided block p (operand 0: out). */
export function stridedScatter(esz: i32, p: usize, src: usize, out: usize): void {
  const n = rowLen(p), count = rowCount(p), s = innerStride(p, 0);
  resetOdometer(p, 1);
  let oo: i32 = 0;
  let ps = src;
  for (let r = 0; r < count; r++) {
    copyRow(esz, n, ps, 1, out + <usize>(oo * esz), s);
    ps += <usize>(n * esz);
    const d = advance(p, 1);
    if (d >= 0) oo += carryDelta(p, 0, d);
  }
}

/** torch.gather over the index shape walked by p (operand 0: x strides, 0 at the axis). */
export function gather(esz: i32, p: usize, x: usize, axisStride: i32, index: usize, out: usize): void {
  const n = rowLen(p), count = rowCount(p), s = innerStride(p, 0);
  resetOdometer(p, 1);
  let ox: i32 = 0;
  let i: i32 = 0;
  for (let r = 0; r < count; r++) {
    for (let j = 0; j < n; j++, i++) {
      const at = ox + j * s + load<i32>(index + (<usize>i << 2)) * axisStride;
      if (esz == 4) store<u32>(out + (<usize>i << 2), load<u32>(x + (<usize>at << 2)));
      else store<u8>(out + <usize>i, load<u8>(x + <usize>at));
    }
    const d = advance(p, 1);
    if (d >= 0) ox += carryDelta(p, 0, d);
  }
}

/** zeros, then out[.. index ..] += src in f64 accumulators at acc; walks the index shape (operand 0: out strides). */
export function scatterAdd(dtype: i32, p: usize, index: usize, axisStride: i32, src: usize, acc: usize, out: usize, outSize: i32): void {
  memory.fill(acc, 0, <usize>outSize << 3);
  const n = rowLen(p), count = rowCount(p), s = innerStride(p, 0);
  resetOdometer(p, 1);
  let oo: i32 = 0;
  let i: i32 = 0;
  for (let r = 0; r < count; r++) {
    for (let j = 0; j < n; j++, i++) {
      const pa = acc + (<usize>(oo + j * s + load<i32>(index + (<usize>i << 2)) * axisStride) << 3);
      store<f64>(pa, load<f64>(pa) + loadF64(dtype, src, i));
    }
    const d = advance(p, 1);
    if (d >= 0) oo += carryDelta(p, 0, d);
  }
  for (let k = 0; k < outSize; k++) storeF64(dtype, out, k, load<f64>(acc + (<usize>k << 3)));
}
