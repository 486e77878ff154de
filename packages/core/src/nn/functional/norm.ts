import { ShapeError, ValueError } from '../../errors.js';
import { fmt } from '../../shape.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { tidy } from '../../memory/scope.js';
import type { Tensor } from '../../tensor.js';
import { requireFloat, requireSameDType } from './util.js';
import { checkOptions, type OptionKeys } from '../../options.js';

/** Options of nn.functional.batchNorm (torch.nn.functional.batch_norm's keyword arguments). */
export interface BatchNormOptions {
  /** Per-channel scale gamma, shape [C]. Default none (1). */
  weight?: Tensor | null;
  /** Per-channel shift beta, shape [C]. Default none (0). */
  bias?: Tensor | null;
  /** Normalise with the batch's statistics (and update the running ones). Default false. */
  training?: boolean;
  /** Weight of the new batch in the running averages. Default 0.1. */
  momentum?: number;
  /** Added to the variance for stability. Default 1e-5. */
  eps?: number;
}

function checkChannelVector(op: string, t: Tensor | null | undefined, c: number, what: string, x: Tensor): void {
  if (!t) return;
  requireSameDType(op, x, t, what);
  if (t.ndim !== 1 || t.shape[0] !== c) throw new ShapeError(`${op}: ${what} must have shape [${c}] (one value per channel), got ${fmt(t.shape)}`);
}

const BATCHNORM_OPTIONS: OptionKeys<BatchNormOptions> = { weight: true, bias: true, training: true, momentum: true, eps: true };

/**
 * torch.nn.functional.batch_norm over dim 1 of (N, C, ...) input:
 * y = (x - mean) / sqrt(var + eps) * weight + bias. In training the batch's mean and biased
 * variance are used, and the running stats (if given) move toward the batch's mean and unbiased
 * variance by `momentum`, in place; otherwise the running stats are used.
 */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, opts: BatchNormOptions = {}): Tensor {
  opts = checkOptions('batchNorm', opts, BATCHNORM_OPTIONS);
  const momentum = opts.momentum ?? 0.1;
  if (typeof momentum !== 'number' || !Number.isFinite(momentum)) throw new ValueError(`batchNorm: momentum must be a finite number, got ${String(momentum)}`);
  return batchNormWith(x, runningMean, runningVar, opts, momentum);
}

/**
 * @internal batchNorm whose momentum may be a 0-d tensor on x's backend: BatchNorm1d's
 * cumulative average (momentum null) uses 1 / numBatchesTracked without reading the counter back.
 */
export function batchNormWith(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, opts: BatchNormOptions, momentum: number | Tensor): Tensor {
  const op = 'batchNorm';
  const training = opts.training ?? false;
  const eps = opts.eps ?? 1e-5;
  requireFloat(op, x);
  if (x.ndim < 2) throw new ShapeError(`${op}: expected an input of at least 2 dims (N, C, ...), got shape ${fmt(x.shape)}`);
  if (typeof eps !== 'number' || !(eps >= 0)) throw new ValueError(`${op}: eps must be a non-negative number, got ${String(eps)}`);
  const c = x.shape[1];
  checkChannelVector(op, runningMean, c, 'runningMean', x);
  checkChannelVector(op, runningVar, c, 'runningVar', x);
  checkChannelVector(op, opts.weight, c, 'weight', x);
  checkChannelVector(op, opts.bias, c, 'bias', x);
  if (!training && (!runningMean || !runningVar)) {
    throw new ValueError(`${op}: runningMean and runningVar are required when training is false`);
  }
  const perChannel = x.numel() / c;
  // (an empty batch is PyTorch's too: no statistics to take, so the running ones stay as they were)
  if (training && perChannel === 1) {
    throw new ValueError(`${op}: expected more than 1 value per channel when training, got input of shape ${fmt(x.shape)}`);
  }
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const bshape = x.shape.map((d, i) => (i === 1 ? d : 1));
  return tidy(() => {
    let xhat: Tensor;
    if (training) {
      const mean = x.mean(axes, true);
      const centered = x.sub(mean);
      const variance = centered.square().mean(axes, true);
      if (runningMean && runningVar && perChannel > 0) {
        noGrad(() => {
          const keepOld = typeof momentum === 'number' ? 1 - momentum : momentum.neg().add(1);
          const varFactor = typeof momentum === 'number' ? (momentum * perChannel) / (perChannel - 1) : momentum.mul(perChannel / (perChannel - 1));
          runningMean.copy_(runningMean.mul(keepOld).add(mean.reshape([c]).mul(momentum)));
          runningVar.copy_(runningVar.mul(keepOld).add(variance.reshape([c]).mul(varFactor)));
        });
      }
      xhat = centered.mul(variance.add(eps).rsqrt());
    } else {
      xhat = x.sub(runningMean!.reshape(bshape)).mul(runningVar!.reshape(bshape).add(eps).rsqrt());
    }
    const scaled = opts.weight ? xhat.mul(opts.weight.reshape(bshape)) : xhat;
    return opts.bias ? scaled.add(opts.bias.reshape(bshape)) : scaled;
  });
}

/**
 * torch.nn.functional.group_norm: the channels of (N, C, *) input split into `numGroups` groups,
 * each (sample, group) normalised over its channels and positions with its own mean and biased
 * variance: y = (x - mean) / sqrt(var + eps) * weight[c] + bias[c].
 *
 * @example
 * const x = randn([2, 6, 4, 4], { requiresGrad: true });
 * const y = nn.functional.groupNorm(x, 3);
 * y.square().sum().backward();
 */
export function groupNorm(x: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  const op = 'groupNorm';
  requireFloat(op, x);
  if (x.ndim < 2) throw new ShapeError(`${op}: expected an input of at least 2 dims (N, C, *), got shape ${fmt(x.shape)}`);
  const c = x.shape[1];
  if (!Number.isInteger(numGroups) || numGroups < 1 || c % numGroups !== 0) {
    throw new ValueError(`${op}: the number of channels (${c}) must be divisible by numGroups (${String(numGroups)}), a positive integer`);
  }
  if (typeof eps !== 'number' || !(eps >= 0)) throw new ValueError(`${op}: eps must be a non-negative number, got ${String(eps)}`);
  checkChannelVector(op, weight, c, 'weight', x);
  checkChannelVector(op, bias, c, 'bias', x);
  const bshape = x.shape.map((d, i) => (i === 1 ? d : 1));
  return tidy(() => {
    // the group size spelled out: -1 is ambiguous (and refused) when the batch is empty
    const xg = x.reshape([x.shape[0], numGroups, (c / numGroups) * x.shape.slice(2).reduce((a, b) => a * b, 1)]);
    const centered = xg.sub(xg.mean(2, true));
    const variance = centered.square().mean(2, true);
    const xhat = centered.mul(variance.add(eps).rsqrt()).reshape(x.shape);
    const scaled = weight ? xhat.mul(weight.reshape(bshape)) : xhat;
    return bias ? scaled.add(bias.reshape(bshape)) : scaled;
  });
}
