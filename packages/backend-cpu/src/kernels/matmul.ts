import { newArray, type DType, type MatmulSpec, type TypedArray } from '@logit/core';

/**
 * Batched matmul, blocked the GotoBLAS way so the hot loop runs out of cache:
 * - for each k-block of KC, pack B(kc x n) into panels of 4 columns (Float64Array, zero-padded);
 * - for each m-block of MC, pack A(mc x kc) into panels of 4 rows;
 * - a 4x4 micro-kernel multiplies one A panel by one B panel with 16 scalar accumulators and
 *   adds the tile into C.
 * Transposes are absorbed by the packing (it reads through row/column strides), so the
 * micro-kernel is one code path. Packing into doubles converts float32 once per block, and the
 * products are summed in doubles within a k-block; C is rounded to its dtype between k-blocks.
 */
const KC = 256;
const MC = 64;

export function matmul(a: TypedArray, b: TypedArray, spec: MatmulSpec, dtype: DType): TypedArray {
  const { batch, m, n, k, transA, transB, aBatchStride, bBatchStride } = spec;
  const out = newArray(dtype, batch * m * n);
  if (m === 0 || n === 0 || k === 0) return out;
  // logical A(i, p) = a[aOff + i * aRow + p * aCol]; B(p, j) = b[bOff + p * bRow + j * bCol]
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  const bRow = transB ? 1 : n;
  const bCol = transB ? k : 1;
  const nPad = Math.ceil(n / 4) * 4;
  const bp = new Float64Array(Math.min(KC, k) * nPad);
  const ap = new Float64Array(Math.min(KC, k) * Math.min(MC, Math.ceil(m / 4) * 4));
  const edge = new Float64Array(16);
  let packedB = -1; // offset of the B block now in bp: a broadcast B (stride 0) is packed once
  for (let t = 0; t < batch; t++) {
    const aOff = t * aBatchStride;
    const bOff = t * bBatchStride;
    const cOff = t * m * n;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      const bStart = bOff + pc * bRow;
      if (k > KC || packedB !== bStart) packB(b, bStart, bRow, bCol, kc, n, bp);
      packedB = bStart;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(a, aOff + ic * aRow + pc * aCol, aRow, aCol, mc, kc, ap);
        for (let jr = 0; jr < n; jr += 4) {
          const cols = Math.min(4, n - jr);
          for (let ir = 0; ir < mc; ir += 4) {
            const rows = Math.min(4, mc - ir);
            micro(ap, ir * kc, bp, jr * kc, kc, out, cOff + (ic + ir) * n + jr, n, rows, cols, edge);
          }
        }
      }
    }
  }
  return out;
}

/** bp[jr*kc + p*4 + c] = B(p, jr + c), zero past column n. */
function packB(b: TypedArray, start: number, bRow: number, bCol: number, kc: number, n: number, bp: Float64Array): void {
  for (let jr = 0; jr < n; jr += 4) {
    const cols = Math.min(4, n - jr);
    let q = jr * kc;
    for (let p = 0; p < kc; p++, q += 4) {
      const src = start + p * bRow + jr * bCol;
      for (let c = 0; c < 4; c++) bp[q + c] = c < cols ? b[src + c * bCol] : 0;
    }
  }
}

/** ap[ir*kc + p*4 + r] = A(ir + r, p), zero past row mc. */
function packA(a: TypedArray, start: number, aRow: number, aCol: number, mc: number, kc: number, ap: Float64Array): void {
  for (let ir = 0; ir < mc; ir += 4) {
    const rows = Math.min(4, mc - ir);
    let q = ir * kc;
    for (let p = 0; p < kc; p++, q += 4) {
      const src = start + ir * aRow + p * aCol;
      for (let r = 0; r < 4; r++) ap[q + r] = r < rows ? a[src + r * aRow] : 0;
    }
  }
}

/** C[ci.., 4x4 tile] += A panel (4 x kc) @ B panel (kc x 4); only rows x cols are stored. */
function micro(
  ap: Float64Array, ai: number, bp: Float64Array, bi: number, kc: number,
  c: TypedArray, ci: number, ldc: number, rows: number, cols: number, edge: Float64Array,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++, ai += 4, bi += 4) {
    const a0 = ap[ai], a1 = ap[ai + 1], a2 = ap[ai + 2], a3 = ap[ai + 3];
    const b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (rows === 4 && cols === 4) {
    c[ci] += c00; c[ci + 1] += c01; c[ci + 2] += c02; c[ci + 3] += c03; ci += ldc;
    c[ci] += c10; c[ci + 1] += c11; c[ci + 2] += c12; c[ci + 3] += c13; ci += ldc;
    c[ci] += c20; c[ci + 1] += c21; c[ci + 2] += c22; c[ci + 3] += c23; ci += ldc;
    c[ci] += c30; c[ci + 1] += c31; c[ci + 2] += c32; c[ci + 3] += c33;
    return;
  }
  edge[0] = c00; edge[1] = c01; edge[2] = c02; edge[3] = c03;
  edge[4] = c10; edge[5] = c11; edge[6] = c12; edge[7] = c13;
  edge[8] = c20; edge[9] = c21; edge[10] = c22; edge[11] = c23;
  edge[12] = c30; edge[13] = c31; edge[14] = c32; edge[15] = c33;
  for (let r = 0; r < rows; r++) {
    for (let col = 0; col < cols; col++) c[ci + r * ldc + col] += edge[r * 4 + col];
  }
}
