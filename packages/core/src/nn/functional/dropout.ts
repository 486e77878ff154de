import { ValueError } from '../../errors.js';
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
function bernoulliMask(x: Tensor, keep: number): Tensor {
  const be = backendOf('dropout', x);
  const size = x.numel();
  const { key, offset } = nextRandom(size);
  return wrap(be, be.ops.random({ kind: 'bernoulli', key, offset, params: [keep, 0] }, size, x.dtype), x.shape, x.dtype);
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
