import {
  BackendError,
  type AttentionResult, type AttentionSpec, type DType, type LayerNormGrads, type LayerNormResult, type LayerNormSpec, type Storage,
} from '@logit/core';
import type { Context } from './context.js';

function float32(op: string, dtype: DType): void {
  if (dtype !== 'float32') throw new BackendError(`wasm: ${op} expects float32, got ${dtype}`);
}

/** Fused layerNorm forward (assembly/layer-norm.ts). */
export function makeLayerNorm(cx: Context) {
  return (x: Storage, weight: Storage | null, bias: Storage | null, spec: LayerNormSpec, dtype: DType): LayerNormResult => {
    float32('layerNorm', dtype);
    const op = 'layerNorm';
    const xs = cx.st(x, op);
    const ws = weight ? cx.st(weight, op).ptr : 0;
    const bs = bias ? cx.st(bias, op).ptr : 0;
    const { rows, cols, eps } = spec;
    const out = cx.own(dtype, rows * cols), mean = cx.own(dtype, rows), rstd = cx.own(dtype, rows);
    cx.k.layerNorm(rows, cols, eps, xs.ptr, ws, bs, out.ptr, mean.ptr, rstd.ptr);
    return { out, mean, rstd };
  };
}

/** Fused layerNorm backward; dweight and dbias accumulate in doubles in a scratch block. */
export function makeLayerNormBackward(cx: Context) {
  return (dy: Storage, x: Storage, mean: Storage, rstd: Storage, weight: Storage | null, spec: LayerNormSpec, dtype: DType): LayerNormGrads => {
    const op = 'layerNormBackward';
    float32(op, dtype);
    const { rows, cols } = spec;
    const ptr = (s: Storage) => cx.st(s, op).ptr;
    const dx = cx.own(dtype, rows * cols), dweight = cx.own(dtype, cols), dbias = cx.own(dtype, cols);
    const acc = cx.scratch(cols * 16);
    cx.k.layerNormBackward(rows, cols, ptr(dy), ptr(x), ptr(mean), ptr(rstd), weight ? ptr(weight) : 0, dx.ptr, dweight.ptr, dbias.ptr, acc);
    cx.release(acc, cols * 16);
    return { dx, dweight, dbias };
  };
}

/** Fused attention forward (assembly/attention.ts); scores of one row live in a scratch block. */
export function makeAttention(cx: Context) {
  return (q: Storage, k: Storage, v: Storage, mask: Storage | null, spec: AttentionSpec, dtype: DType): AttentionResult => {
    const op = 'attention';
    float32(op, dtype);
    const { batch, l, s, e, ev, scale, causal, maskBatchStride, maskedRows } = spec;
    const ptr = (t: Storage) => cx.st(t, op).ptr;
    const out = cx.own(dtype, batch * l * ev), probs = cx.own(dtype, batch * l * s);
    const score = cx.scratch(s * 8);
    cx.k.attention(batch, l, s, e, ev, scale, causal ? 1 : 0, maskBatchStride, maskedRows === 'nan' ? 1 : 0,
      ptr(q), ptr(k), ptr(v), mask ? ptr(mask) : 0, out.ptr, probs.ptr, score);
    cx.release(score, s * 8);
    return { out, probs };
  };
}
