import { ShapeError, ValueError } from '../../errors.js';
import { fmt } from '../../shape.js';
import { tidy } from '../../memory/scope.js';
import type { Tensor } from '../../tensor.js';
import { unfoldWindows, windowCount, type WindowCache, type WindowGeometry } from './im2col.js';
import { checkInt, pair, requireFloat, requireSameDType } from './util.js';

/** A size for both spatial dims (number) or for (H, W) separately (pair), as PyTorch's int-or-tuple. */
export type IntOrPair = number | readonly [number, number];

/** Options of `conv2d` and `nn.Conv2d` (PyTorch's, with their defaults). */
export interface Conv2dOptions {
  /** Default 1. */
  stride?: IntOrPair;
  /** Zero padding on both sides of H and W, or 'valid' (none) or 'same' (output size = input size; stride 1 only). Default 0. */
  padding?: IntOrPair | 'valid' | 'same';
  /** Spacing between kernel taps. Default 1. */
  dilation?: IntOrPair;
  /** Channels are split into this many independent groups. Default 1. */
  groups?: number;
}

/** The validated padding as [top, bottom, left, right]. */
function resolvePadding(op: string, padding: Conv2dOptions['padding'], stride: [number, number], k: [number, number], d: [number, number]): number[] {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) throw new ValueError(`${op}: padding='same' is not supported for strided convolutions (stride ${fmt(stride)})`);
    // PyTorch puts the odd pixel of padding at the bottom/right
    const [th, tw] = [d[0] * (k[0] - 1), d[1] * (k[1] - 1)];
    return [th >> 1, th - (th >> 1), tw >> 1, tw - (tw >> 1)];
  }
  if (typeof padding === 'string') throw new ValueError(`${op}: padding must be an integer, a pair, 'valid' or 'same', got '${padding}'`);
  const [ph, pw] = pair(op, 'padding', padding ?? 0, 0);
  return [ph, ph, pw, pw];
}

/** @internal conv2d with an optional cached gather index (Conv2d keeps one per input shape). */
export function conv2dImpl(
  op: string, x: Tensor, weight: Tensor, bias: Tensor | null, opts: Conv2dOptions, cache: WindowCache | null,
): Tensor {
  requireFloat(op, x);
  requireSameDType(op, x, weight, 'weight');
  requireSameDType(op, x, bias, 'bias');
  if (weight.ndim !== 4) throw new ShapeError(`${op}: weight must be 4-D [out, in / groups, kH, kW], got shape ${fmt(weight.shape)}`);
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new ShapeError(`${op}: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape ${fmt(x.shape)}`);
  }
  const groups = checkInt(op, 'groups', opts.groups ?? 1, 1);
  const [outC, inPerGroup, kh, kw] = weight.shape;
  if (outC % groups !== 0) throw new ValueError(`${op}: out channels (${outC}) must be divisible by groups (${groups})`);
  const c = x.shape[x.ndim - 3];
  if (c !== inPerGroup * groups) {
    throw new ShapeError(
      `${op}: input has ${c} channels (shape ${fmt(x.shape)}), expected ${inPerGroup * groups} (weight ${fmt(weight.shape)}, groups ${groups})`,
    );
  }
  if (kh < 1 || kw < 1) throw new ShapeError(`${op}: kernel size must be positive, got weight shape ${fmt(weight.shape)}`);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outC)) throw new ShapeError(`${op}: bias must have shape [${outC}], got ${fmt(bias.shape)}`);
  const stride = pair(op, 'stride', opts.stride ?? 1, 1);
  const dilation = pair(op, 'dilation', opts.dilation ?? 1, 1);
  const [pt, pb, pl, pr] = resolvePadding(op, opts.padding, stride, [kh, kw], dilation);
  const [h, w] = x.shape.slice(-2);
  const g: WindowGeometry = {
    kernel: [kh, kw],
    stride,
    dilation,
    padBefore: [pt, pl],
    out: [windowCount(op, h, pt + pb, kh, stride[0], dilation[0], x.shape), windowCount(op, w, pl + pr, kw, stride[1], dilation[1], x.shape)],
  };
  return tidy(() => {
    const x4 = x.ndim === 4 ? x : x.unsqueeze(0);
    const [n] = x4.shape;
    const [oh, ow] = g.out;
    const k = inPerGroup * kh * kw;
    // cols: (N, groups, C/groups * kh * kw, oh * ow); weight: (groups, out/groups, C/groups * kh * kw)
    const cols = unfoldWindows(x4, g, 0, cache);
    const wm = weight.reshape(groups === 1 ? [outC, k] : [groups, outC / groups, k]);
    let y = wm.matmul(cols.reshape(groups === 1 ? [n, k, oh * ow] : [n, groups, k, oh * ow])).reshape([n, outC, oh, ow]);
    if (bias) y = y.add(bias.reshape([1, outC, 1, 1]));
    return x.ndim === 4 ? y : y.squeeze(0);
  });
}

/**
 * torch.nn.functional.conv2d: 2-D cross-correlation of (N, C, H, W) (or unbatched (C, H, W))
 * input with weight (out, C / groups, kH, kW), plus bias (out). im2col by one gather, then a
 * matmul; the gradient comes from autograd.
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv2dOptions = {}): Tensor {
  return conv2dImpl('conv2d', x, weight, bias, opts, null);
}
