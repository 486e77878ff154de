// Scans (cumsum, cumprod) and the stable argsort along the middle dim of (outer, len, inner).

import { F32, I32 } from './util';

/**
 * Inclusive cumulative sum (op 0) or product (op 1), from the end when reverse != 0. float32
 * accumulates in doubles and rounds each output once, as backend-cpu; int32 wraps.
 */
export function scan(op: i32, dtype: i32, reverse: i32, outer: i32, len: i32, inner: i32, x: usize, out: usize): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * len * inner + i;
      let accF: f64 = op == 0 ? 0 : 1;
      let accI: i32 = op == 0 ? 0 : 1;
      for (let j = 0; j < len; j++) {
        const at = <usize>(start + (reverse ? len - 1 - j : j) * inner) << 2;
        if (dtype == F32) {
          const v = <f64>load<f32>(x + at);
          accF = op == 0 ? accF + v : accF * v;
          store<f32>(out + at, <f32>accF);
        } else {
          const v = load<i32>(x + at);
          accI = op == 0 ? accI + v : accI * v;
          store<i32>(out + at, accI);
        }
      }
    }
  }
}

/**
 * A 32-bit key whose unsigned order is the sort order: floats by their bits (negatives flipped,
 * -0 as 0, every nan above +inf), int32 with the sign bit flipped; descending flips all bits.
 */
@inline function sortKey(dtype: i32, x: usize, i: i32, descending: bool): u64 {
  let k: u32;
  if (dtype == I32) {
    k = load<u32>(x + (<usize>i << 2)) ^ 0x80000000;
  } else {
    const f = load<f32>(x + (<usize>i << 2));
    const bits = reinterpret<u32>(f);
    if (f != f) k = 0xffffffff;
    else if (f == 0) k = 0x80000000;
    else k = bits & 0x80000000 ? ~bits : bits | 0x80000000;
  }
  return <u64>(descending ? ~k : k);
}

/** Merges sorted runs [lo, mid) and [mid, hi) of src into dst. */
@inline function merge(src: usize, dst: usize, lo: i32, mid: i32, hi: i32): void {
  let a = lo, b = mid, o = lo;
  while (a < mid && b < hi) {
    const va = load<u64>(src + (<usize>a << 3));
    const vb = load<u64>(src + (<usize>b << 3));
    if (va <= vb) { store<u64>(dst + (<usize>o << 3), va); a++; } else { store<u64>(dst + (<usize>o << 3), vb); b++; }
    o++;
  }
  while (a < mid) { store<u64>(dst + (<usize>o << 3), load<u64>(src + (<usize>a << 3))); a++; o++; }
  while (b < hi) { store<u64>(dst + (<usize>o << 3), load<u64>(src + (<usize>b << 3))); b++; o++; }
}

const RUN: i32 = 16;

/**
 * Sorts n u64 values at buf (scratch of 2n u64): insertion sort of short runs, then bottom-up
 * merges between the two halves. Returns where the sorted values ended up.
 */
function sortU64(buf: usize, n: i32): usize {
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = min(lo + RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const v = load<u64>(buf + (<usize>i << 3));
      let j = i - 1;
      while (j >= lo && load<u64>(buf + (<usize>j << 3)) > v) {
        store<u64>(buf + (<usize>(j + 1) << 3), load<u64>(buf + (<usize>j << 3)));
        j--;
      }
      store<u64>(buf + (<usize>(j + 1) << 3), v);
    }
  }
  let src = buf, dst = buf + (<usize>n << 3);
  for (let w = RUN; w < n; w <<= 1) {
    for (let lo = 0; lo < n; lo += 2 * w) merge(src, dst, lo, min(lo + w, n), min(lo + 2 * w, n));
    const t = src; src = dst; dst = t;
  }
  return src;
}

/**
 * The stable sorting permutation along the middle dim: each row's (key << 32 | position) values
 * are unique, so sorting them orders equal keys by position, which is stability. `scratch` holds
 * 2 * len u64.
 */
export function argsort(dtype: i32, descending: i32, outer: i32, len: i32, inner: i32, x: usize, out: usize, scratch: usize): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * len * inner + i;
      for (let j = 0; j < len; j++) {
        store<u64>(scratch + (<usize>j << 3), (sortKey(dtype, x, start + j * inner, descending != 0) << 32) | <u64>j);
      }
      const sorted = sortU64(scratch, len);
      for (let j = 0; j < len; j++) {
        store<i32>(out + (<usize>(start + j * inner) << 2), <i32>(load<u64>(sorted + (<usize>j << 3)) & 0xffffffff));
      }
    }
  }
}
