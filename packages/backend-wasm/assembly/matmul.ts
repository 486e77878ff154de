// Batched float32 matmul, blocked the GotoBLAS way:
// - per k-block of KC, B (kc x n) is packed into panels of 8 columns (zero-padded);
// - per m-block of MC, A (mc x kc) is packed into panels of MR rows (zero-padded);
// - an MR x 8 micro-kernel keeps the tile in 2 * MR f32x4 registers and walks kc.
// MR is 6 in the relaxed-SIMD build (relaxed_madd, FMA) and 5 in the plain one (mul + add).
// Independent accumulators are what hides the FMA latency: a bare FMA loop tops out at ~61
// GFLOP/s with the 8 of a 4x8 tile on this project's machines and at ~68 with 12. V8 x64 has 15
// allocatable xmm registers: 12 accumulators + 2 (B) + 1 (A splat) fit; the plain build needs one
// more for the product, so 6 rows spill there (32 GFLOP/s) and 5 fit (56, against 46 for 4x8).
// A 4x16 tile (TOOLCHAIN.md) or a 2x-unrolled 6x8 loop (38 GFLOP/s against 61) spill too.
// Transposes only change how the packing reads, so the micro-kernel has one code path.
// matmul-threads.ts shares one product between threads with the same packing and micro-kernel.

import { loadF64, storeF64 } from './util';

export const KC = 256;
export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 5;
export const MC: i32 = MR * 12; // A's packed block (MC x KC) sits in L2; MC/KC between 48/128 and 144/512 all measure the same
export const NC = 512; // B's packed block (KC x NC = 512 KiB) stays in L2; fewer re-packs of A than 256
export const NR = 8;

/** Bytes of packing scratch gemm needs for n columns. */
export function matmulScratchBytes(n: i32, k: i32): i32 {
  const kc = min(KC, k);
  const nPad = (min(NC, n) + NR - 1) / NR * NR;
  return (MC * kc + kc * nPad + MR * NR) * 4;
}

@inline function fma(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** bp[(j / NR) * kc * NR + p * NR + c] = B(p, j0 + j + c); B(p, j) = b[p * bRow + j * bCol]. */
export function packB(b: usize, bRow: i32, bCol: i32, kc: i32, j0: i32, j1: i32, bp: usize): void {
  for (let jr = j0; jr < j1; jr += NR) {
    const cols = min(NR, j1 - jr);
    const panel = bp + (<usize>((jr - j0) * kc) << 2);
    if (bCol == 1 && cols == NR) {
      for (let p = 0; p < kc; p++) {
        const src = b + (<usize>(p * bRow + jr) << 2);
        const dst = panel + (<usize>(p * NR) << 2);
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      }
    } else {
      for (let c = 0; c < NR; c++) {
        if (c < cols) {
          const src = b + (<usize>((jr + c) * bCol) << 2);
          for (let p = 0; p < kc; p++) store<f32>(panel + (<usize>(p * NR + c) << 2), load<f32>(src + (<usize>(p * bRow) << 2)));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(panel + (<usize>(p * NR + c) << 2), 0);
        }
      }
    }
  }
}

/** ap[(i / MR) * kc * MR + p * MR + r] = A(i + r, p); A(i, p) = a[i * aRow + p * aCol]. */
export function packA(a: usize, aRow: i32, aCol: i32, mc: i32, kc: i32, ap: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    const panel = ap + (<usize>(ir * kc) << 2);
    if (aRow == 1 && rows == MR) {
      for (let p = 0; p < kc; p++) {
        const src = a + (<usize>(ir + p * aCol) << 2);
        const dst = panel + (<usize>(p * MR) << 2);
        v128.store(dst, v128.load(src));
        if (MR == 6) store<u64>(dst, load<u64>(src, 16), 16);
        else store<f32>(dst, load<f32>(src, 16), 16);
      }
    } else if (aCol == 1 && rows == MR) {
      packRows(a + (<usize>(ir * aRow) << 2), aRow, kc, panel);
    } else {
      for (let r = 0; r < MR; r++) {
        if (r < rows) {
          const src = a + (<usize>((ir + r) * aRow) << 2);
          for (let p = 0; p < kc; p++) store<f32>(panel + (<usize>(p * MR + r) << 2), load<f32>(src + (<usize>(p * aCol) << 2)));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(panel + (<usize>(p * MR + r) << 2), 0);
        }
      }
    }
  }
}

/**
 * One full panel of row-major A (MR = 5 or 6 rows of stride aRow from src): 4 columns at a time,
 * the MR x 4 block is loaded as MR vectors and transposed with shuffles, so that packing (~7% of
 * the time at N = 256 with scalar copies) moves vectors rather than single floats.
 */
function packRows(src: usize, aRow: i32, kc: i32, panel: usize): void {
  const row = <usize>aRow << 2;
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    const s = src + (<usize>p << 2);
    const r0 = v128.load(s), r1 = v128.load(s + row), r2 = v128.load(s + 2 * row);
    const r3 = v128.load(s + 3 * row), r4 = v128.load(s + 4 * row);
    const a = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5); // A00 A10 A01 A11
    const b = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7); // A02 A12 A03 A13
    const c = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
    const d = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    // column p + q of the block goes to dst + q * MR * 4: rows 0-3, then row 4 (and 5)
    const dst = panel + (<usize>(p * MR) << 2);
    v128.store(dst, v128.shuffle<f32>(a, c, 0, 1, 4, 5));
    v128.store(dst, v128.shuffle<f32>(a, c, 2, 3, 6, 7), MR * 4);
    v128.store(dst, v128.shuffle<f32>(b, d, 0, 1, 4, 5), MR * 8);
    v128.store(dst, v128.shuffle<f32>(b, d, 2, 3, 6, 7), MR * 12);
    if (MR == 6) {
      const r5 = v128.load(s + 5 * row);
      const lo = v128.shuffle<f32>(r4, r5, 0, 4, 1, 5); // A40 A50 A41 A51
      const hi = v128.shuffle<f32>(r4, r5, 2, 6, 3, 7); // A42 A52 A43 A53
      v128.store64_lane(dst, lo, 0, 16);
      v128.store64_lane(dst, lo, 1, 40);
      v128.store64_lane(dst, hi, 0, 64);
      v128.store64_lane(dst, hi, 1, 88);
    } else {
      v128.store32_lane(dst, r4, 0, 16);
      v128.store32_lane(dst, r4, 1, 36);
      v128.store32_lane(dst, r4, 2, 56);
      v128.store32_lane(dst, r4, 3, 76);
    }
  }
  for (; p < kc; p++) {
    for (let r = 0; r < MR; r++) store<f32>(panel + (<usize>(p * MR + r) << 2), load<f32>(src + <usize>r * row + (<usize>p << 2)));
  }
}

@inline function putRow(c: usize, acc: bool, v0: v128, v1: v128): void {
  if (acc) {
    v0 = f32x4.add(v0, v128.load(c));
    v1 = f32x4.add(v1, v128.load(c, 16));
  }
  v128.store(c, v0);
  v128.store(c, v1, 16);
}

/** C tile (rows x cols at c) = or += A panel (MR x kc) @ B panel (kc x NR). */
export function micro(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32, acc: bool, rows: i32, cols: i32, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0), c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = fma(a, b0, c00);
    c01 = fma(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = fma(a, b0, c10);
    c11 = fma(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = fma(a, b0, c20);
    c21 = fma(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = fma(a, b0, c30);
    c31 = fma(a, b1, c31);
    a = v128.load32_splat(ap, 16);
    c40 = fma(a, b0, c40);
    c41 = fma(a, b1, c41);
    if (MR == 6) {
      a = v128.load32_splat(ap, 20);
      c50 = fma(a, b0, c50);
      c51 = fma(a, b1, c51);
    }
    ap += MR * 4;
    bp += NR * 4;
  }
  const row = <usize>ldc << 2;
  if (rows == MR && cols == NR) {
    putRow(c, acc, c00, c01);
    putRow(c + row, acc, c10, c11);
    putRow(c + 2 * row, acc, c20, c21);
    putRow(c + 3 * row, acc, c30, c31);
    putRow(c + 4 * row, acc, c40, c41);
    if (MR == 6) putRow(c + 5 * row, acc, c50, c51);
    return;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  v128.store(tile, c40, 128); v128.store(tile, c41, 144);
  if (MR == 6) { v128.store(tile, c50, 160); v128.store(tile, c51, 176); }
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const dst = c + <usize>r * row + (<usize>j << 2);
      const v = load<f32>(tile + (<usize>(r * NR + j) << 2));
      store<f32>(dst, acc ? load<f32>(dst) + v : v);
    }
  }
}

/**
 * C (m x n, row-major at c) = A @ B for one batch item on this thread, where
 * A(i, p) = a[i * aRow + p * aCol] and B(p, j) = b[p * bRow + j * bCol].
 */
export function gemm(
  a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, c: usize,
  m: i32, n: i32, k: i32, scratch: usize,
): void {
  if (k == 0) {
    memory.fill(c, 0, <usize>(m * n) << 2);
    return;
  }
  const kcMax = min(KC, k);
  const ap = scratch;
  const bp = ap + (<usize>(MC * kcMax) << 2);
  const tile = bp + (<usize>(kcMax * ((min(NC, n) + NR - 1) / NR * NR)) << 2);
  for (let jc = 0; jc < n; jc += NC) {
    const jEnd = min(jc + NC, n);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(b + (<usize>(pc * bRow) << 2), bRow, bCol, kc, jc, jEnd, bp);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a + (<usize>(ic * aRow + pc * aCol) << 2), aRow, aCol, mc, kc, ap);
        for (let jr = jc; jr < jEnd; jr += NR) {
          const cols = min(NR, jEnd - jr);
          const bPanel = bp + (<usize>((jr - jc) * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            micro(ap + (<usize>(ir * kc) << 2), bPanel, kc, c + (<usize>((ic + ir) * n + jr) << 2), n, pc > 0,
              min(MR, mc - ir), cols, tile);
          }
        }
      }
    }
  }
}

/** Any dtype, any layout: f64 sums stored the way a typed array would (int32 wraps, bool is != 0). */
export function matmulGeneric(
  dtype: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, c: usize, m: i32, n: i32, k: i32,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s: f64 = 0;
      for (let p = 0; p < k; p++) s += loadF64(dtype, a, i * aRow + p * aCol) * loadF64(dtype, b, p * bRow + j * bCol);
      storeF64(dtype, c, i * n + j, s);
    }
  }
}
