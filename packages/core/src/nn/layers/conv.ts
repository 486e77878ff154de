import { ValueError } from '../../errors.js';
import { zeros } from '../../ops/creation.js';
import type { Tensor } from '../../tensor.js';
import { Module, Parameter } from '../module.js';
import { kaimingUniform_, uniform_ } from '../init.js';
import { CONV2D_OPTIONS, conv2dImpl, type Conv2dOptions, type IntOrPair } from '../functional/conv.js';
import { WindowCache } from '../functional/im2col.js';
import { checkInt, pair } from '../functional/util.js';
import { paramDType, type FactoryOptions } from './factory.js';
import { checkOptions, type OptionKeys } from '../../options.js';

export interface Conv2dLayerOptions extends Omit<Conv2dOptions, 'groups'>, FactoryOptions {
  /** Default 1; inChannels and outChannels must both be divisible by it. */
  groups?: number;
  /** Learn a per-output-channel bias. Default true. */
  bias?: boolean;
  /** How the border is padded: 'zeros' (the default) only, so far. */
  paddingMode?: 'zeros' | 'reflect' | 'replicate' | 'circular';
}

const CONV2D_LAYER_OPTIONS: OptionKeys<Conv2dLayerOptions> = {
  ...CONV2D_OPTIONS,
  bias: true,
  dtype: true,
  paddingMode: { only: ['zeros'], reason: "only 'zeros' padding is implemented; 'reflect', 'replicate' and 'circular' are planned" },
};

/**
 * 2-D convolution (cross-correlation) over (N, C, H, W) input:
 * out[n, o] = bias[o] + sum_c weight[o, c] * input[n, c] (windowed).
 *
 * Parameters: `weight` [outChannels, inChannels / groups, kH, kW] and `bias` [outChannels],
 * initialised from U(-1/sqrt(fanIn), 1/sqrt(fanIn)), fanIn = inChannels / groups * kH * kW,
 * as PyTorch does.
 *
 * Options: `stride` (1), `padding` (0, a pair, 'valid' or 'same'), `dilation` (1), `groups` (1),
 * `bias` (true), `dtype` ('float32'), `paddingMode` ('zeros'; the other modes are not supported
 * yet and throw a ValueError saying so).
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
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'valid' | 'same';
  readonly dilation: [number, number];
  readonly groups: number;
  weight: Tensor;
  bias: Tensor | null;
  private readonly windows = new WindowCache();

  constructor(inChannels: number, outChannels: number, kernelSize: IntOrPair, opts: Conv2dLayerOptions = {}) {
    super();
    const op = 'Conv2d';
    checkOptions(op, opts, CONV2D_LAYER_OPTIONS);
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

  forward(x: Tensor): Tensor {
    const opts = { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups };
    return conv2dImpl('Conv2d', x, this.weight, this.bias, opts, this.windows);
  }
}
