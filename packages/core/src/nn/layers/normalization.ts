import { checkOptions, type OptionKeys } from '../../options.js';
import { ones, zeros } from '../../ops/creation.js';
import type { Tensor } from '../../tensor.js';
import { Module, Parameter } from '../module.js';
import { checkEps, layerNorm, normShape, rmsNorm } from '../functional/layer-norm.js';
import { paramDType, type FactoryOptions } from './factory.js';

/** Options of `nn.LayerNorm`, as torch.nn.LayerNorm's keyword arguments. */
export interface LayerNormLayerOptions extends FactoryOptions {
  /** Added to the variance for stability. Default 1e-5. */
  eps?: number;
  /** Learn an elementwise weight (ones) and bias (zeros). Default true. */
  elementwiseAffine?: boolean;
  /** Learn the bias too (with elementwiseAffine). Default true. */
  bias?: boolean;
}
const LAYER_NORM_OPTIONS: OptionKeys<LayerNormLayerOptions> = { eps: true, elementwiseAffine: true, bias: true, dtype: true };

/**
 * Layer normalisation over the last dims of the input, like torch.nn.LayerNorm: each sample is
 * normalised over `normalizedShape` (e.g. the feature dim of a transformer's (N, L, E) input),
 * unlike BatchNorm, which normalises each feature over the batch.
 *
 * Inputs: `normalizedShape`, a size or an array of sizes, the trailing dims normalised together.
 *
 * y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias, mean and biased variance over those dims.
 *
 * Parameters: `weight` (ones) and `bias` (zeros), of shape normalizedShape, with elementwiseAffine.
 *
 * Options: `eps` (1e-5), `elementwiseAffine` (true), `bias` (true), `dtype` ('float32'). Backends
 * with the fused `layerNorm` kernels run forward and backward in one pass each.
 *
 * Shape: input (*, ...normalizedShape); output the same.
 *
 * @example
 * const ln = new nn.LayerNorm(8);
 * const y = ln.forward(randn([2, 5, 8], { requiresGrad: true }));   // each of the 10 rows: mean 0, variance 1
 * y.square().sum().backward();                                        // ln.weight.grad: [8]
 */
export class LayerNorm extends Module {
  /** The trailing dims normalised together. */
  readonly normalizedShape: readonly number[];
  /** Added to the variance for stability. */
  readonly eps: number;
  /** Whether `weight` (and `bias`) are learned. */
  readonly elementwiseAffine: boolean;
  /** The learnable scale, of normalizedShape (ones at first); null without elementwiseAffine. */
  weight: Tensor | null;
  /** The learnable shift, of normalizedShape (zeros at first); null without it. */
  bias: Tensor | null;

  constructor(normalizedShape: number | readonly number[], opts: LayerNormLayerOptions = {}) {
    super();
    const op = 'LayerNorm';
    const o = checkOptions(op, opts, LAYER_NORM_OPTIONS);
    this.normalizedShape = normShape(op, normalizedShape);
    this.eps = checkEps(op, o.eps ?? 1e-5);
    this.elementwiseAffine = o.elementwiseAffine ?? true;
    const dtype = paramDType(op, o);
    this.weight = this.elementwiseAffine ? Parameter(ones(this.normalizedShape, { dtype })) : null;
    this.bias = this.elementwiseAffine && (o.bias ?? true) ? Parameter(zeros(this.normalizedShape, { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }
}

/** Options of `nn.RMSNorm`, as torch.nn.RMSNorm's keyword arguments. */
export interface RMSNormLayerOptions extends FactoryOptions {
  /** Added to the mean square. Default null: the machine epsilon of the input's dtype (PyTorch 2.x). */
  eps?: number | null;
  /** Learn an elementwise weight (ones). Default true. */
  elementwiseAffine?: boolean;
}
const RMS_NORM_OPTIONS: OptionKeys<RMSNormLayerOptions> = { eps: true, elementwiseAffine: true, dtype: true };

/**
 * Root-mean-square normalisation over the last dims, like torch.nn.RMSNorm (LLaMA's norm): no
 * centering and no bias, only a scale.
 *
 * Inputs: `normalizedShape`, a size or an array of sizes, the trailing dims normalised together.
 *
 * y = x / sqrt(mean(x^2) + eps) * weight, the mean over those dims.
 *
 * Parameters: `weight` (ones), of shape normalizedShape, with elementwiseAffine.
 *
 * Options: `eps` (null: torch.finfo(x.dtype).eps, 2^-23 for float32), `elementwiseAffine` (true),
 * `dtype` ('float32').
 *
 * Shape: input (*, ...normalizedShape); output the same.
 *
 * @example
 * const norm = new nn.RMSNorm([4]);
 * const y = norm.forward(randn([3, 4], { requiresGrad: true }));
 * y.sum().backward();
 */
export class RMSNorm extends Module {
  /** The trailing dims normalised together. */
  readonly normalizedShape: readonly number[];
  /** Added to the mean square; null: the machine epsilon of the input's dtype. */
  readonly eps: number | null;
  /** Whether `weight` is learned. */
  readonly elementwiseAffine: boolean;
  /** The learnable scale, of normalizedShape (ones at first); null without elementwiseAffine. */
  weight: Tensor | null;

  constructor(normalizedShape: number | readonly number[], opts: RMSNormLayerOptions = {}) {
    super();
    const op = 'RMSNorm';
    const o = checkOptions(op, opts, RMS_NORM_OPTIONS);
    this.normalizedShape = normShape(op, normalizedShape);
    this.eps = o.eps === undefined || o.eps === null ? null : checkEps(op, o.eps);
    this.elementwiseAffine = o.elementwiseAffine ?? true;
    this.weight = this.elementwiseAffine ? Parameter(ones(this.normalizedShape, { dtype: paramDType(op, o) })) : null;
  }

  forward(x: Tensor): Tensor {
    return rmsNorm(x, this.normalizedShape, { weight: this.weight, eps: this.eps });
  }
}
