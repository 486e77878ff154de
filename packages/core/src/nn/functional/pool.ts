import { ShapeError, ValueError } from '../../errors.js';
import { fmt } from '../../shape.js';
import { tidy } from '../../memory/scope.js';
import type { Tensor } from '../../tensor.js';
import type { IntOrPair } from './conv.js';
import { unfoldWindows, type WindowCache, type WindowGeometry } from './im2col.js';
import { pair, requireFloat } from './util.js';

/** Options of `maxPool2d` and `nn.MaxPool2d`. */
export interface MaxPool2dOptions {
  /** Default: kernelSize. */
  stride?: IntOrPair | null;
  /** Implicit -inf padding on both sides; at most half the kernel size. Default 0. */
  padding?: IntOrPair;
  /** Default 1. */
  dilation?: IntOrPair;
  /** Use ceil instead of floor for the output size (windows may run off the bottom/right edge). Default false. */
  ceilMode?: boolean;
}

/** Output length of max pooling, with PyTorch's rule that the last window starts inside the input. */
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

/** @internal maxPool2d with an optional cached gather index (MaxPool2d keeps one per input shape). */
export function maxPool2dImpl(op: string, x: Tensor, kernelSize: IntOrPair, opts: MaxPool2dOptions, cache: WindowCache | null): Tensor {
  requireFloat(op, x);
  if (x.ndim !== 3 && x.ndim !== 4) throw new ShapeError(`${op}: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape ${fmt(x.shape)}`);
  const kernel = pair(op, 'kernelSize', kernelSize, 1);
  const stride = pair(op, 'stride', opts.stride ?? kernel, 1);
  const padding = pair(op, 'padding', opts.padding ?? 0, 0);
  const dilation = pair(op, 'dilation', opts.dilation ?? 1, 1);
  if (padding[0] * 2 > kernel[0] || padding[1] * 2 > kernel[1]) {
    throw new ValueError(`${op}: padding should be at most half of the kernel size, got padding ${fmt(padding)} for kernel ${fmt(kernel)}`);
  }
  const ceil = opts.ceilMode ?? false;
  const [h, w] = x.shape.slice(-2);
  const g: WindowGeometry = {
    kernel,
    stride,
    dilation,
    padBefore: padding,
    out: [
      poolCount(op, h, kernel[0], stride[0], padding[0], dilation[0], ceil, x.shape),
      poolCount(op, w, kernel[1], stride[1], padding[1], dilation[1], ceil, x.shape),
    ],
  };
  return tidy(() => {
    const x4 = x.ndim === 4 ? x : x.unsqueeze(0);
    const [n, c] = x4.shape;
    const [oh, ow] = g.out;
    // taps are outermost in kernel row-major order, so ties go to the first tap, as PyTorch scans
    const taps = unfoldWindows(x4, g, -Infinity, cache);
    const y = taps.reshape([n, c, kernel[0] * kernel[1], oh * ow]).max(2).values.reshape([n, c, oh, ow]);
    return x.ndim === 4 ? y : y.squeeze(0);
  });
}

/**
 * torch.nn.functional.max_pool2d: the max of each window of (N, C, H, W) or (C, H, W) input;
 * the gradient goes to the element that was the max (the first one on ties), as in PyTorch.
 */
export function maxPool2d(x: Tensor, kernelSize: IntOrPair, opts: MaxPool2dOptions = {}): Tensor {
  return maxPool2dImpl('maxPool2d', x, kernelSize, opts, null);
}
