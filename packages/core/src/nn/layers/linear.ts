import { zeros } from '../../ops/creation.js';
import type { Tensor } from '../../tensor.js';
import { Module, Parameter } from '../module.js';
import { kaimingUniform_, uniform_ } from '../init.js';
import { linear } from '../functional/linear.js';
import { checkInt } from '../functional/util.js';
import { paramDType, type FactoryOptions } from './factory.js';
import { checkOptions, type OptionKeys } from '../../options.js';

/** Options of {@link Linear}. */
export interface LinearOptions extends FactoryOptions {
  /** Learn an additive bias. Default true. */
  bias?: boolean;
}

const LINEAR_OPTIONS: OptionKeys<LinearOptions> = { bias: true, dtype: true };

/**
 * Applies an affine map to the last dim of the input: y = x W^T + b.
 *
 * Parameters: `weight` of shape [outFeatures, inFeatures] and `bias` of shape [outFeatures],
 * both initialised from U(-1/sqrt(inFeatures), 1/sqrt(inFeatures)) as PyTorch does
 * (kaiming_uniform with a = sqrt(5) for the weight).
 *
 * Options: `bias` (default true), `dtype` (default 'float32').
 *
 * Shape: input `[*, inFeatures]`, output `[*, outFeatures]`.
 *
 * @example
 * const fc = new nn.Linear(20, 30);
 * const y = fc.forward(randn([128, 20]));   // [128, 30]
 * y.sum().backward();                        // fc.weight.grad: [30, 20]
 */
export class Linear extends Module {
  /** The size of each input sample (the input's last dim). */
  readonly inFeatures: number;
  /** The size of each output sample. */
  readonly outFeatures: number;
  /** The learnable weight, shape [outFeatures, inFeatures]. */
  weight: Tensor;
  /** The learnable bias, shape [outFeatures]; null when created with `bias: false`. */
  bias: Tensor | null;

  /**
   * @param inFeatures - The size of each input sample.
   * @param outFeatures - The size of each output sample.
   * @param opts - `bias` (default true), `dtype` (default 'float32').
   */
  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    this.inFeatures = checkInt('Linear', 'inFeatures', inFeatures, 0);
    this.outFeatures = checkInt('Linear', 'outFeatures', outFeatures, 0);
    const dtype = paramDType('Linear', checkOptions('Linear', opts, LINEAR_OPTIONS));
    this.weight = Parameter(zeros([outFeatures, inFeatures], { dtype }));
    this.bias = (opts.bias ?? true) ? Parameter(zeros([outFeatures], { dtype })) : null;
    this.resetParameters();
  }

  /** Re-draws the parameters from PyTorch's default distributions (seeded). */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  /** `x W^T + b` over the last dim: `[*, inFeatures]` -> `[*, outFeatures]`. */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias, 'Linear');
  }
}
