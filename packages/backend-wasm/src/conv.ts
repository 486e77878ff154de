import { BackendError, type Conv2dSpec, type DType, type Storage } from '@logit/core';
import type { Context, WasmStorage } from './context.js';
import { encodeStrided } from './strided.js';

/**
 * The fused convolution kernels. Each call is one job over the batch (assembly/conv-job.ts): a
 * sample is a ticket, done whole by the thread that takes it -- im2col into that thread's
 * scratch, a packed SIMD gemm per group, col2im for the input gradient -- so the threads of a
 * backend with `threads > 1` meet once per call. The weight gradient gives each sample its own
 * slot and sums the slots here in sample order, so every thread count gives the same bits.
 * A 1x1 convolution with stride 1 and no padding reads x directly: its im2col is x.
 * float32 only; core composes the other dtypes (the backend stores no float64).
 */

const FORWARD = 0, INPUT_GRAD = 1, WEIGHT_GRAD = 2;
/** Weight-gradient slots of one job are capped near this many bytes; a larger batch runs as several jobs. */
const SLOT_BYTES = 16 << 20;
const CTL_BYTES = 128;
const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

interface ConvDims {
  g: number;
  og: number;
  /** Rows of one group's im2col: inChannels / groups * kH * kW. */
  k: number;
  /** Output positions per sample. */
  p: number;
  inBytes: number;
  outBytes: number;
  pointwise: boolean;
}

function dimsOf(s: Conv2dSpec): ConvDims {
  const g = s.groups;
  const p = s.outSize[0] * s.outSize[1];
  const pointwise = s.kernel[0] === 1 && s.kernel[1] === 1 && s.stride[0] === 1 && s.stride[1] === 1 && s.padding[0] === 0 && s.padding[1] === 0;
  return {
    g, og: s.outChannels / g, k: (s.inChannels / g) * s.kernel[0] * s.kernel[1], p,
    inBytes: s.inChannels * s.inSize[0] * s.inSize[1] * 4, outBytes: s.outChannels * p * 4, pointwise,
  };
}

/** The geometry block of assembly/conv.ts (G_ order). */
const geometry = (s: Conv2dSpec): number[] => [s.inChannels, ...s.inSize, ...s.kernel, ...s.stride, ...s.padding, ...s.dilation, ...s.outSize];

function float32Only(op: string, dtype: DType): void {
  if (dtype !== 'float32') throw new BackendError(`wasm: ${op} expects float32, got ${dtype}`);
}

/** Scratch blocks of one kernel call, released together. */
function scratchOf(cx: Context) {
  const held: [number, number][] = [];
  return {
    take(bytes: number): number {
      const ptr = cx.scratch(bytes);
      held.push([ptr, bytes]);
      return ptr;
    },
    release(): void {
      for (const [ptr, bytes] of held) cx.release(ptr, bytes);
    },
  };
}

/** [m, n, k] of one group's product per sample, for each kind of job. */
function productOf(kind: number, d: ConvDims): [number, number, number] {
  if (kind === FORWARD) return [d.og, d.p, d.k];
  if (kind === INPUT_GRAD) return [d.k, d.p, d.og];
  return [d.k, d.og, d.p];
}

/**
 * Runs one conv job over samples [n0, n1) on every thread (or this one): x, w, out as
 * assembly/conv-job.ts reads them for `kind`. Scratch per thread: one sample's im2col and the gemm's packing.
 */
function runJob(cx: Context, s: Conv2dSpec, d: ConvDims, kind: number, n0: number, n1: number, x: number, w: number, bias: number, out: number): void {
  const scratch = scratchOf(cx);
  try {
    const threads = cx.pool ? cx.pool.threads : 1;
    const colsBytes = d.pointwise ? 0 : align(d.g * d.k * d.p * 4);
    const [, n, k] = productOf(kind, d);
    const threadBytes = colsBytes + align(cx.k.matmulScratchBytes(n, k));
    const work = scratch.take(threads * threadBytes + 64);
    const base = Math.ceil(work / 64) * 64;
    const geo = geometry(s);
    const block = scratch.take((18 + geo.length) * 4);
    const fields = [kind, n0, n1, d.g, d.og, d.k, d.p, d.inBytes, d.outBytes, d.pointwise ? 1 : 0, x, w, bias, out, block + 18 * 4, base, threadBytes, colsBytes];
    cx.heap.ints().set([...fields, ...geo], block >>> 2);
    if (cx.pool) {
      cx.pool.conv(cx.k, block);
    } else {
      const ctl = scratch.take(CTL_BYTES);
      cx.k.convPrepare(ctl, block);
      cx.k.convWork(ctl, 0);
    }
  } finally {
    scratch.release();
  }
}

/** Runs `body` with the output storage, freeing it if the body throws (a failed threaded job). */
function producing(cx: Context, out: WasmStorage, body: () => void): WasmStorage {
  try {
    body();
    return out;
  } catch (e) {
    cx.disown(out);
    throw e;
  }
}

export function makeConv2d(cx: Context) {
  return (x: Storage, weight: Storage, bias: Storage | null, s: Conv2dSpec, dtype: DType): Storage => {
    float32Only('conv2d', dtype);
    const xs = cx.st(x, 'conv2d'), ws = cx.st(weight, 'conv2d'), bs = bias === null ? null : cx.st(bias, 'conv2d');
    const d = dimsOf(s);
    const out = cx.own('float32', s.batch * s.outChannels * d.p);
    if (out.size === 0) return out;
    return producing(cx, out, () => runJob(cx, s, d, FORWARD, 0, s.batch, xs.ptr, ws.ptr, bs ? bs.ptr : 0, out.ptr));
  };
}

export function makeConv2dBackwardInput(cx: Context) {
  return (grad: Storage, weight: Storage, s: Conv2dSpec, dtype: DType): Storage => {
    float32Only('conv2dBackwardInput', dtype);
    const gs = cx.st(grad, 'conv2dBackwardInput'), ws = cx.st(weight, 'conv2dBackwardInput');
    const d = dimsOf(s);
    const out = cx.own('float32', s.batch * s.inChannels * s.inSize[0] * s.inSize[1]);
    if (out.size === 0) return out;
    return producing(cx, out, () => runJob(cx, s, d, INPUT_GRAD, 0, s.batch, gs.ptr, ws.ptr, 0, out.ptr));
  };
}

export function makeConv2dBackwardWeight(cx: Context) {
  return (x: Storage, grad: Storage, s: Conv2dSpec, dtype: DType): Storage => {
    float32Only('conv2dBackwardWeight', dtype);
    const xs = cx.st(x, 'conv2dBackwardWeight'), gs = cx.st(grad, 'conv2dBackwardWeight');
    const d = dimsOf(s);
    const out = cx.own('float32', s.outChannels * d.k);
    if (out.size === 0) return out;
    return producing(cx, out, () => {
      if (s.batch === 0 || d.p === 0) {
        cx.k.fill32(0, out.size, out.ptr);
        return;
      }
      // dW^T (g, k, og) summed over samples: `sum` is slot 0 of the first job, then every job's
      // slots are added in sample order (the same additions whatever thread made each slot)
      const slot = d.g * d.k * d.og * 4;
      const threads = cx.pool ? cx.pool.threads : 1;
      const chunk = threads === 1 ? 1 : Math.max(1, Math.min(s.batch, Math.floor(SLOT_BYTES / slot)));
      const scratch = scratchOf(cx);
      try {
        const sum = scratch.take((chunk + 1) * slot);
        for (let n0 = 0; n0 < s.batch; n0 += chunk) {
          const n1 = Math.min(s.batch, n0 + chunk);
          const first = n0 === 0 ? sum : sum + slot;
          runJob(cx, s, d, WEIGHT_GRAD, n0, n1, xs.ptr, gs.ptr, 0, first);
          for (let t = n0 === 0 ? 1 : 0; t < n1 - n0; t++) cx.k.addInto(sum, first + t * slot, slot / 4);
        }
        // (g, k, og) -> (g, og, k)
        cx.k.stridedCopy(4, cx.args(encodeStrided([d.g, d.og, d.k], [[d.k * d.og, 1, d.og]])), sum, out.ptr);
      } finally {
        scratch.release();
      }
    });
  };
}
