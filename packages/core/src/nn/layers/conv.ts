import { ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { zeros } from '../../ops/creation.js';
import type { Tensor } from '../../tensor.js';
import { Module, Parameter } from '../module.js';
import { kaimingUniform_, uniform_ } from '../init.js';
import {
  checkPaddingMode, conv1dSettings, conv2dSettings, convImpl, single,
  type Conv1dOptions, type Conv2dOptions, type ConvSettings, type IntOrPair, type IntOrSingle, type PaddingMode,
} from '../functional/conv.js';
import { WindowCache } from '../functional/im2col.js';
import { checkInt, pair } from '../functional/util.js';
import { paramDType, type FactoryOptions } from './factory.js';

/** Options of nn.Conv2d (torch.nn.Conv2d's keyword arguments). */
export interface Conv2dLayerOptions extends Omit<Conv2dOptions, 'groups'>, FactoryOptions {
  /** Default 1; inChannels and outChannels must both be divisible by it. */
  groups?: number;
  /** Learn a per-output-channel bias. Default true. */
  bias?: boolean;
  /** How the input is padded: 'zeros', 'reflect', 'replicate' or 'circular'. Default 'zeros'. */
  paddingMode?: PaddingMode;
}

/** Options of nn.Conv1d (torch.nn.Conv1d's keyword arguments). */
export interface Conv1dLayerOptions extends Omit<Conv1dOptions, 'groups'>, FactoryOptions {
  /** Default 1; inChannels and outChannels must both be divisible by it. */
  groups?: number;
  /** Learn a per-output-channel bias. Default true. */
  bias?: boolean;
  /** How the input is padded: 'zeros', 'reflect', 'replicate' or 'circular'. Default 'zeros'. */
  paddingMode?: PaddingMode;
}

const LAYER_KEYS = { stride: true, padding: true, dilation: true, groups: true, bias: true, paddingMode: true, dtype: true } as const;
/** The keys nn.Conv2d accepts. */
export const CONV2D_LAYER_OPTIONS: OptionKeys<Conv2dLayerOptions> = LAYER_KEYS;
/** The keys nn.Conv1d accepts. */
export const CONV1D_LAYER_OPTIONS: OptionKeys<Conv1dLayerOptions> = LAYER_KEYS;

// Each layer's im2col index cache, kept out of the class so its type stays out of the public declarations.
const windowCaches = new WeakMap<object, WindowCache>();
function windowsOf(layer: object): WindowCache {
  let w = windowCaches.get(layer);
  if (!w) { w = new WindowCache(); windowCaches.set(layer, w); }
  return w;
}

/** What Conv1d and Conv2d share: channels, groups, parameters and PyTorch's initialisation. */
export abstract class ConvNd extends Module {
  /** Channels C_in of the input. */
  readonly inChannels: number;
  /** Channels C_out of the output (one filter each). */
  readonly outChannels: number;
  /** Channel groups: each output channel sees inChannels / groups input channels (1: all). */
  readonly groups: number;
  /** How the input is padded: 'zeros' (default), 'reflect', 'replicate' or 'circular'. */
  readonly paddingMode: PaddingMode;
  /** The learnable filters, shape [outChannels, inChannels / groups, ...kernelSize]. */
  weight: Tensor;
  /** The learnable bias, shape [outChannels]; null when created with `bias: false`. */
  bias: Tensor | null;

  protected constructor(
    op: string, inChannels: number, outChannels: number, kernel: readonly number[],
    opts: { groups?: number; bias?: boolean; paddingMode?: PaddingMode } & FactoryOptions,
  ) {
    super();
    this.inChannels = checkInt(op, 'inChannels', inChannels, 1);
    this.outChannels = checkInt(op, 'outChannels', outChannels, 1);
    this.groups = checkInt(op, 'groups', opts.groups ?? 1, 1);
    if (inChannels % this.groups !== 0) throw new ValueError(`${op}: inChannels (${inChannels}) must be divisible by groups (${this.groups})`);
    if (outChannels % this.groups !== 0) throw new ValueError(`${op}: outChannels (${outChannels}) must be divisible by groups (${this.groups})`);
    this.paddingMode = checkPaddingMode(op, opts.paddingMode ?? 'zeros');
    const dtype = paramDType(op, opts);
    this.weight = Parameter(zeros([outChannels, inChannels / this.groups, ...kernel], { dtype }));
    this.bias = (opts.bias ?? true) ? Parameter(zeros([outChannels], { dtype })) : null;
    this.resetParameters();
  }

  /** Re-draws the parameters from PyTorch's default distributions (seeded). */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const fanIn = this.weight.shape.slice(1).reduce((a, b) => a * b, 1);
      const bound = 1 / Math.sqrt(fanIn);
      uniform_(this.bias, -bound, bound);
    }
  }
}

/**
 * 2-D convolution (cross-correlation) over (N, C_in, H, W) input:
 * out[n, o] = bias[o] + sum_c weight[o, c] ⋆ input[n, c], the sum over the channels of o's group.
 *
 * Parameters: `weight` [outChannels, inChannels / groups, kH, kW] and `bias` [outChannels],
 * initialised from U(-1/sqrt(fanIn), 1/sqrt(fanIn)), fanIn = inChannels / groups * kH * kW,
 * as PyTorch does.
 *
 * Options: `stride` (1), `padding` (0, a pair, 'valid' or 'same'), `dilation` (1), `groups` (1),
 * `bias` (true), `paddingMode` ('zeros'; or 'reflect', 'replicate', 'circular'), `dtype` ('float32').
 *
 * Shape: input (N, C_in, H, W) or (C_in, H, W); output (N, C_out, H_out, W_out) with
 * H_out = floor((H + 2 padding - dilation (kH - 1) - 1) / stride) + 1.
 *
 * @example
 * const conv = new nn.Conv2d(3, 8, 3, { padding: 1 });
 * const y = conv.forward(randn([2, 3, 16, 16]));   // [2, 8, 16, 16]
 * y.sum().backward();
 */
export class Conv2d extends ConvNd {
  /** The filter size [kH, kW]. */
  readonly kernelSize: [number, number];
  /** Step between windows [sH, sW]; default [1, 1]. */
  readonly stride: [number, number];
  /** Padding [pH, pW] on each side of the input (default [0, 0]), or 'valid' (none) or 'same' (output as large as the input). */
  readonly padding: [number, number] | 'valid' | 'same';
  /** Spacing between filter taps [dH, dW]; default [1, 1]. */
  readonly dilation: [number, number];
  private readonly settings: ConvSettings;

  constructor(inChannels: number, outChannels: number, kernelSize: IntOrPair, opts: Conv2dLayerOptions = {}) {
    const o = checkOptions('Conv2d', opts, CONV2D_LAYER_OPTIONS);
    const kernel = pair('Conv2d', 'kernelSize', kernelSize, 1);
    const settings = conv2dSettings('Conv2d', o, kernel, checkPaddingMode('Conv2d', o.paddingMode ?? 'zeros'));
    super('Conv2d', inChannels, outChannels, kernel, o);
    this.kernelSize = kernel;
    this.stride = settings.stride;
    this.dilation = settings.dilation;
    const p = o.padding ?? 0;
    this.padding = p === 'same' || p === 'valid' ? p : pair('Conv2d', 'padding', p, 0);
    this.settings = settings;
  }

  forward(x: Tensor): Tensor {
    return convImpl('Conv2d', x, this.weight, this.bias, this.settings, 2, windowsOf(this));
  }
}

/**
 * 1-D convolution (cross-correlation) over (N, C_in, L) input:
 * out[n, o] = bias[o] + sum_c weight[o, c] ⋆ input[n, c], the sum over the channels of o's group.
 *
 * Parameters: `weight` [outChannels, inChannels / groups, kernelSize] and `bias` [outChannels],
 * initialised from U(-1/sqrt(fanIn), 1/sqrt(fanIn)), fanIn = inChannels / groups * kernelSize,
 * as PyTorch does.
 *
 * Options: `stride` (1), `padding` (0, 'valid' or 'same'), `dilation` (1), `groups` (1),
 * `bias` (true), `paddingMode` ('zeros'; or 'reflect', 'replicate', 'circular'), `dtype` ('float32').
 *
 * Shape: input (N, C_in, L) or (C_in, L); output (N, C_out, L_out) with
 * L_out = floor((L + 2 padding - dilation (kernelSize - 1) - 1) / stride) + 1.
 *
 * @example
 * const conv = new nn.Conv1d(4, 6, 3, { padding: 1, paddingMode: 'reflect' });
 * const y = conv.forward(randn([2, 4, 10]));   // [2, 6, 10]
 * y.sum().backward();
 */
export class Conv1d extends ConvNd {
  /** The filter size, [k]. */
  readonly kernelSize: [number];
  /** Step between windows, [s]; default [1]. */
  readonly stride: [number];
  /** Padding [p] on each side of the input (default [0]), or 'valid' (none) or 'same' (output as long as the input). */
  readonly padding: [number] | 'valid' | 'same';
  /** Spacing between filter taps, [d]; default [1]. */
  readonly dilation: [number];
  private readonly settings: ConvSettings;

  constructor(inChannels: number, outChannels: number, kernelSize: IntOrSingle, opts: Conv1dLayerOptions = {}) {
    const o = checkOptions('Conv1d', opts, CONV1D_LAYER_OPTIONS);
    const k = single('Conv1d', 'kernelSize', kernelSize, 1);
    const settings = conv1dSettings('Conv1d', o, k, checkPaddingMode('Conv1d', o.paddingMode ?? 'zeros'));
    super('Conv1d', inChannels, outChannels, [k], o);
    this.kernelSize = [k];
    this.stride = [settings.stride[1]];
    this.dilation = [settings.dilation[1]];
    const p = o.padding ?? 0;
    this.padding = p === 'same' || p === 'valid' ? p : [single('Conv1d', 'padding', p, 0)];
    this.settings = settings;
  }

  forward(x: Tensor): Tensor {
    return convImpl('Conv1d', x, this.weight, this.bias, this.settings, 1, windowsOf(this));
  }
}
