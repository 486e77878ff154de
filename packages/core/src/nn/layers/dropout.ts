import type { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import { checkDropoutP, dropout, dropout2d } from '../functional/dropout.js';

/**
 * During training, zeroes each element with probability `p` (a seeded Bernoulli mask, the same
 * on every backend after `manualSeed`) and scales the rest by 1 / (1 - p); in eval mode it
 * returns its input unchanged.
 *
 * Options: `p` (default 0.5, in [0, 1]). Shape: any; output has the input's shape.
 *
 * @example
 * const drop = new nn.Dropout(0.2);
 * const y = drop.forward(randn([20, 16], { requiresGrad: true }));
 * y.sum().backward();
 */
export class Dropout extends Module {
  /** The probability of zeroing an element. */
  readonly p: number;
  /** @param p - The probability of zeroing an element, in [0, 1]. Default 0.5. */
  constructor(p = 0.5) {
    super();
    this.p = checkDropoutP('Dropout', p);
  }
  /**
   * In training mode, `x` with a random mask applied and the rest scaled by 1 / (1 - p); in eval mode, `x`.
   */
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }
}

/**
 * During training, zeroes whole channels: each (sample, channel) plane of (N, C, H, W) input is
 * zeroed with probability `p` (a seeded Bernoulli draw per plane, the same on every backend
 * after `manualSeed`) and the rest are scaled by 1 / (1 - p); in eval mode it returns its input
 * unchanged. Useful after convolutions, whose neighbouring pixels are strongly correlated.
 *
 * Options: `p` (default 0.5, in [0, 1]). Shape: (N, C, H, W), or (N, C, L) as PyTorch 2.x takes
 * a 3-D input; the output has the input's shape.
 *
 * @example
 * const drop = new nn.Dropout2d(0.2);
 * const y = drop.forward(randn([8, 16, 4, 4], { requiresGrad: true }));
 * y.sum().backward();
 */
export class Dropout2d extends Module {
  /** The probability of zeroing a channel. */
  readonly p: number;
  /** @param p - The probability of zeroing a channel, in [0, 1]. Default 0.5. */
  constructor(p = 0.5) {
    super();
    this.p = checkDropoutP('Dropout2d', p);
  }
  forward(x: Tensor): Tensor {
    return dropout2d(x, this.p, this.training);
  }
}
