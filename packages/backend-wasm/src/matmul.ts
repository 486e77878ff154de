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
  const ranges = columnRanges(cx, m, n, k);
  const scratch = ranges.map(([j0, j1]) => cx.k.matmulScratchBytes(j1 - j0, k));
  const at = scratch.map((bytes) => cx.scratch(bytes));
  for (let t = 0; t < batch; t++) {
    const args = ranges.map(([j0, j1], i) => [
      a.ptr + t * aBatchStride * 4, aRow, aCol, b.ptr + t * bBatchStride * 4, bRow, bCol,
      out.ptr + t * m * n * 4, m, n, k, j0, j1, at[i],
    ]);
    const [own, ...jobs] = args;
    const mine = (): void => cx.k.gemm(own[0], own[1], own[2], own[3], own[4], own[5], own[6], own[7], own[8], own[9], own[10], own[11], own[12]);
    if (jobs.length === 0) mine();
    else cx.pool!.run(jobs, mine);
  }
  at.forEach((p, i) => cx.release(p, scratch[i]));
  return out;
}

/**
 * Below this many multiply-adds per product a second thread costs more (waking it, packing A
 * twice) than it saves; measured on 2 cores, where 128^3 is about break-even.
 */
const THREAD_MIN_WORK = 192 * 192 * 192;

/** Column ranges of C, one per thread, 16 columns aligned so threads never share a cache line of C. */
function columnRanges(cx: Context, m: number, n: number, k: number): [number, number][] {
  const threads = cx.pool && m * n * k >= THREAD_MIN_WORK ? Math.min(cx.pool.size + 1, Math.floor(n / 16)) : 1;
  if (threads <= 1) return [[0, n]];
  const chunk = Math.ceil(n / threads / 16) * 16;
  const ranges: [number, number][] = [];
  for (let j = 0; j < n; j += chunk) ranges.push([j, Math.min(n, j + chunk)]);
  return ranges;
}
