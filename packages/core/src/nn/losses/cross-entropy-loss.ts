import { fusedKernel } from '../../backend/fused.js';
import { DTypeError, ShapeError, ValueError } from '../../errors.js';
import { isFloat } from '../../dtype.js';
import { fmt, sameShape } from '../../shape.js';
import { tidy } from '../../memory/scope.js';
import { backendOf } from '../../ops/dispatch.js';
import { where } from '../../ops/elementwise.js';
import { logSoftmax } from '../../ops/softmax.js';
import type { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import { checkIgnoreIndex, classLayout, type ClassLayout } from './class-target.js';
import { checkClassWeight, checkReduction, requireFloatInput, type Reduction } from './common.js';
import { fusedClassLoss } from './cross-entropy-fused.js';
import { checkClassCall, NLL_OPTIONS, nllFromLogProbs, targetPieces, type ClassCall, type NLLLossOptions } from './nll-loss.js';
import { checkOptions, type OptionKeys } from '../../options.js';

/** Options of {@link CrossEntropyLoss} and `functional.crossEntropy`: NLLLoss's plus `labelSmoothing`. */
export interface CrossEntropyLossOptions extends NLLLossOptions {
  /** In [0, 1]: how much of the target mass is spread uniformly over the C classes. Default: 0. */
  labelSmoothing?: number;
}

const CROSS_ENTROPY_OPTIONS: OptionKeys<CrossEntropyLossOptions> = { ...NLL_OPTIONS, labelSmoothing: true };

/**
 * Cross entropy between logits and a target, `torch.nn.functional.cross_entropy`: the target
 * holds int32 class indices, or class probabilities as a float tensor of the input's shape.
 * See {@link CrossEntropyLoss}.
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: CrossEntropyLossOptions = {}): Tensor {
  return crossEntropyAs('crossEntropy', input, target, opts);
}

function checkSmoothing(loss: string, v: unknown): number {
  // PyTorch 1.13 ignores a negative label_smoothing silently; a negative value is always a mistake, so it throws here.
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new ValueError(`${loss}: labelSmoothing must be between 0.0 and 1.0, got ${String(v)}`);
  return v;
}

function crossEntropyAs(loss: string, input: Tensor, target: Tensor, opts: CrossEntropyLossOptions): Tensor {
  opts = checkOptions(loss, opts, CROSS_ENTROPY_OPTIONS);
  // checks run inside tidy too: a weight cast to the input's dtype is freed if a later check throws
  return tidy(() => crossEntropyChecked(loss, input, target, opts));
}

function crossEntropyChecked(loss: string, input: Tensor, target: Tensor, opts: CrossEntropyLossOptions): Tensor {
  const reduction = checkReduction(loss, opts.reduction ?? 'mean');
  const smoothing = checkSmoothing(loss, opts.labelSmoothing ?? 0);
  requireFloatInput(loss, input, 'input');
  const layout = classLayout(loss, input);
  if (sameShape(input.shape, target.shape)) {
    // Same shape as the input: class probabilities, as PyTorch decides it.
    if (!isFloat(target.dtype)) {
      throw new DTypeError(`${loss}: a target of the input's shape ${fmt(input.shape)} holds class probabilities and must be floating point, got dtype ${target.dtype}`);
    }
    const ignoreIndex = opts.ignoreIndex ?? -100;
    if (ignoreIndex >= 0) throw new ValueError(`${loss}: ignoreIndex (${ignoreIndex}) is not supported for class-probability (float) targets`);
    const weight = checkClassWeight(loss, opts.weight, layout.classes, input);
    return probabilityLoss(input, target, weight, smoothing, reduction, layout);
  }
  if (isFloat(target.dtype)) {
    if (sameShape(target.shape, layout.outShape)) {
      throw new DTypeError(`${loss}: class-index targets must have dtype int32, got ${target.dtype} of shape ${fmt(target.shape)}`);
    }
    throw new ShapeError(`${loss}: a float target holds class probabilities and must have the input's shape ${fmt(input.shape)}, got ${fmt(target.shape)}`);
  }
  const call = checkClassCall(loss, input, target, { ...opts, reduction });
  const kernel = fusedKernel(backendOf(loss, input, target), 'crossEntropy');
  return kernel ? fusedClassLoss(kernel, input, target, call, smoothing) : composedClassLoss(input, target, call, smoothing);
}

/**
 * PyTorch's composition: (1 - e) * NLL(logSoftmax(x)) + (e / C) * smooth, where smooth is
 * -sum_c w_c logp_c per entry (0 where ignored), reduced like the NLL term (the same divisor).
 */
function composedClassLoss(input: Tensor, target: Tensor, call: ClassCall, e: number): Tensor {
  const { batch, classes, inner, classDim, outShape } = call.layout;
  const lp = logSoftmax(input, classDim);
  const nll = nllFromLogProbs(lp, target, call);
  if (e === 0) return nll;
  const { mask, weights } = targetPieces(target, call, input.dtype);
  const lp3 = lp.reshape([batch, classes, inner]);
  const weighted = call.weight ? lp3.mul(call.weight.reshape([1, classes, 1])) : lp3;
  const smooth = where(mask, weighted.sum(1, true).neg(), 0);
  const reduced =
    call.reduction === 'none' ? smooth.reshape(outShape) : call.reduction === 'sum' ? smooth.sum() : smooth.sum().div(weights.sum());
  return nll.mul(1 - e).add(reduced.mul(e / classes));
}

/** -sum_c w_c q_c logp_c with q = (1 - e) target + e / C; the mean divides by the number of entries. */
function probabilityLoss(input: Tensor, target: Tensor, weight: Tensor | null, e: number, reduction: Reduction, layout: ClassLayout): Tensor {
  const { classes, classDim } = layout;
  const lp = logSoftmax(input, classDim);
  const q = e > 0 ? target.mul(1 - e).add(e / classes) : target;
  let prod = lp.mul(q);
  if (weight) prod = prod.mul(weight.reshape(input.shape.map((d, i) => (i === classDim ? d : 1))));
  if (reduction === 'none') return prod.sum(classDim).neg();
  if (reduction === 'sum') return prod.sum().neg();
  return prod.sum().neg().div(input.numel() / classes);
}

/**
 * Cross entropy between logits and a target, `torch.nn.CrossEntropyLoss`: the loss for training
 * a C-class classifier on raw, unnormalized scores. It is LogSoftmax over the class dim followed
 * by {@link NLLLoss}, computed in one numerically stable step (with the backend's fused
 * `crossEntropy` kernel when it has one).
 *
 * Input: logits of shape (C), (N, C) or (N, C, d1, ..., dk). The target is either
 * - int32 class indices in [0, C) of shape (), (N) or (N, d1, ..., dk); entries equal to
 *   `ignoreIndex` are skipped. Per entry, with w = weight (1s by default) and e = labelSmoothing:
 *     l_n = (1 - e) * (-w[y_n] * logp[n, y_n]) + (e / C) * (-sum_c w_c * logp[n, c])
 *   and 'mean' = sum_n l_n / sum_n w[y_n] over entries not ignored: nan when all are ignored.
 * - class probabilities: a float tensor of the input's shape (ignoreIndex not allowed). With
 *   q = (1 - e) * target + e / C:  l_n = -sum_c w_c * q[n, c] * logp[n, c], and 'mean' divides
 *   by the number of entries (N * d1 * ... * dk), not by the weights.
 *
 * Options (defaults as PyTorch):
 * - `weight` (none): 1-D tensor of C per-class weights (not differentiated).
 * - `ignoreIndex` (-100): a class-index target value to skip.
 * - `reduction` ('mean'): 'none' | 'mean' | 'sum'.
 * - `labelSmoothing` (0): in [0, 1].
 *
 * Shape: input (C), (N, C) or (N, C, d1, ..., dk); target (), (N), (N, d1, ..., dk) or the input's
 * shape; output a scalar, or the per-entry shape for 'none'.
 *
 * Errors as PyTorch: out-of-range class targets (IndexError), batch or K-dim size mismatch, a
 * weight not of size C, a float target not of the input's shape (ShapeError), float class indices
 * or int probabilities (DTypeError), labelSmoothing outside [0, 1] (PyTorch only rejects > 1),
 * ignoreIndex >= 0 with probabilities, an unknown reduction (ValueError).
 *
 * @example
 * ```ts
 * const logits = randn([3, 5], { requiresGrad: true });
 * const target = tensor([1, 0, 4], { dtype: 'int32' });
 * const lossFn = new nn.CrossEntropyLoss({ labelSmoothing: 0.1 });
 * const loss = lossFn.forward(logits, target);
 * loss.backward();
 * ```
 */
export class CrossEntropyLoss extends Module {
  /** Buffer 'weight': the per-class weight [C], or null. */
  declare weight: Tensor | null;
  /** A target equal to this is ignored (class-index targets only). */
  readonly ignoreIndex: number;
  /** 'none', 'mean' or 'sum'. */
  readonly reduction: Reduction;
  /** The share of the target spread uniformly over the classes. */
  readonly labelSmoothing: number;

  /** @param opts - `weight` (none), `ignoreIndex` (-100), `reduction` ('mean'), `labelSmoothing` (0). */
  constructor(opts: CrossEntropyLossOptions = {}) {
    super();
    this.reduction = checkReduction('CrossEntropyLoss', checkOptions('CrossEntropyLoss', opts, CROSS_ENTROPY_OPTIONS).reduction ?? 'mean');
    this.labelSmoothing = checkSmoothing('CrossEntropyLoss', opts.labelSmoothing ?? 0);
    this.ignoreIndex = checkIgnoreIndex('CrossEntropyLoss', opts.ignoreIndex ?? -100);
    this.registerBuffer('weight', opts.weight ?? null);
  }

  /**
   * The loss of logits `input` (C), (N, C) or (N, C, d1, ...) against int32 class indices (), (N) or (N, d1, ...), or class probabilities of input's shape.
   */
  forward(input: Tensor, target: Tensor): Tensor {
    const { weight, ignoreIndex, reduction, labelSmoothing } = this;
    return crossEntropyAs('CrossEntropyLoss', input, target, { weight, ignoreIndex, reduction, labelSmoothing });
  }
}
