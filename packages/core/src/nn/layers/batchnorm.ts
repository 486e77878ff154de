import { ShapeError, ValueError } from '../../errors.js';
import { fmt } from '../../shape.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { ones, zeros } from '../../ops/creation.js';
import type { Tensor } from '../../tensor.js';
import { Module, Parameter } from '../module.js';
import { batchNormWith } from '../functional/norm.js';
import { tidy } from '../../memory/scope.js';
import { checkInt, requireFloat } from '../functional/util.js';
import { paramDType, type FactoryOptions } from './factory.js';

/** Options of nn.BatchNorm1d and nn.BatchNorm2d (torch.nn.BatchNorm*d's keyword arguments). */
export interface BatchNormLayerOptions extends FactoryOptions {
  /** Added to the variance for stability. Default 1e-5. */
  eps?: number;
  /** Weight of each new batch in the running stats; null for a cumulative average. Default 0.1. */
  momentum?: number | null;
  /** Learn a per-channel scale and shift (weight, bias). Default true. */
  affine?: boolean;
  /** Keep running mean and variance for eval mode. Default true. */
  trackRunningStats?: boolean;
}

/** The keys nn.BatchNorm1d and nn.BatchNorm2d accept. */
export const BATCH_NORM_OPTIONS: OptionKeys<BatchNormLayerOptions> = { eps: true, momentum: true, affine: true, trackRunningStats: true, dtype: true };

/**
 * What BatchNorm1d and BatchNorm2d share (PyTorch's _BatchNorm): parameters, buffers, and the
 * forward over dim 1; subclasses only name the input ranks they accept.
 */
export abstract class BatchNormNd extends Module {
  /** The input ranks this layer accepts, as named in its errors. */
  protected abstract readonly ranks: Readonly<Record<number, string>>;
  private readonly op: string;
  /** Channels C: the size of the input's dim 1. */
  readonly numFeatures: number;
  /** Added to the variance for stability (default 1e-5). */
  readonly eps: number;
  /** Weight of each new batch in the running stats (default 0.1); null for a cumulative average. */
  readonly momentum: number | null;
  /** Whether the layer learns `weight` and `bias` (default true). */
  readonly affine: boolean;
  /** Whether the layer keeps running stats for eval mode (default true). */
  readonly trackRunningStats: boolean;
  /** The learnable per-channel scale, shape [numFeatures], initialised to ones; null without affine. */
  weight: Tensor | null;
  /** The learnable per-channel shift, shape [numFeatures], initialised to zeros; null without affine. */
  bias: Tensor | null;
  /** Buffer 'running_mean': the running per-channel mean, shape [numFeatures] (zeros at first); null without trackRunningStats. */
  declare runningMean: Tensor | null;
  /** Buffer 'running_var': the running unbiased per-channel variance, shape [numFeatures] (ones at first); null without trackRunningStats. */
  declare runningVar: Tensor | null;
  /** Buffer 'num_batches_tracked': the training batches seen, an int32 scalar; null without trackRunningStats. */
  declare numBatchesTracked: Tensor | null;

  protected constructor(op: string, numFeatures: number, opts: BatchNormLayerOptions) {
    super();
    this.op = op;
    checkOptions(op, opts, BATCH_NORM_OPTIONS);
    this.numFeatures = checkInt(op, 'numFeatures', numFeatures, 1);
    this.eps = opts.eps ?? 1e-5;
    if (typeof this.eps !== 'number' || !(this.eps >= 0)) throw new ValueError(`${op}: eps must be a non-negative number, got ${String(this.eps)}`);
    const momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    if (momentum !== null && (typeof momentum !== 'number' || !Number.isFinite(momentum))) {
      throw new ValueError(`${op}: momentum must be a finite number or null, got ${String(momentum)}`);
    }
    this.momentum = momentum;
    this.affine = opts.affine ?? true;
    this.trackRunningStats = opts.trackRunningStats ?? true;
    const dtype = paramDType(op, opts);
    this.weight = this.affine ? Parameter(ones([numFeatures], { dtype })) : null;
    this.bias = this.affine ? Parameter(zeros([numFeatures], { dtype })) : null;
    const track = this.trackRunningStats;
    this.registerBuffer('runningMean', track ? zeros([numFeatures], { dtype }) : null, 'running_mean');
    this.registerBuffer('runningVar', track ? ones([numFeatures], { dtype }) : null, 'running_var');
    this.registerBuffer('numBatchesTracked', track ? zeros([], { dtype: 'int32' }) : null, 'num_batches_tracked');
  }

  /** Running mean 0, running variance 1, no batches seen. */
  resetRunningStats(): void {
    noGrad(() => {
      this.runningMean?.zero_();
      this.runningVar?.fill_(1);
      this.numBatchesTracked?.zero_();
    });
  }

  forward(x: Tensor): Tensor {
    const op = this.op;
    requireFloat(op, x);
    if (!(x.ndim in this.ranks)) throw new ShapeError(`${op}: expected ${Object.values(this.ranks).join(' or ')} input, got shape ${fmt(x.shape)}`);
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError(`${op}: input has ${x.shape[1]} channels in dim 1, expected ${this.numFeatures} (shape ${fmt(x.shape)})`);
    }
    if (this.training && x.numel() / x.shape[1] === 1) {
      throw new ValueError(`${op}: expected more than 1 value per channel when training, got input of shape ${fmt(x.shape)}`);
    }
    const useBatchStats = this.training || (!this.runningMean && !this.runningVar);
    const useRunning = !this.training || this.trackRunningStats;
    return tidy(() => {
      let factor: number | Tensor = this.momentum ?? 0;
      if (this.training && this.trackRunningStats && this.numBatchesTracked) {
        const counter = this.numBatchesTracked;
        noGrad(() => counter.add_(1));
        // momentum null: a cumulative moving average over the batches seen so far, 1 / count computed
        // on the backend (reading the counter back would not work on WebGPU, and would stall elsewhere)
        if (this.momentum === null) factor = noGrad(() => counter.to(x.dtype).reciprocal());
      }
      return batchNormWith(x, useRunning ? this.runningMean : null, useRunning ? this.runningVar : null, {
        weight: this.weight,
        bias: this.bias,
        training: useBatchStats,
        eps: this.eps,
      }, factor);
    });
  }
}

/**
 * Batch normalisation over the channel dim of (N, C) or (N, C, L) input:
 * y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias, statistics per channel.
 *
 * In training the batch's mean and biased variance normalise, and the running stats move by
 * `momentum`: running = (1 - momentum) running + momentum batch (the running variance uses the
 * unbiased batch variance); `numBatchesTracked` counts the batches. In eval the running stats
 * normalise (the batch's, if trackRunningStats is false).
 *
 * Parameters: `weight` (ones) and `bias` (zeros), shape [C], when affine. Buffers (state-dict
 * keys as PyTorch's): `runningMean` ('running_mean', zeros), `runningVar` ('running_var', ones),
 * `numBatchesTracked` ('num_batches_tracked', int32 0).
 *
 * Options: `eps` (1e-5), `momentum` (0.1), `affine` (true), `trackRunningStats` (true), `dtype`.
 *
 * Shape: (N, C) or (N, C, L); the output has the input's shape.
 *
 * @example
 * const bn = new nn.BatchNorm1d(4);
 * const y = bn.forward(randn([8, 4]).requiresGrad_());
 * y.square().sum().backward();
 */
export class BatchNorm1d extends BatchNormNd {
  protected readonly ranks: Readonly<Record<number, string>> = { 2: '2D (N, C)', 3: '3D (N, C, L)' };

  constructor(numFeatures: number, opts: BatchNormLayerOptions = {}) {
    super('BatchNorm1d', numFeatures, opts);
  }
}

/**
 * Batch normalisation over the channel dim of (N, C, H, W) input, statistics per channel over
 * the batch and every position: y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias.
 *
 * Training and eval behave as in BatchNorm1d: in training the batch's mean and biased variance
 * normalise and the running stats move by `momentum` (the running variance takes the unbiased
 * batch variance); `numBatchesTracked` counts the batches; in eval the running stats normalise.
 *
 * Parameters: `weight` (ones) and `bias` (zeros), shape [C], when affine. Buffers (state-dict
 * keys as PyTorch's): `runningMean` ('running_mean', zeros), `runningVar` ('running_var', ones),
 * `numBatchesTracked` ('num_batches_tracked', int32 0).
 *
 * Options: `eps` (1e-5), `momentum` (0.1; null for a cumulative average), `affine` (true),
 * `trackRunningStats` (true), `dtype` ('float32').
 *
 * Shape: (N, C, H, W); the output has the input's shape.
 *
 * @example
 * const bn = new nn.BatchNorm2d(3);
 * const y = bn.forward(randn([4, 3, 5, 5], { requiresGrad: true }));
 * y.square().sum().backward();
 */
export class BatchNorm2d extends BatchNormNd {
  protected readonly ranks: Readonly<Record<number, string>> = { 4: '4D (N, C, H, W)' };

  constructor(numFeatures: number, opts: BatchNormLayerOptions = {}) {
    super('BatchNorm2d', numFeatures, opts);
  }
}
