import type { Conv2dSpec } from '../../backend/types.js';
import { ShapeError, ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { fmt } from '../../shape.js';
import { tidy } from '../../memory/scope.js';
import type { Tensor } from '../../tensor.js';
import { conv2dOp } from './conv-ops.js';
import { windowCount, type WindowCache } from './im2col.js';
import { padByIndex } from './pad.js';
import { checkInt, pair, requireFloat, requireSameDType } from './util.js';

/** A 2-D size: one number for both dims, or [H, W] (PyTorch's int-or-tuple arguments). */
export type IntOrPair = number | readonly [number, number];
/** A 1-D size: a number or PyTorch's 1-tuple. */
export type IntOrSingle = number | readonly [number];

/** How a convolution pads its input: 'zeros' (default) or by reading the input itself, as F.pad does. */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';
/** Every padding mode, in PyTorch's order. */
export const PADDING_MODES: readonly PaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular'];

/** Options of nn.functional.conv2d (torch.nn.functional.conv2d's keyword arguments). */
export interface Conv2dOptions {
  /** Default 1. */
  stride?: IntOrPair;
  /** Padding on both sides of H and W, or 'valid' (none) or 'same' (output size = input size; stride 1 only). Default 0. */
  padding?: IntOrPair | 'valid' | 'same';
  /** Spacing between kernel taps. Default 1. */
  dilation?: IntOrPair;
  /** Channels are split into this many independent groups. Default 1. */
  groups?: number;
}

/** Options of nn.functional.conv1d (torch.nn.functional.conv1d's keyword arguments). */
export interface Conv1dOptions {
  /** Default 1. */
  stride?: IntOrSingle;
  /** Padding on both sides, or 'valid' (none) or 'same' (output length = input length; stride 1 only). Default 0. */
  padding?: IntOrSingle | 'valid' | 'same';
  /** Spacing between kernel taps. Default 1. */
  dilation?: IntOrSingle;
  /** Channels are split into this many independent groups. Default 1. */
  groups?: number;
}

/** The keys nn.functional.conv2d accepts (checked with checkOptions). */
export const CONV2D_OPTIONS: OptionKeys<Conv2dOptions> = { stride: true, padding: true, dilation: true, groups: true };
/** The keys nn.functional.conv1d accepts. */
export const CONV1D_OPTIONS: OptionKeys<Conv1dOptions> = { stride: true, padding: true, dilation: true, groups: true };

/** A convolution's options, resolved to pairs ([H, W]; 1-D runs with H = 1). */
export interface ConvSettings {
  stride: [number, number];
  /** [top, bottom, left, right] */
  padding: [number, number, number, number];
  dilation: [number, number];
  groups: number;
  paddingMode: PaddingMode;
}

/** A 1-D option (number or 1-tuple) as the W half of a pair whose H half is `h`. */
export function single(op: string, name: string, v: IntOrSingle, min: number): number {
  if (Array.isArray(v) && v.length === 1) return checkInt(op, name, v[0], min);
  if (typeof v === 'number') return checkInt(op, name, v, min);
  throw new ValueError(`${op}: ${name} must be an integer or a 1-tuple, got ${JSON.stringify(v)}`);
}

/** PyTorch's padding argument as [top, bottom, left, right] for a (dilated) kernel. */
export function resolvePadding(
  op: string, padding: IntOrPair | 'valid' | 'same', stride: readonly number[], kernel: readonly number[], dilation: readonly number[],
): [number, number, number, number] {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    if (stride.some((s) => s !== 1)) throw new ValueError(`${op}: padding='same' is not supported for strided convolutions (stride ${fmt(stride)})`);
    // PyTorch puts the odd pixel of padding at the bottom/right
    const [th, tw] = [dilation[0] * (kernel[0] - 1), dilation[1] * (kernel[1] - 1)];
    return [th >> 1, th - (th >> 1), tw >> 1, tw - (tw >> 1)];
  }
  if (typeof padding === 'string') throw new ValueError(`${op}: padding must be an integer, a pair, 'valid' or 'same', got '${padding}'`);
  const [ph, pw] = pair(op, 'padding', padding, 0);
  return [ph, ph, pw, pw];
}

/** A padding mode, or a ValueError listing the four. */
export function checkPaddingMode(op: string, mode: unknown): PaddingMode {
  if (!PADDING_MODES.includes(mode as PaddingMode)) {
    throw new ValueError(`${op}: paddingMode must be one of ${PADDING_MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(mode)}`);
  }
  return mode as PaddingMode;
}

/** The functional options of a 2-D convolution, resolved for a kernel of that size. */
export function conv2dSettings(op: string, opts: Conv2dOptions, kernel: readonly [number, number], paddingMode: PaddingMode = 'zeros'): ConvSettings {
  const stride = pair(op, 'stride', opts.stride ?? 1, 1);
  const dilation = pair(op, 'dilation', opts.dilation ?? 1, 1);
  const groups = checkInt(op, 'groups', opts.groups ?? 1, 1);
  return { stride, dilation, groups, padding: resolvePadding(op, opts.padding ?? 0, stride, kernel, dilation), paddingMode };
}

/** The same for a 1-D convolution, as a 2-D one of height 1. */
export function conv1dSettings(op: string, opts: Conv1dOptions, kernel: number, paddingMode: PaddingMode = 'zeros'): ConvSettings {
  const stride: [number, number] = [1, single(op, 'stride', opts.stride ?? 1, 1)];
  const dilation: [number, number] = [1, single(op, 'dilation', opts.dilation ?? 1, 1)];
  const groups = checkInt(op, 'groups', opts.groups ?? 1, 1);
  const p = opts.padding ?? 0;
  const padding = resolvePadding(op, p === 'same' || p === 'valid' ? p : [0, single(op, 'padding', p, 0)], stride, [1, kernel], dilation);
  return { stride, dilation, groups, padding, paddingMode };
}

/**
 * @internal A convolution of x with weight, both with `spatial` trailing dims (1 or 2), unbatched
 * input allowed. Validates, pads by index for a non-zeros padding mode, and runs conv2dOp.
 */
export function convImpl(
  op: string, x: Tensor, weight: Tensor, bias: Tensor | null, s: ConvSettings, spatial: 1 | 2, cache: WindowCache | null,
): Tensor {
  requireFloat(op, x);
  requireSameDType(op, x, weight, 'weight');
  requireSameDType(op, x, bias, 'bias');
  const dimsName = spatial === 2 ? '(C, H, W)' : '(C, L)';
  if (weight.ndim !== spatial + 2) {
    throw new ShapeError(`${op}: weight must be ${spatial + 2}-D [out, in / groups, ${spatial === 2 ? 'kH, kW' : 'kL'}], got shape ${fmt(weight.shape)}`);
  }
  if (x.ndim !== spatial + 1 && x.ndim !== spatial + 2) {
    throw new ShapeError(`${op}: expected a ${spatial + 1}-D ${dimsName} or ${spatial + 2}-D (N, ${dimsName.slice(1)} input, got shape ${fmt(x.shape)}`);
  }
  const groups = s.groups;
  const [outC, inPerGroup] = weight.shape;
  const kernel: [number, number] = spatial === 2 ? [weight.shape[2], weight.shape[3]] : [1, weight.shape[2]];
  if (outC % groups !== 0) throw new ValueError(`${op}: out channels (${outC}) must be divisible by groups (${groups})`);
  const c = x.shape[x.ndim - spatial - 1];
  if (c !== inPerGroup * groups) {
    throw new ShapeError(
      `${op}: input has ${c} channels (shape ${fmt(x.shape)}), expected ${inPerGroup * groups} (weight ${fmt(weight.shape)}, groups ${groups})`,
    );
  }
  if (kernel[0] < 1 || kernel[1] < 1) throw new ShapeError(`${op}: kernel size must be positive, got weight shape ${fmt(weight.shape)}`);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outC)) throw new ShapeError(`${op}: bias must have shape [${outC}], got ${fmt(bias.shape)}`);
  const batched = x.ndim === spatial + 2;
  const [h, w] = spatial === 2 ? x.shape.slice(-2) : [1, x.shape[x.ndim - 1]];
  const [pt, pb, pl, pr] = s.padding;
  const outSize: [number, number] = [
    windowCount(op, h, pt + pb, kernel[0], s.stride[0], s.dilation[0], x.shape),
    windowCount(op, w, pl + pr, kernel[1], s.stride[1], s.dilation[1], x.shape),
  ];
  const zeros = s.paddingMode === 'zeros';
  return tidy(() => {
    let x4 = batched ? x : x.unsqueeze(0);
    if (spatial === 1) x4 = x4.unsqueeze(2);
    if (!zeros) x4 = padByIndex(op, x4, [[pt, pb], [pl, pr]], s.paddingMode as Exclude<PaddingMode, 'zeros'>);
    const [n, , hh, ww] = x4.shape;
    const spec: Conv2dSpec = {
      batch: n, inChannels: c, outChannels: outC, groups, inSize: [hh, ww], outSize, kernel,
      stride: s.stride, padding: zeros ? [pt, pl] : [0, 0], dilation: s.dilation,
    };
    let y = conv2dOp(x4, spatial === 2 ? weight : weight.unsqueeze(2), bias, spec, cache);
    if (spatial === 1) y = y.squeeze(2);
    return batched ? y : y.squeeze(0);
  });
}

/**
 * torch.nn.functional.conv2d: 2-D cross-correlation of (N, C, H, W) (or unbatched (C, H, W))
 * input with weight (out, C / groups, kH, kW), plus bias (out), zero padding. The backend's
 * fused conv2d kernels where it has them, else im2col + matmul; gradients for input, weight and
 * bias.
 *
 * @example
 * const x = randn([2, 3, 8, 8], { requiresGrad: true });
 * const w = randn([4, 3, 3, 3], { requiresGrad: true });
 * const y = nn.functional.conv2d(x, w, null, { padding: 1 });   // [2, 4, 8, 8]
 * y.sum().backward();
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv2dOptions = {}): Tensor {
  const o = checkOptions('conv2d', opts, CONV2D_OPTIONS);
  const kernel: [number, number] = [weight.shape[2] ?? 0, weight.shape[3] ?? 0];
  return convImpl('conv2d', x, weight, bias, conv2dSettings('conv2d', o, kernel), 2, null);
}

/**
 * torch.nn.functional.conv1d: 1-D cross-correlation of (N, C, L) (or unbatched (C, L)) input
 * with weight (out, C / groups, kL), plus bias (out), zero padding; runs as conv2d of height 1.
 *
 * @example
 * const x = randn([2, 3, 10], { requiresGrad: true });
 * const w = randn([4, 3, 3], { requiresGrad: true });
 * const y = nn.functional.conv1d(x, w, null, { stride: 2 });   // [2, 4, 4]
 * y.sum().backward();
 */
export function conv1d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv1dOptions = {}): Tensor {
  const o = checkOptions('conv1d', opts, CONV1D_OPTIONS);
  return convImpl('conv1d', x, weight, bias, conv1dSettings('conv1d', o, weight.shape[2] ?? 0), 1, null);
}
