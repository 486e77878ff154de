import { ShapeError, ValueError } from '../../errors.js';
import { fmt } from '../../shape.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { ones, zeros } from '../../ops/creation.js';
import type { Tensor } from '../../tensor.js';
import { Module, Parameter } from '../module.js';
import { groupNorm } from '../functional/norm.js';
import { checkInt } from '../functional/util.js';
import { paramDType, type FactoryOptions } from './factory.js';

/** Options of nn.GroupNorm (torch.nn.GroupNorm's keyword arguments). */
export interface GroupNormOptions extends FactoryOptions {
  /** Added to the variance for stability. Default 1e-5. */
  eps?: number;
  /** Learn a per-channel scale and shift (weight, bias). Default true. */
  affine?: boolean;
}

/** The keys nn.GroupNorm accepts. */
export const GROUP_NORM_OPTIONS: OptionKeys<GroupNormOptions> = { eps: true, affine: true, dtype: true };

/**
 * Group normalisation: the channels of (N, C, *) input are split into `numGroups` groups, and
 * each sample's group is normalised over its channels and positions,
 * y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias (biased variance; weight and bias per
 * channel). Unlike BatchNorm it uses no batch statistics, so it behaves the same in training and
 * eval and for any batch size. LayerNorm over (C, *) is numGroups = 1; InstanceNorm is numGroups = C.
 *
 * Parameters: `weight` (ones) and `bias` (zeros), shape [numChannels], when affine.
 *
 * Options: `eps` (1e-5), `affine` (true), `dtype` ('float32').
 *
 * Shape: (N, C, *); the output has the input's shape.
 *
 * @example
 * const gn = new nn.GroupNorm(2, 6);
 * const y = gn.forward(randn([4, 6, 5, 5], { requiresGrad: true }));
 * y.square().sum().backward();
 */
export class GroupNorm extends Module {
  /** Groups the channels are split into; numChannels is a multiple of it. */
  readonly numGroups: number;
  /** Channels C: the size of the input's dim 1. */
  readonly numChannels: number;
  /** Added to the variance for stability (default 1e-5). */
  readonly eps: number;
  /** Whether the layer learns `weight` and `bias` (default true). */
  readonly affine: boolean;
  /** The learnable per-channel scale, shape [numChannels], initialised to ones; null without affine. */
  weight: Tensor | null;
  /** The learnable per-channel shift, shape [numChannels], initialised to zeros; null without affine. */
  bias: Tensor | null;

  constructor(numGroups: number, numChannels: number, opts: GroupNormOptions = {}) {
    super();
    const op = 'GroupNorm';
    const o = checkOptions(op, opts, GROUP_NORM_OPTIONS);
    this.numGroups = checkInt(op, 'numGroups', numGroups, 1);
    this.numChannels = checkInt(op, 'numChannels', numChannels, 1);
    if (numChannels % numGroups !== 0) throw new ValueError(`${op}: numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    this.eps = o.eps ?? 1e-5;
    if (typeof this.eps !== 'number' || !(this.eps >= 0)) throw new ValueError(`${op}: eps must be a non-negative number, got ${String(this.eps)}`);
    this.affine = o.affine ?? true;
    const dtype = paramDType(op, o);
    this.weight = this.affine ? Parameter(ones([numChannels], { dtype })) : null;
    this.bias = this.affine ? Parameter(zeros([numChannels], { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    if (x.ndim >= 2 && x.shape[1] !== this.numChannels) {
      throw new ShapeError(`GroupNorm: input has ${x.shape[1]} channels in dim 1, expected ${this.numChannels} (shape ${fmt(x.shape)})`);
    }
    return groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }
}
