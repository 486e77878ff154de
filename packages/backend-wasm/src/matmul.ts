import type { DType, MatmulSpec } from '@logit/core';
import { code, type Context, type WasmStorage } from './context.js';

/**
 * Batched matmul: float32 goes to the packed SIMD gemm, one call per batch item; other dtypes
 * (int32, bool) to a plain loop with f64 sums. Transposes become row/column strides.
 */
export function matmul(cx: Context, a: WasmStorage, b: WasmStorage, spec: MatmulSpec, dtype: DType): WasmStorage {
  const { batch, m, n, k, transA, transB, aBatchStride, bBatchStride } = spec;
  const out = cx.own(dtype, batch * m * n);
  if (out.size === 0) return out;
  // A(i, p) = a[i * aRow + p * aCol]; B(p, j) = b[p * bRow + j * bCol]
  const aRow = transA ? 1 : k, aCol = transA ? m : 1;
  const bRow = transB ? 1 : n, bCol = transB ? k : 1;
  const size = dtype === 'bool' ? 1 : 4;
  if (dtype !== 'float32') {
    for (let t = 0; t < batch; t++) {
      cx.k.matmulGeneric(code(dtype, 'matmul'), a.ptr + t * aBatchStride * size, aRow, aCol,
        b.ptr + t * bBatchStride * size, bRow, bCol, out.ptr + t * m * n * size, m, n, k);
    }
    return out;
  }
  const scratchBytes = gemmScratchBytes(cx, m, n, k);
  const scratch = cx.scratch(scratchBytes);
  try {
    for (let t = 0; t < batch; t++) {
      const aT = a.ptr + t * aBatchStride * 4, bT = b.ptr + t * bBatchStride * 4, cT = out.ptr + t * m * n * 4;
      gemmF32(cx, aT, aRow, aCol, bT, bRow, bCol, cT, m, n, k, scratch);
    }
  } catch (e) {
    cx.disown(out);
    throw e;
  } finally {
    cx.release(scratch, scratchBytes);
  }
  return out;
}

/**
 * Below this many multiply-adds per product a second thread costs more (waking it, handing out
 * tasks) than it saves. Measured with `pnpm bench matmul --output kept` on 2 cores: at 64^3 two
 * threads are slower than one (44 vs 50 GFLOP/s), at 96^3 faster (77 vs 60), at 128^3 1.8x.
 */
const THREAD_MIN_WORK = 80 * 80 * 80;

const threadedFor = (cx: Context, m: number, n: number, k: number): boolean => cx.pool !== null && m * n * k >= THREAD_MIN_WORK;

/** Scratch bytes gemmF32 needs for an m x n x k product. */
export function gemmScratchBytes(cx: Context, m: number, n: number, k: number): number {
  return threadedFor(cx, m, n, k) ? cx.k.gemmThreadsScratchBytes(m, n, k, cx.pool!.threads) : cx.k.matmulScratchBytes(n, k);
}

/**
 * One float32 product C (m x n, row-major at c) = A @ B with A(i, p) = a[i * aRow + p * aCol] and
 * B(p, j) = b[p * bRow + j * bCol] (byte pointers): on every thread when it is big enough to pay.
 */
export function gemmF32(
  cx: Context, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number,
  m: number, n: number, k: number, scratch: number,
): void {
  if (threadedFor(cx, m, n, k)) cx.pool!.gemm(cx.k, a, aRow, aCol, b, bRow, bCol, c, m, n, k, scratch);
  else cx.k.gemm(a, aRow, aCol, b, bRow, bCol, c, m, n, k, scratch);
}
