import type { Tensor } from '../../tensor.js';
import { ValueError } from '../../errors.js';
import { Module } from '../module.js';
import * as F from '../functional/activations.js';
import { checkOptions, type OptionKeys } from '../../options.js';

/**
 * ReLU(x) = max(0, x), elementwise. Shape: any; output has the input's shape.
 *
 * @example
 * const y = new nn.ReLU().forward(randn([2, 3], { requiresGrad: true }));
 * y.sum().backward();
 */
export class ReLU extends Module {
  /** Applies ReLU to `x` elementwise; the output has x's shape. */
  forward(x: Tensor): Tensor {
    return F.relu(x);
  }
}

/**
 * LeakyReLU(x) = x if x > 0 else negativeSlope * x, elementwise.
 * Options: `negativeSlope` (default 0.01). Shape: any; output has the input's shape.
 *
 * @example
 * const y = new nn.LeakyReLU(0.2).forward(randn([2, 3], { requiresGrad: true }));
 * y.sum().backward();
 */
export class LeakyReLU extends Module {
  /** The slope for negative inputs. */
  readonly negativeSlope: number;
  /** @param negativeSlope - The slope for negative inputs. Default 0.01. */
  constructor(negativeSlope = 0.01) {
    super();
    if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
      throw new ValueError(`LeakyReLU: negativeSlope must be a finite number, got ${String(negativeSlope)}`);
    }
    this.negativeSlope = negativeSlope;
  }
  /** Applies LeakyReLU to `x` elementwise; the output has x's shape. */
  forward(x: Tensor): Tensor {
    return F.leakyRelu(x, this.negativeSlope);
  }
}

/**
 * Tanh(x) = (e^x - e^-x) / (e^x + e^-x), elementwise. Shape: any.
 *
 * @example
 * new nn.Tanh().forward(randn([4], { requiresGrad: true })).sum().backward();
 */
export class Tanh extends Module {
  /** Applies tanh to `x` elementwise; the output has x's shape. */
  forward(x: Tensor): Tensor {
    return F.tanh(x);
  }
}

/**
 * Sigmoid(x) = 1 / (1 + e^-x), elementwise. Shape: any.
 *
 * @example
 * new nn.Sigmoid().forward(randn([4], { requiresGrad: true })).sum().backward();
 */
export class Sigmoid extends Module {
  /** Applies the logistic sigmoid to `x` elementwise; the output has x's shape. */
  forward(x: Tensor): Tensor {
    return F.sigmoid(x);
  }
}

/**
 * GELU(x) = x * Phi(x), Phi the standard normal CDF: 0.5 x (1 + erf(x / sqrt 2)). With
 * `approximate: 'tanh'`: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
 * Options: `approximate` ('none' | 'tanh', default 'none'). Shape: any.
 *
 * @example
 * new nn.GELU({ approximate: 'tanh' }).forward(randn([4], { requiresGrad: true })).sum().backward();
 */
export class GELU extends Module {
  /** 'none' (the exact erf form) or 'tanh' (the approximation). */
  readonly approximate: F.GeluApproximate;
  /** @param opts - `approximate`: 'none' (default) or 'tanh'. */
  constructor(opts: { approximate?: F.GeluApproximate } = {}) {
    super();
    const a = checkOptions('GELU', opts, { approximate: true }).approximate ?? 'none';
    if (a !== 'none' && a !== 'tanh') throw new ValueError(`GELU: approximate must be 'none' or 'tanh', got ${JSON.stringify(a)}`);
    this.approximate = a;
  }
  /** Applies GELU to `x` elementwise; the output has x's shape. */
  forward(x: Tensor): Tensor {
    return F.gelu(x, { approximate: this.approximate });
  }
}

/**
 * Softmax along `dim`: exp(x_i) / sum_j exp(x_j), so each slice along dim sums to 1.
 * Inputs: `dim` (required; negative counts from the end). Shape: any; output has the input's shape.
 *
 * @example
 * const p = new nn.Softmax(-1).forward(randn([2, 5], { requiresGrad: true }));
 * p.select(1, 0).sum().backward();
 */
export class Softmax extends Module {
  /** @param dim - The dim whose slices sum to 1 (negative counts from the end). */
  constructor(readonly dim: number) {
    super();
  }
  /** Softmax of `x` along `dim`; the output has x's shape. */
  forward(x: Tensor): Tensor {
    return F.softmax(x, this.dim);
  }
}

/**
 * LogSoftmax along `dim`: x_i - log(sum_j exp(x_j)), computed stably.
 * Inputs: `dim` (required). Shape: any; output has the input's shape.
 *
 * @example
 * const logp = new nn.LogSoftmax(1).forward(randn([2, 5], { requiresGrad: true }));
 * logp.select(1, 0).sum().backward();
 */
export class LogSoftmax extends Module {
  /** @param dim - The dim to normalize over (negative counts from the end). */
  constructor(readonly dim: number) {
    super();
  }
  /** LogSoftmax of `x` along `dim`; the output has x's shape. */
  forward(x: Tensor): Tensor {
    return F.logSoftmax(x, this.dim);
  }
}

/**
 * SiLU(x) = x * sigmoid(x) (also called swish), elementwise. Shape: any; output has the input's shape.
 *
 * @example
 * new nn.SiLU().forward(randn([4], { requiresGrad: true })).sum().backward();
 */
export class SiLU extends Module {
  /** Applies SiLU to `x` elementwise; the output has x's shape. */
  forward(x: Tensor): Tensor {
    return F.silu(x);
  }
}

/**
 * Returns its input unchanged (the same tensor), like torch.nn.Identity: a placeholder where a
 * layer is optional (e.g. `norm ?? new nn.Identity()`). Like PyTorch's, it accepts and ignores
 * any constructor arguments, so it can stand in for the layer it replaces. Shape: any.
 *
 * @example
 * const x = randn([2, 3], { requiresGrad: true });
 * new nn.Identity().forward(x).sum().backward();   // x.grad: ones
 */
export class Identity extends Module {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  constructor(..._args: unknown[]) {
    super();
  }
  /** Returns `x` itself. */
  forward(x: Tensor): Tensor {
    return x;
  }
}
