import { newArray, type DType, type MatmulSpec, type TypedArray } from '@logit/core';

/**
 * Batched matmul, blocked the GotoBLAS way so the hot loop runs out of cache:
 * - for each block of NC columns and KC rows of B, pack B into panels of NR = 4 columns;
 * - for each m-block of MC rows, pack A(mc x kc) into panels of MR = 3 rows (zero-padded);
 * - a 3x4 micro-kernel multiplies one A panel by one B panel with 12 scalar accumulators and
 *   adds the tile into a float64 accumulator for all of C.
 *
 * Why this shape (measured on x64, Node 20, N = 512: the 4x4 kernel over separate A and B
 * arrays did 6.1 GFLOP/s, this does 7.0): V8 does not vectorize and does not hoist typed-array
 * checks out of loops, so each load in the inner loop pays a bounds check, and each array a map
 * check and a reload of its length and data pointer every iteration. So both packed blocks live
 * in ONE fixed-size Float64Array (PACK, +13% over two arrays), a `const` captured by the
 * kernel's functions: TurboFan then compiles its loads against a constant address and length
 * (+5%). It is built inside createMatmul because bundlers turn a module's top-level `const` into
 * `var`, which TurboFan cannot fold. 12 accumulators + 3 A values + 1 B value fit x64's 16 XMM
 * registers where 4x4 spills (2x4, 2x6, 4x3, 3x5, unrolling p, float32 packing and other KC/MC
 * were no faster). Full panels are packed without the zero-padding test (+8% on MLP shapes).
 * Summing in doubles into a float64 C, rounded once at the end, keeps the
 * micro-kernel monomorphic whatever the dtype.
 *
 * Transposes are absorbed by the packing (it reads through row/column strides), so the
 * micro-kernel is one code path. PACK holds KC * (MC + NC) doubles (1.2 MB) for the process.
 */
const MR = 3;
const NR = 4;
const KC = 256;
const MC = 96; // a multiple of MR
const NC = 512; // a multiple of NR; KC x NC doubles of B stay in a 1 MB L2
const B_BASE = KC * MC; // A panels at PACK[0, B_BASE), B panels after

function createMatmul(): (a: TypedArray, b: TypedArray, spec: MatmulSpec, dtype: DType) => TypedArray {
  const PACK = new Float64Array(B_BASE + KC * NC);

  function matmul(a: TypedArray, b: TypedArray, spec: MatmulSpec, dtype: DType): TypedArray {
    const { batch, m, n, k, transA, transB, aBatchStride, bBatchStride } = spec;
    const out = newArray(dtype, batch * m * n);
    if (m === 0 || n === 0 || k === 0) return out;
    // logical A(i, p) = a[aOff + i * aRow + p * aCol]; B(p, j) = b[bOff + p * bRow + j * bCol]
    const aRow = transA ? 1 : k;
    const aCol = transA ? m : 1;
    const bRow = transB ? 1 : n;
    const bCol = transB ? k : 1;
    const mPad = Math.ceil(m / MR) * MR;
    const nPad = Math.ceil(n / NR) * NR;
    const acc = new Float64Array(mPad * nPad);
    let packedB = -1; // offset of the B block now packed: a broadcast B (stride 0) is packed once
    for (let t = 0; t < batch; t++) {
      const aOff = t * aBatchStride;
      const bOff = t * bBatchStride;
      if (t > 0) acc.fill(0);
      for (let jc = 0; jc < n; jc += NC) {
        const nc = Math.min(NC, n - jc);
        for (let pc = 0; pc < k; pc += KC) {
          const kc = Math.min(KC, k - pc);
          const bStart = bOff + pc * bRow + jc * bCol;
          if (k > KC || n > NC || packedB !== bStart) packB(b, bStart, bRow, bCol, kc, nc);
          packedB = bStart;
          for (let ic = 0; ic < m; ic += MC) {
            const mc = Math.min(MC, m - ic);
            packA(a, aOff + ic * aRow + pc * aCol, aRow, aCol, mc, kc);
            for (let jr = 0; jr < nc; jr += NR) {
              for (let ir = 0; ir < mc; ir += MR) {
                micro(ir * kc, B_BASE + jr * kc, kc, acc, (ic + ir) * nPad + jc + jr, nPad);
              }
            }
          }
        }
      }
      // TypedArray.set converts to the output dtype (rounding for float32, ToInt32 for int32).
      const cOff = t * m * n;
      if (n === nPad) out.set(acc.subarray(0, m * n), cOff);
      else for (let i = 0; i < m; i++) out.set(acc.subarray(i * nPad, i * nPad + n), cOff + i * n);
    }
    return out;
  }

  /** PACK[B_BASE + jr*kc + p*NR + c] = B(p, jr + c), zero past column nc. */
  function packB(b: TypedArray, start: number, bRow: number, bCol: number, kc: number, nc: number): void {
    for (let jr = 0; jr < nc; jr += NR) {
      const cols = Math.min(NR, nc - jr);
      let src = start + jr * bCol;
      const end = B_BASE + (jr + NR) * kc;
      if (cols === NR) {
        for (let q = B_BASE + jr * kc; q < end; q += NR, src += bRow) {
          PACK[q] = b[src]; PACK[q + 1] = b[src + bCol]; PACK[q + 2] = b[src + 2 * bCol]; PACK[q + 3] = b[src + 3 * bCol];
        }
      } else {
        for (let q = B_BASE + jr * kc; q < end; q += NR, src += bRow) {
          for (let c = 0; c < NR; c++) PACK[q + c] = c < cols ? b[src + c * bCol] : 0;
        }
      }
    }
  }

  /** PACK[ir*kc + p*MR + r] = A(ir + r, p), zero past row mc. */
  function packA(a: TypedArray, start: number, aRow: number, aCol: number, mc: number, kc: number): void {
    for (let ir = 0; ir < mc; ir += MR) {
      const rows = Math.min(MR, mc - ir);
      let src = start + ir * aRow;
      const end = (ir + MR) * kc;
      if (rows === MR) {
        for (let q = ir * kc; q < end; q += MR, src += aCol) {
          PACK[q] = a[src]; PACK[q + 1] = a[src + aRow]; PACK[q + 2] = a[src + 2 * aRow];
        }
      } else {
        for (let q = ir * kc; q < end; q += MR, src += aCol) {
          for (let r = 0; r < MR; r++) PACK[q + r] = r < rows ? a[src + r * aRow] : 0;
        }
      }
    }
  }

  /** acc[ci.., 3x4 tile] += A panel (3 x kc, at PACK[ai]) @ B panel (kc x 4, at PACK[bi]); padding included. */
  function micro(ai: number, bi: number, kc: number, acc: Float64Array, ci: number, ldc: number): void {
    let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
    let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
    let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
    for (let p = 0; p < kc; p++, ai += MR, bi += NR) {
      const a0 = PACK[ai], a1 = PACK[ai + 1], a2 = PACK[ai + 2];
      const b0 = PACK[bi], b1 = PACK[bi + 1], b2 = PACK[bi + 2], b3 = PACK[bi + 3];
      c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
      c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
      c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    }
    acc[ci] += c00; acc[ci + 1] += c01; acc[ci + 2] += c02; acc[ci + 3] += c03; ci += ldc;
    acc[ci] += c10; acc[ci + 1] += c11; acc[ci + 2] += c12; acc[ci + 3] += c13; ci += ldc;
    acc[ci] += c20; acc[ci + 1] += c21; acc[ci + 2] += c22; acc[ci + 3] += c23;
  }

  return matmul;
}

export const matmul = createMatmul();
