import { ShapeError, ValueError } from '../../errors.js';
import { fmt } from '../../shape.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { ones, zeros } from '../../ops/creation.js';
import type { Tensor } from '../../tensor.js';
import { Module, Parameter } from '../module.js';
import { batchNorm } from '../functional/norm.js';
import { checkInt, requireFloat } from '../functional/util.js';
import { paramDType, type FactoryOptions } from './factory.js';

/** Options of {@link BatchNorm1d}. */
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
export class BatchNorm1d extends Module {
  /** C: the channels normalised. */
  readonly numFeatures: number;
  /** Added to the variance for stability. */
  readonly eps: number;
  /** Weight of each new batch in the running stats; null for a cumulative average. */
  readonly momentum: number | null;
  /** Whether `weight` and `bias` are learned. */
  readonly affine: boolean;
  /** Whether running statistics are kept for eval mode. */
  readonly trackRunningStats: boolean;
  /** The learnable per-channel scale (gamma), shape [C]; null unless affine. */
  weight: Tensor | null;
  /** The learnable per-channel shift (beta), shape [C]; null unless affine. */
  bias: Tensor | null;
  /** Buffer 'running_mean', shape [C]; null without trackRunningStats. */
  declare runningMean: Tensor | null;
  /** Buffer 'running_var', shape [C]; null without trackRunningStats. */
  declare runningVar: Tensor | null;
  /** Buffer 'num_batches_tracked': batches seen in training (int32, 0-d). */
  declare numBatchesTracked: Tensor | null;

  /**
   * @param numFeatures - C, the channels of the input.
   * @param opts - `eps` (1e-5), `momentum` (0.1), `affine` (true), `trackRunningStats` (true), `dtype` ('float32').
   */
  constructor(numFeatures: number, opts: BatchNormLayerOptions = {}) {
    super();
    const op = 'BatchNorm1d';
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

  /**
   * Normalises `x` per channel: (N, C) or (N, C, L), output of the same shape; in training it also updates the running stats.
   */
  forward(x: Tensor): Tensor {
    const op = 'BatchNorm1d';
    requireFloat(op, x);
    if (x.ndim !== 2 && x.ndim !== 3) throw new ShapeError(`${op}: expected 2D (N, C) or 3D (N, C, L) input, got shape ${fmt(x.shape)}`);
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError(`${op}: input has ${x.shape[1]} channels in dim 1, expected ${this.numFeatures} (shape ${fmt(x.shape)})`);
    }
    if (this.training && x.numel() / x.shape[1] <= 1) {
      throw new ValueError(`${op}: expected more than 1 value per channel when training, got input of shape ${fmt(x.shape)}`);
    }
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && this.numBatchesTracked) {
      const counter = this.numBatchesTracked;
      noGrad(() => counter.add_(1));
      // momentum null: a cumulative moving average over the batches seen so far
      if (this.momentum === null) factor = 1 / counter.itemSync();
    }
    const useBatchStats = this.training || (!this.runningMean && !this.runningVar);
    const useRunning = !this.training || this.trackRunningStats;
    return batchNorm(x, useRunning ? this.runningMean : null, useRunning ? this.runningVar : null, {
      weight: this.weight,
      bias: this.bias,
      training: useBatchStats,
      momentum: factor,
      eps: this.eps,
    });
  }
}
