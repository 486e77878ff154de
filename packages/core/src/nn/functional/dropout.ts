import { ShapeError, ValueError } from '../../errors.js';
import { fmt } from '../../shape.js';
import { tidy } from '../../memory/scope.js';
import { nextRandom } from '../../random/generator.js';
import { backendOf, wrap } from '../../ops/dispatch.js';
import type { Tensor } from '../../tensor.js';
import { requireFloat } from './util.js';

export function checkDropoutP(op: string, p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new ValueError(`${op}: dropout probability has to be between 0 and 1, but got ${String(p)}`);
  }
  return p;
}

/**
 * A 0/1 mask where each element is 1 with probability `keep`, from the seeded generator's
 * bernoulli stream: the same mask on every backend for the same manualSeed.
 */
function bernoulliMask(x: Tensor, keep: number, shape: readonly number[] = x.shape): Tensor {
  const be = backendOf('dropout', x);
  const size = shape.reduce((a, d) => a * d, 1);
  const { key, offset } = nextRandom(size);
  return wrap(be, be.ops.random({ kind: 'bernoulli', key, offset, params: [keep, 0] }, size, x.dtype), shape.slice(), x.dtype);
}

/**
 * torch.nn.functional.dropout: in training, zeroes each element with probability p and scales
 * the rest by 1 / (1 - p), so the expected value is unchanged; otherwise returns x itself.
 * The gradient is the same mask times the same scale.
 */
export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  checkDropoutP('dropout', p);
  requireFloat('dropout', x);
  if (p === 0 || !training || x.numel() === 0) return x;
  return tidy(() => {
    if (p === 1) return x.mul(0);
    const noise = bernoulliMask(x, 1 - p).div(1 - p);
    return x.mul(noise);
  });
}

/**
 * torch.nn.functional.dropout2d: in training, zeroes whole channels -- each (sample, channel)
 * plane of (N, C, H, W) input with probability p -- and scales the rest by 1 / (1 - p); otherwise
 * returns x itself. A 3-D input is taken as (N, C, L), as PyTorch 2.x does. The mask comes from
 * the seeded generator, so it is the same on every backend after manualSeed.
 *
 * @example
 * const x = randn([4, 8, 5, 5], { requiresGrad: true });
 * const y = nn.functional.dropout2d(x, 0.25);
 * y.sum().backward();
 */
export function dropout2d(x: Tensor, p = 0.5, training = true): Tensor {
  checkDropoutP('dropout2d', p);
  requireFloat('dropout2d', x);
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new ShapeError(`dropout2d: expected a 4-D (N, C, H, W) or 3-D (N, C, L) input, got shape ${fmt(x.shape)}`);
  }
  if (p === 0 || !training || x.numel() === 0) return x;
  return tidy(() => {
    if (p === 1) return x.mul(0);
    const noise = bernoulliMask(x, 1 - p, x.shape.map((d, i) => (i < 2 ? d : 1))).div(1 - p);
    return x.mul(noise);
  });
}
