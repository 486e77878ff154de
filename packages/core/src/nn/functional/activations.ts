import { ValueError } from '../../errors.js';
import { tidy } from '../../memory/scope.js';
import { where } from '../../ops/elementwise.js';
import { logSoftmax as logSoftmaxOp, softmax as softmaxOp } from '../../ops/softmax.js';
import type { Tensor } from '../../tensor.js';
import { requireFloat } from './util.js';
import { checkOptions, type OptionKeys } from '../../options.js';

/** max(0, x); the gradient at 0 is 0, as in PyTorch. */
export function relu(x: Tensor): Tensor {
  return x.relu();
}

/** x where x > 0, else negativeSlope * x. */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
    throw new ValueError(`leakyRelu: negativeSlope must be a finite number, got ${String(negativeSlope)}`);
  }
  requireFloat('leakyRelu', x);
  return tidy(() => where(x.gt(0), x, x.mul(negativeSlope)));
}

export function sigmoid(x: Tensor): Tensor {
  return x.sigmoid();
}

export function tanh(x: Tensor): Tensor {
  return x.tanh();
}

/** SiLU (swish): x * sigmoid(x). The gradient is sigmoid(x) (1 + x (1 - sigmoid(x))), from autograd. */
export function silu(x: Tensor): Tensor {
  requireFloat('silu', x);
  return tidy(() => x.mul(x.sigmoid()));
}

export type GeluApproximate = 'none' | 'tanh';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * GELU(x) = x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)); with approximate 'tanh',
 * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). The gradient comes from autograd.
 */
export function gelu(x: Tensor, opts: { approximate?: GeluApproximate } = {}): Tensor {
  const approximate = checkOptions('gelu', opts, { approximate: true }).approximate ?? 'none';
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new ValueError(`gelu: approximate must be 'none' or 'tanh', got ${JSON.stringify(approximate)}`);
  }
  requireFloat('gelu', x);
  return tidy(() => {
    const inner = approximate === 'none' ? x.mul(Math.SQRT1_2).erf() : x.add(x.pow(3).mul(0.044715)).mul(SQRT_2_OVER_PI).tanh();
    return x.mul(0.5).mul(inner.add(1));
  });
}

/** softmax along dim (fused where the backend has the kernel). */
export function softmax(x: Tensor, dim: number): Tensor {
  return softmaxOp(x, dim);
}

/** log(softmax(x)) along dim, computed stably. */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  return logSoftmaxOp(x, dim);
}
