import { ValueError } from '../../errors.js';
import { zeros } from '../../ops/creation.js';
import type { Tensor } from '../../tensor.js';
import { Module, Parameter } from '../module.js';
import { kaimingUniform_, uniform_ } from '../init.js';
import { conv2dImpl, type Conv2dOptions, type IntOrPair } from '../functional/conv.js';
import { WindowCache } from '../functional/im2col.js';
import { checkInt, pair } from '../functional/util.js';
import { paramDType, type FactoryOptions } from './factory.js';

/** Options of {@link Conv2d}: those of `functional.conv2d` plus `bias` and `dtype`. */
export interface Conv2dLayerOptions extends Omit<Conv2dOptions, 'groups'>, FactoryOptions {
  /** Default 1; inChannels and outChannels must both be divisible by it. */
  groups?: number;
  /** Learn a per-output-channel bias. Default true. */
  bias?: boolean;
}

/**
 * 2-D convolution (cross-correlation) over (N, C, H, W) input:
 * out[n, o] = bias[o] + sum_c weight[o, c] * input[n, c] (windowed).
 *
 * Parameters: `weight` [outChannels, inChannels / groups, kH, kW] and `bias` [outChannels],
 * initialised from U(-1/sqrt(fanIn), 1/sqrt(fanIn)), fanIn = inChannels / groups * kH * kW,
 * as PyTorch does.
 *
 * Options: `stride` (1), `padding` (0, a pair, 'valid' or 'same'), `dilation` (1), `groups` (1),
 * `bias` (true), `dtype` ('float32').
 *
 * Shape: input (N, C_in, H, W) or (C_in, H, W); output (N, C_out, H_out, W_out) with
 * H_out = floor((H + 2 padding - dilation (kH - 1) - 1) / stride) + 1.
 *
 * @example
 * const conv = new nn.Conv2d(3, 8, 3, { padding: 1 });
 * const y = conv.forward(randn([2, 3, 16, 16]));   // [2, 8, 16, 16]
 * y.sum().backward();
 */
export class Conv2d extends Module {
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output (the number of filters). */
  readonly outChannels: number;
  /** The filter's (kH, kW). */
  readonly kernelSize: [number, number];
  /** Step between windows, (sH, sW). */
  readonly stride: [number, number];
  /** Zero padding on each side, (pH, pW), or 'valid' / 'same'. */
  readonly padding: [number, number] | 'valid' | 'same';
  /** Spacing between filter taps, (dH, dW). */
  readonly dilation: [number, number];
  /** Independent channel groups. */
  readonly groups: number;
  /** The learnable filters, shape [outChannels, inChannels / groups, kH, kW]. */
  weight: Tensor;
  /** The learnable bias, shape [outChannels]; null with `bias: false`. */
  bias: Tensor | null;
  private readonly windows = new WindowCache();

  /**
   * @param inChannels - Channels of the input.
   * @param outChannels - Channels of the output.
   * @param kernelSize - The filter size: a number or (kH, kW).
   * @param opts - `stride` (1), `padding` (0), `dilation` (1), `groups` (1), `bias` (true), `dtype` ('float32').
   */
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrPair, opts: Conv2dLayerOptions = {}) {
    super();
    const op = 'Conv2d';
    this.inChannels = checkInt(op, 'inChannels', inChannels, 1);
    this.outChannels = checkInt(op, 'outChannels', outChannels, 1);
    this.kernelSize = pair(op, 'kernelSize', kernelSize, 1);
    this.stride = pair(op, 'stride', opts.stride ?? 1, 1);
    this.dilation = pair(op, 'dilation', opts.dilation ?? 1, 1);
    const padding = opts.padding ?? 0;
    if (padding === 'same' || padding === 'valid') {
      if (padding === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1)) {
        throw new ValueError(`${op}: padding='same' is not supported for strided convolutions (stride [${this.stride.join(', ')}])`);
      }
      this.padding = padding;
    } else this.padding = pair(op, 'padding', padding, 0);
    this.groups = checkInt(op, 'groups', opts.groups ?? 1, 1);
    if (inChannels % this.groups !== 0) throw new ValueError(`${op}: inChannels (${inChannels}) must be divisible by groups (${this.groups})`);
    if (outChannels % this.groups !== 0) throw new ValueError(`${op}: outChannels (${outChannels}) must be divisible by groups (${this.groups})`);
    const dtype = paramDType(op, opts);
    this.weight = Parameter(zeros([outChannels, inChannels / this.groups, ...this.kernelSize], { dtype }));
    this.bias = (opts.bias ?? true) ? Parameter(zeros([outChannels], { dtype })) : null;
    this.resetParameters();
  }

  /** Re-draws the parameters from PyTorch's default distributions (seeded). */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const fanIn = (this.inChannels / this.groups) * this.kernelSize[0] * this.kernelSize[1];
      const bound = 1 / Math.sqrt(fanIn);
      uniform_(this.bias, -bound, bound);
    }
  }

  /**
   * The convolution of `x`: (N, C_in, H, W) -> (N, C_out, H_out, W_out), or unbatched (C_in, H, W) -> (C_out, H_out, W_out).
   */
  forward(x: Tensor): Tensor {
    const opts = { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups };
    return conv2dImpl('Conv2d', x, this.weight, this.bias, opts, this.windows);
  }
}
