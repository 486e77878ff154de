import { BackendError, type DType, type MaxPool2dResult, type Pool2dSpec, type Storage } from '@logit/core';
import type { Context } from './context.js';

/** The fused pooling kernels of assembly/pool.ts, float32 only (core composes the other dtypes). */

/** The geometry block of assembly/pool.ts (P_ order). */
const geometry = (s: Pool2dSpec): Int32Array =>
  Int32Array.of(s.planes, ...s.inSize, ...s.outSize, ...s.kernel, ...s.stride, ...s.padding, ...s.dilation, s.countIncludePad ? 1 : 0, s.divisorOverride);

function float32Only(op: string, dtype: DType): void {
  if (dtype !== 'float32') throw new BackendError(`wasm: ${op} expects float32, got ${dtype}`);
}

const outSize = (s: Pool2dSpec): number => s.planes * s.outSize[0] * s.outSize[1];
const inSize = (s: Pool2dSpec): number => s.planes * s.inSize[0] * s.inSize[1];

export function makeMaxPool2d(cx: Context) {
  return (x: Storage, s: Pool2dSpec, dtype: DType): MaxPool2dResult => {
    float32Only('maxPool2d', dtype);
    const xs = cx.st(x, 'maxPool2d');
    const out = cx.own('float32', outSize(s));
    const indices = cx.own('int32', outSize(s));
    if (out.size > 0) cx.k.maxPool2d(cx.args(geometry(s)), xs.ptr, out.ptr, indices.ptr);
    return { out, indices };
  };
}

export function makeMaxPool2dBackward(cx: Context) {
  return (grad: Storage, indices: Storage, s: Pool2dSpec, dtype: DType): Storage => {
    float32Only('maxPool2dBackward', dtype);
    const gs = cx.st(grad, 'maxPool2dBackward'), is = cx.st(indices, 'maxPool2dBackward');
    const out = cx.own('float32', inSize(s));
    if (out.size === 0) return out;
    const accBytes = s.inSize[0] * s.inSize[1] * 8;
    const acc = cx.scratch(accBytes);
    cx.k.maxPool2dBackward(cx.args(geometry(s)), gs.ptr, is.ptr, acc, out.ptr);
    cx.release(acc, accBytes);
    return out;
  };
}

export function makeAvgPool2d(cx: Context) {
  return (x: Storage, s: Pool2dSpec, dtype: DType): Storage => {
    float32Only('avgPool2d', dtype);
    const xs = cx.st(x, 'avgPool2d');
    const out = cx.own('float32', outSize(s));
    if (out.size > 0) cx.k.avgPool2d(cx.args(geometry(s)), xs.ptr, out.ptr);
    return out;
  };
}

export function makeAvgPool2dBackward(cx: Context) {
  return (grad: Storage, s: Pool2dSpec, dtype: DType): Storage => {
    float32Only('avgPool2dBackward', dtype);
    const gs = cx.st(grad, 'avgPool2dBackward');
    const out = cx.own('float32', inSize(s));
    if (out.size === 0) return out;
    const accBytes = s.inSize[0] * s.inSize[1] * 8;
    const acc = cx.scratch(accBytes);
    cx.k.avgPool2dBackward(cx.args(geometry(s)), gs.ptr, acc, out.ptr);
    cx.release(acc, accBytes);
    return out;
  };
}
