import type { Pool2dSpec } from '../../backend/types.js';
import { ShapeError, ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { fmt } from '../../shape.js';
import { tidy } from '../../memory/scope.js';
import type { Tensor } from '../../tensor.js';
import { single, type IntOrPair, type IntOrSingle } from './conv.js';
import type { WindowCache } from './im2col.js';
import { avgPool2dOp, maxPool2dOp } from './pool-ops.js';
import { checkInt, pair, requireFloat } from './util.js';

/** Options of MaxPool2d and nn.functional.maxPool2d. */
export interface MaxPool2dOptions {
  /** Default: kernelSize. */
  stride?: IntOrPair | null;
  /** Implicit -inf padding on both sides; at most half the kernel size. Default 0. */
  padding?: IntOrPair;
  /** Default 1. */
  dilation?: IntOrPair;
  /** Use ceil instead of floor for the output size (windows may run off the bottom/right edge). Default false. */
  ceilMode?: boolean;
  /**
   * Also return each maximum's position, row * W + col in its (H, W) input plane (int32, the
   * output's shape), as PyTorch's return_indices. Default false.
   */
  returnIndices?: boolean;
}

/** Options of MaxPool1d and nn.functional.maxPool1d. */
export interface MaxPool1dOptions {
  /** Default: kernelSize. */
  stride?: IntOrSingle | null;
  /** Implicit -inf padding on both sides; at most half the kernel size. Default 0. */
  padding?: IntOrSingle;
  /** Default 1. */
  dilation?: IntOrSingle;
  /** Use ceil instead of floor for the output length. Default false. */
  ceilMode?: boolean;
  /** Also return each maximum's position along L (int32, the output's shape), as PyTorch's return_indices. Default false. */
  returnIndices?: boolean;
}

/** Options of AvgPool2d and nn.functional.avgPool2d. */
export interface AvgPool2dOptions {
  /** Default: kernelSize. */
  stride?: IntOrPair | null;
  /** Implicit zero padding on both sides; at most half the kernel size. Default 0. */
  padding?: IntOrPair;
  /** Use ceil instead of floor for the output size. Default false. */
  ceilMode?: boolean;
  /** Count the padded zeros in each window's divisor. Default true. */
  countIncludePad?: boolean;
  /** Divide every window's sum by this instead (non-zero). Default null. */
  divisorOverride?: number | null;
}

/** The keys each pooling accepts (checked with checkOptions). */
export const MAX_POOL2D_OPTIONS: OptionKeys<MaxPool2dOptions> = { stride: true, padding: true, dilation: true, ceilMode: true, returnIndices: true };
export const MAX_POOL1D_OPTIONS: OptionKeys<MaxPool1dOptions> = { stride: true, padding: true, dilation: true, ceilMode: true, returnIndices: true };
export const AVG_POOL2D_OPTIONS: OptionKeys<AvgPool2dOptions> = {
  stride: true, padding: true, ceilMode: true, countIncludePad: true, divisorOverride: true,
};

/** Pooling options resolved to pairs ([H, W]; 1-D pools with H = 1). */
export interface PoolSettings {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  ceilMode: boolean;
  countIncludePad: boolean;
  divisorOverride: number;
}

/** Output length of pooling, with PyTorch's rule that the last window starts inside the input or its left padding. */
function poolCount(op: string, size: number, k: number, s: number, p: number, d: number, ceil: boolean, shape: readonly number[]): number {
  const span = d * (k - 1) + 1;
  const num = size + 2 * p - span;
  let out = (ceil ? Math.ceil(num / s) : Math.floor(num / s)) + 1;
  if (ceil && (out - 1) * s >= size + p) out--;
  if (num < 0 || out < 1) {
    throw new ShapeError(`${op}: kernel size ${k} (dilation ${d}, spanning ${span}) is larger than the padded input size ${size + 2 * p} (input shape ${fmt(shape)})`);
  }
  return out;
}

function checkHalfKernel(op: string, s: PoolSettings): void {
  if (s.padding[0] * 2 > s.kernel[0] || s.padding[1] * 2 > s.kernel[1]) {
    throw new ValueError(`${op}: padding should be at most half of the kernel size, got padding ${fmt(s.padding)} for kernel ${fmt(s.kernel)}`);
  }
}

/** MaxPool2d's options resolved and checked (kernel, stride defaulting to it, padding at most half the kernel). */
export function maxPool2dSettings(op: string, kernelSize: IntOrPair, opts: MaxPool2dOptions): PoolSettings {
  const kernel = pair(op, 'kernelSize', kernelSize, 1);
  const s: PoolSettings = {
    kernel, stride: pair(op, 'stride', opts.stride ?? kernel, 1), padding: pair(op, 'padding', opts.padding ?? 0, 0),
    dilation: pair(op, 'dilation', opts.dilation ?? 1, 1), ceilMode: opts.ceilMode ?? false, countIncludePad: true, divisorOverride: 0,
  };
  checkHalfKernel(op, s);
  return s;
}

/** MaxPool1d's options as a 2-D pool of height 1. */
export function maxPool1dSettings(op: string, kernelSize: IntOrSingle, opts: MaxPool1dOptions): PoolSettings {
  const k = single(op, 'kernelSize', kernelSize, 1);
  const s: PoolSettings = {
    kernel: [1, k], stride: [1, single(op, 'stride', opts.stride ?? k, 1)], padding: [0, single(op, 'padding', opts.padding ?? 0, 0)],
    dilation: [1, single(op, 'dilation', opts.dilation ?? 1, 1)], ceilMode: opts.ceilMode ?? false, countIncludePad: true, divisorOverride: 0,
  };
  checkHalfKernel(op, s);
  return s;
}

/** AvgPool2d's options resolved and checked (divisorOverride non-zero). */
export function avgPool2dSettings(op: string, kernelSize: IntOrPair, opts: AvgPool2dOptions): PoolSettings {
  const kernel = pair(op, 'kernelSize', kernelSize, 1);
  const divisor = opts.divisorOverride ?? 0;
  if (opts.divisorOverride !== undefined && opts.divisorOverride !== null && (!Number.isInteger(divisor) || divisor === 0)) {
    throw new ValueError(`${op}: divisorOverride must be a non-zero integer or null, got ${String(opts.divisorOverride)}`);
  }
  const s: PoolSettings = {
    kernel, stride: pair(op, 'stride', opts.stride ?? kernel, 1), padding: pair(op, 'padding', opts.padding ?? 0, 0), dilation: [1, 1],
    ceilMode: opts.ceilMode ?? false, countIncludePad: opts.countIncludePad ?? true, divisorOverride: divisor,
  };
  checkHalfKernel(op, s);
  return s;
}

/** @internal Pools (N, C, H, W) or (C, H, W) input (spatial 2), or (N, C, L) or (C, L) (spatial 1). */
export function poolImpl(op: string, kind: 'max' | 'avg', x: Tensor, s: PoolSettings, spatial: 1 | 2, cache: WindowCache | null): Tensor {
  return poolWithIndices(op, kind, x, s, spatial, cache, false)[0];
}

/**
 * @internal poolImpl, and for max pooling with `withIndices` also each maximum's position in its
 * input plane (row * W + col; along L for 1-D), shaped as the output.
 */
export function poolWithIndices(op: string, kind: 'max' | 'avg', x: Tensor, s: PoolSettings, spatial: 1 | 2, cache: WindowCache | null, withIndices: boolean): [Tensor, Tensor | null] {
  requireFloat(op, x);
  const dimsName = spatial === 2 ? '(C, H, W)' : '(C, L)';
  if (x.ndim !== spatial + 1 && x.ndim !== spatial + 2) {
    throw new ShapeError(`${op}: expected a ${spatial + 1}-D ${dimsName} or ${spatial + 2}-D (N, ${dimsName.slice(1)} input, got shape ${fmt(x.shape)}`);
  }
  const batched = x.ndim === spatial + 2;
  const [h, w] = spatial === 2 ? x.shape.slice(-2) : [1, x.shape[x.ndim - 1]];
  const outSize: [number, number] = [
    poolCount(op, h, s.kernel[0], s.stride[0], s.padding[0], s.dilation[0], s.ceilMode, x.shape),
    poolCount(op, w, s.kernel[1], s.stride[1], s.padding[1], s.dilation[1], s.ceilMode, x.shape),
  ];
  return tidy(() => {
    let x4 = batched ? x : x.unsqueeze(0);
    if (spatial === 1) x4 = x4.unsqueeze(2);
    const spec: Pool2dSpec = {
      planes: x4.shape[0] * x4.shape[1], inSize: [h, w], outSize, kernel: s.kernel, stride: s.stride, padding: s.padding,
      dilation: s.dilation, countIncludePad: s.countIncludePad, divisorOverride: s.divisorOverride,
    };
    const back = (t: Tensor): Tensor => {
      const t3 = spatial === 1 ? t.squeeze(2) : t;
      return batched ? t3 : t3.squeeze(0);
    };
    if (kind === 'avg') return [back(avgPool2dOp(x4, spec, cache)), null];
    const { out, indices } = maxPool2dOp(x4, spec, cache, withIndices);
    return [back(out), withIndices ? back(indices) : null];
  });
}

/**
 * torch.nn.functional.max_pool2d: the max of each window of (N, C, H, W) or (C, H, W) input;
 * the gradient goes to the element that was the max (the first one on ties), as in PyTorch.
 * With `returnIndices`, returns [output, indices]: each maximum's position row * W + col in its
 * (H, W) plane, int32 (PyTorch's are int64), for a window whose maximum is -inf the first
 * position inside the input.
 *
 * @example
 * const x = randn([1, 2, 6, 6], { requiresGrad: true });
 * const y = nn.functional.maxPool2d(x, 2);   // [1, 2, 3, 3]
 * y.sum().backward();
 * const [out, where] = nn.functional.maxPool2d(x, 2, { returnIndices: true });   // where: int32 [1, 2, 3, 3]
 */
export function maxPool2d(x: Tensor, kernelSize: IntOrPair, opts: MaxPool2dOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(x: Tensor, kernelSize: IntOrPair, opts?: MaxPool2dOptions & { returnIndices?: false }): Tensor;
export function maxPool2d(x: Tensor, kernelSize: IntOrPair, opts?: MaxPool2dOptions): Tensor | [Tensor, Tensor];
export function maxPool2d(x: Tensor, kernelSize: IntOrPair, opts: MaxPool2dOptions = {}): Tensor | [Tensor, Tensor] {
  const o = checkOptions('maxPool2d', opts, MAX_POOL2D_OPTIONS);
  const [out, indices] = poolWithIndices('maxPool2d', 'max', x, maxPool2dSettings('maxPool2d', kernelSize, o), 2, null, o.returnIndices ?? false);
  return indices ? [out, indices] : out;
}

/**
 * torch.nn.functional.max_pool1d: the max of each window of (N, C, L) or (C, L) input; the
 * gradient goes to the element that was the max (the first one on ties). With `returnIndices`,
 * also each maximum's position along L (int32).
 *
 * @example
 * const x = randn([2, 3, 9], { requiresGrad: true });
 * const y = nn.functional.maxPool1d(x, 3, { stride: 2 });   // [2, 3, 4]
 * y.sum().backward();
 */
export function maxPool1d(x: Tensor, kernelSize: IntOrSingle, opts: MaxPool1dOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool1d(x: Tensor, kernelSize: IntOrSingle, opts?: MaxPool1dOptions & { returnIndices?: false }): Tensor;
export function maxPool1d(x: Tensor, kernelSize: IntOrSingle, opts?: MaxPool1dOptions): Tensor | [Tensor, Tensor];
export function maxPool1d(x: Tensor, kernelSize: IntOrSingle, opts: MaxPool1dOptions = {}): Tensor | [Tensor, Tensor] {
  const o = checkOptions('maxPool1d', opts, MAX_POOL1D_OPTIONS);
  const [out, indices] = poolWithIndices('maxPool1d', 'max', x, maxPool1dSettings('maxPool1d', kernelSize, o), 1, null, o.returnIndices ?? false);
  return indices ? [out, indices] : out;
}

/**
 * torch.nn.functional.avg_pool2d: the mean of each window of (N, C, H, W) or (C, H, W) input.
 * With padding, countIncludePad (default true) counts the padded zeros in the divisor;
 * divisorOverride replaces the divisor.
 *
 * @example
 * const x = randn([1, 2, 5, 5], { requiresGrad: true });
 * const y = nn.functional.avgPool2d(x, 3, { stride: 2, padding: 1 });   // [1, 2, 3, 3]
 * y.sum().backward();
 */
export function avgPool2d(x: Tensor, kernelSize: IntOrPair, opts: AvgPool2dOptions = {}): Tensor {
  const o = checkOptions('avgPool2d', opts, AVG_POOL2D_OPTIONS);
  return poolImpl('avgPool2d', 'avg', x, avgPool2dSettings('avgPool2d', kernelSize, o), 2, null);
}

/** An adaptive pool's target size; null keeps the input's size in that dim. */
export type AdaptiveSize = number | null | readonly [number | null, number | null];

export function checkAdaptiveSize(op: string, size: AdaptiveSize): [number | null, number | null] {
  const list = Array.isArray(size) ? size : [size, size];
  if (list.length !== 2) throw new ValueError(`${op}: outputSize must be an integer, null or a pair, got ${JSON.stringify(size)}`);
  return list.map((v) => (v === null ? null : checkInt(op, 'outputSize', v, 1))) as [number | null, number | null];
}
