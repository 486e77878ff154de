import { ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { zeros } from '../../ops/creation.js';
import type { Tensor } from '../../tensor.js';
import { Module, Parameter } from '../module.js';
import { kaimingUniform_, uniform_ } from '../init.js';
import type { IntOrPair } from '../functional/conv.js';
import { convTranspose2dImpl, transposeSettings, type ConvTranspose2dOptions, type TransposeSettings } from '../functional/conv-transpose.js';
import { WindowCache } from '../functional/im2col.js';
import { checkInt, pair } from '../functional/util.js';
import { paramDType, type FactoryOptions } from './factory.js';

/** Options of nn.ConvTranspose2d (torch.nn.ConvTranspose2d's keyword arguments). */
export interface ConvTranspose2dLayerOptions extends ConvTranspose2dOptions, FactoryOptions {
  /** Learn a per-output-channel bias. Default true. */
  bias?: boolean;
  /** Only 'zeros', as in PyTorch. */
  paddingMode?: 'zeros';
}

/** The keys nn.ConvTranspose2d accepts. */
export const CONV_TRANSPOSE2D_LAYER_OPTIONS: OptionKeys<ConvTranspose2dLayerOptions> = {
  stride: true, padding: true, outputPadding: true, groups: true, dilation: true, bias: true, paddingMode: true, dtype: true,
};

/**
 * 2-D transposed convolution ("fractionally strided" convolution, as in DCGAN's generator): the
 * gradient of Conv2d with respect to its input, so each input pixel adds its value times the
 * kernel into a stride-spaced patch of the output. Upsamples by about `stride`.
 *
 * Parameters: `weight` [inChannels, outChannels / groups, kH, kW] and `bias` [outChannels],
 * initialised from U(-1/sqrt(fanIn), 1/sqrt(fanIn)) with fanIn = outChannels / groups * kH * kW
 * (PyTorch computes it from the weight's dim 1), as PyTorch does.
 *
 * Options: `stride` (1), `padding` (0: dilation (k - 1) - padding zeros on both sides of the
 * input), `outputPadding` (0: extra rows/columns on the bottom/right, less than stride or
 * dilation), `groups` (1), `bias` (true), `dilation` (1), `paddingMode` ('zeros' only), `dtype`.
 *
 * Shape: input (N, C_in, H, W) or (C_in, H, W); output (N, C_out, H_out, W_out) with
 * H_out = (H - 1) stride - 2 padding + dilation (kH - 1) + outputPadding + 1.
 *
 * @example
 * const up = new nn.ConvTranspose2d(8, 4, 4, { stride: 2, padding: 1 });
 * const y = up.forward(randn([2, 8, 7, 7]));   // [2, 4, 14, 14]
 * y.sum().backward();
 */
export class ConvTranspose2d extends Module {
  /** Channels C_in of the input. */
  readonly inChannels: number;
  /** Channels C_out of the output. */
  readonly outChannels: number;
  /** The filter size [kH, kW]. */
  readonly kernelSize: [number, number];
  /** Spacing [sH, sW] of the input pixels' patches in the output; default [1, 1]. */
  readonly stride: [number, number];
  /** Padding [pH, pW]: dilation (k - 1) - padding zeros are added on both sides of the input; default [0, 0]. */
  readonly padding: [number, number];
  /** Extra rows and columns [oH, oW] on the bottom and right of the output; default [0, 0]. */
  readonly outputPadding: [number, number];
  /** Channel groups: each output channel comes from inChannels / groups input channels (1: all). */
  readonly groups: number;
  /** Spacing between filter taps [dH, dW]; default [1, 1]. */
  readonly dilation: [number, number];
  /** Always 'zeros': the only padding mode of transposed convolutions, as in PyTorch. */
  readonly paddingMode = 'zeros' as const;
  /** The learnable filters, shape [inChannels, outChannels / groups, kH, kW]. */
  weight: Tensor;
  /** The learnable bias, shape [outChannels]; null when created with `bias: false`. */
  bias: Tensor | null;
  private readonly settings: TransposeSettings;
  private readonly windows = new WindowCache();

  constructor(inChannels: number, outChannels: number, kernelSize: IntOrPair, opts: ConvTranspose2dLayerOptions = {}) {
    super();
    const op = 'ConvTranspose2d';
    const o = checkOptions(op, opts, CONV_TRANSPOSE2D_LAYER_OPTIONS);
    if ((o.paddingMode ?? 'zeros') !== 'zeros') {
      throw new ValueError(`${op}: only paddingMode 'zeros' is supported for transposed convolutions (as in PyTorch), got ${JSON.stringify(o.paddingMode)}`);
    }
    this.inChannels = checkInt(op, 'inChannels', inChannels, 1);
    this.outChannels = checkInt(op, 'outChannels', outChannels, 1);
    this.kernelSize = pair(op, 'kernelSize', kernelSize, 1);
    this.settings = transposeSettings(op, o);
    ({ stride: this.stride, padding: this.padding, outputPadding: this.outputPadding, dilation: this.dilation, groups: this.groups } = this.settings);
    if (inChannels % this.groups !== 0) throw new ValueError(`${op}: inChannels (${inChannels}) must be divisible by groups (${this.groups})`);
    if (outChannels % this.groups !== 0) throw new ValueError(`${op}: outChannels (${outChannels}) must be divisible by groups (${this.groups})`);
    const dtype = paramDType(op, o);
    this.weight = Parameter(zeros([inChannels, outChannels / this.groups, ...this.kernelSize], { dtype }));
    this.bias = (o.bias ?? true) ? Parameter(zeros([outChannels], { dtype })) : null;
    this.resetParameters();
  }

  /** Re-draws the parameters from PyTorch's default distributions (seeded). */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const fanIn = (this.outChannels / this.groups) * this.kernelSize[0] * this.kernelSize[1];
      const bound = 1 / Math.sqrt(fanIn);
      uniform_(this.bias, -bound, bound);
    }
  }

  forward(x: Tensor): Tensor {
    return convTranspose2dImpl('ConvTranspose2d', x, this.weight, this.bias, this.settings, this.windows);
  }
}
