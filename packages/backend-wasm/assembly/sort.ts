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

const SMALL: i32 = 32;

/** Insertion sort of n unique u64 (key << 32 | position) at buf: short rows. */
function insertionSort(buf: usize, n: i32): void {
  for (let i = 1; i < n; i++) {
    const v = load<u64>(buf + (<usize>i << 3));
    let j = i - 1;
    while (j >= 0 && load<u64>(buf + (<usize>j << 3)) > v) {
      store<u64>(buf + (<usize>(j + 1) << 3), load<u64>(buf + (<usize>j << 3)));
      j--;
    }
    store<u64>(buf + (<usize>(j + 1) << 3), v);
  }
}

/**
 * LSD radix sort of n (key, position) pairs by key, 8 bits a pass: each pass is stable, so equal
 * keys keep the positions' order, which starts ascending. keys/pos hold the row; keys2/pos2 are
 * the other half of each pass; hist has 4 x 256 counters. A pass whose byte is the same for every
 * key is skipped. Returns where the sorted positions ended up.
 */
function radixSort(keys: usize, pos: usize, keys2: usize, pos2: usize, hist: usize, n: i32): usize {
  memory.fill(hist, 0, 4 * 256 * 4);
  for (let i = 0; i < n; i++) {
    const k = load<u32>(keys + (<usize>i << 2));
    for (let b = 0; b < 4; b++) {
      const h = hist + (<usize>(b * 256 + ((k >>> (8 * b)) & 255)) << 2);
      store<u32>(h, load<u32>(h) + 1);
    }
  }
  let ks = keys, ps = pos, kd = keys2, pd = pos2;
  for (let b = 0; b < 4; b++) {
    const hb = hist + (<usize>(b * 256) << 2);
    // a byte shared by every key sorts nothing
    const first = (load<u32>(keys) >>> (8 * b)) & 255;
    if (load<u32>(hb + (<usize>first << 2)) == <u32>n) continue;
    let sum: u32 = 0;
    for (let d = 0; d < 256; d++) {
      const c = load<u32>(hb + (<usize>d << 2));
      store<u32>(hb + (<usize>d << 2), sum);
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = load<u32>(ks + (<usize>i << 2));
      const h = hb + (<usize>((k >>> (8 * b)) & 255) << 2);
      const at = load<u32>(h);
      store<u32>(h, at + 1);
      store<u32>(kd + (<usize>at << 2), k);
      store<u32>(pd + (<usize>at << 2), load<u32>(ps + (<usize>i << 2)));
    }
    let t = ks; ks = kd; kd = t;
    t = ps; ps = pd; pd = t;
  }
  return ps;
}

/**
 * The stable sorting permutation along the middle dim. Short rows insertion-sort unique
 * (key << 32 | position) u64; longer ones radix-sort keys carrying positions (stable, so equal
 * keys keep their order). `scratch` holds 16 * len + 4096 bytes.
 */
export function argsort(dtype: i32, descending: i32, outer: i32, len: i32, inner: i32, x: usize, out: usize, scratch: usize): void {
  const n = <usize>len;
  const keys = scratch, pos = scratch + (n << 2), keys2 = scratch + (n << 3), pos2 = scratch + 12 * n, hist = scratch + (n << 4);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * len * inner + i;
      if (len <= SMALL) {
        for (let j = 0; j < len; j++) {
          store<u64>(scratch + (<usize>j << 3), (sortKey(dtype, x, start + j * inner, descending != 0) << 32) | <u64>j);
        }
        insertionSort(scratch, len);
        for (let j = 0; j < len; j++) {
          store<i32>(out + (<usize>(start + j * inner) << 2), <i32>(load<u64>(scratch + (<usize>j << 3)) & 0xffffffff));
        }
        continue;
      }
      for (let j = 0; j < len; j++) {
        store<u32>(keys + (<usize>j << 2), <u32>sortKey(dtype, x, start + j * inner, descending != 0));
        store<u32>(pos + (<usize>j << 2), <u32>j);
      }
      const sorted = radixSort(keys, pos, keys2, pos2, hist, len);
      for (let j = 0; j < len; j++) store<i32>(out + (<usize>(start + j * inner) << 2), load<i32>(sorted + (<usize>j << 2)));
    }
  }
}
