import { noGrad } from '../../autograd/grad-mode.js';
import { record } from '../../autograd/record.js';
import { tidy } from '../../memory/scope.js';
import { where } from '../../ops/elementwise.js';
import { gatherUnchecked } from '../../ops/index-ops.js';
import type { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import { checkClassTarget, checkIgnoreIndex, checkTargetRange, classLayout, type ClassLayout } from './class-target.js';
import { checkClassWeight, checkReduction, requireFloatInput, type Reduction } from './common.js';
import { checkOptions, type OptionKeys } from '../../options.js';

/** Options of {@link NLLLoss} and `functional.nllLoss`. */
export interface NLLLossOptions {
  /** A rescaling weight for each class, 1-D of size C. Default: none (all 1). */
  weight?: Tensor | null;
  /** A target value that is ignored and does not count in the mean. Default: -100. */
  ignoreIndex?: number;
  /** 'none' | 'mean' | 'sum'. Default: 'mean'. */
  reduction?: Reduction;
}

export const NLL_OPTIONS: OptionKeys<NLLLossOptions> = { weight: true, ignoreIndex: true, reduction: true };

/** The validated pieces of an NLL or cross-entropy call with class-index targets. */
export interface ClassCall {
  layout: ClassLayout;
  weight: Tensor | null;
  ignoreIndex: number;
  reduction: Reduction;
}

/** Validates everything before any work, so a bad call changes nothing. */
export function checkClassCall(loss: string, input: Tensor, target: Tensor, opts: NLLLossOptions): ClassCall {
  const reduction = checkReduction(loss, opts.reduction ?? 'mean');
  requireFloatInput(loss, input, 'input');
  const layout = classLayout(loss, input);
  const ignoreIndex = opts.ignoreIndex ?? -100;
  checkClassTarget(loss, input, target, layout, ignoreIndex);
  const weight = checkClassWeight(loss, opts.weight, layout.classes, input);
  checkTargetRange(loss, target, layout.classes, ignoreIndex);
  return { layout, weight, ignoreIndex, reduction };
}

/**
 * The target-related pieces in the (batch, 1, inner) layout: which entries count (`mask`), the
 * target with ignored entries replaced by class 0 so it can index (`safe`), and each entry's
 * weight, 0 where ignored (`weights`).
 */
export function targetPieces(target: Tensor, call: ClassCall, dtype: Tensor['dtype']): { mask: Tensor; safe: Tensor; weights: Tensor } {
  const { batch, inner } = call.layout;
  const t3 = target.reshape([batch, 1, inner]);
  const mask = t3.ne(call.ignoreIndex);
  const safe = where(mask, t3, 0);
  const w = call.weight ? gatherUnchecked(call.weight, 0, safe.reshape([batch * inner])).reshape([batch, 1, inner]) : mask.to(dtype);
  return { mask, safe, weights: where(mask, w, 0) };
}

/**
 * -weight[t] * logProbs[t] per entry (0 where ignored), reduced. The mean divides by the summed
 * weights of the counted entries, so all-ignored gives 0/0 = nan, as PyTorch does; the gradient
 * is PyTorch's: -weight[t] * g (/ that sum), and exactly 0 at ignored entries.
 */
export function nllFromLogProbs(logProbs: Tensor, target: Tensor, call: ClassCall): Tensor {
  const { batch, classes, inner } = call.layout;
  const { mask, safe, weights } = targetPieces(target, call, logProbs.dtype);
  const picked = gatherUnchecked(logProbs.reshape([batch, classes, inner]), 1, safe);
  const perEntry = noGrad(() => where(mask, picked.neg().mul(weights), 0));
  const total = noGrad(() => weights.sum());
  const out =
    call.reduction === 'none'
      ? perEntry.reshape(call.layout.outShape)
      : call.reduction === 'sum'
        ? noGrad(() => perEntry.sum())
        : noGrad(() => perEntry.sum().div(total));
  const reduction = call.reduction;
  return record(out, 'nllLoss', [picked], [mask, weights, total], (g, [m, w, tot]) => {
    const scale = reduction === 'none' ? g.reshape(m.shape) : reduction === 'sum' ? g : g.div(tot);
    return [where(m, w.mul(scale).neg(), 0)];
  });
}

/**
 * The negative log likelihood loss, `torch.nn.functional.nll_loss`: input holds log-probabilities
 * (C), (N, C) or (N, C, d1, ...); target holds int32 class indices (), (N) or (N, d1, ...).
 * See {@link NLLLoss}.
 */
export function nllLoss(input: Tensor, target: Tensor, opts: NLLLossOptions = {}): Tensor {
  return nllLossAs('nllLoss', input, target, opts);
}

function nllLossAs(loss: string, input: Tensor, target: Tensor, opts: NLLLossOptions): Tensor {
  opts = checkOptions(loss, opts, NLL_OPTIONS);
  // checks run inside tidy too: a weight cast to the input's dtype is freed if a later check throws
  return tidy(() => nllFromLogProbs(input, target, checkClassCall(loss, input, target, opts)));
}

/**
 * The negative log likelihood loss, `torch.nn.NLLLoss`: for a classification problem with C
 * classes, given log-probabilities (e.g. from {@link LogSoftmax}) and the true class of each
 * example. LogSoftmax followed by NLLLoss is {@link CrossEntropyLoss}.
 *
 * Input: log-probabilities of shape (C), (N, C) or (N, C, d1, ..., dk) for K-dimensional
 * problems (e.g. per-pixel classes). Target: int32 class indices in [0, C) of shape (), (N) or
 * (N, d1, ..., dk); an entry equal to `ignoreIndex` contributes nothing.
 *
 * Formula, per entry n with target y_n:
 *   l_n = -w[y_n] * x[n, y_n]            (0 where y_n == ignoreIndex)
 *   'sum': sum_n l_n;  'mean': sum_n l_n / sum_n w[y_n] over the entries not ignored
 * so a 'mean' over targets that are all ignored is 0/0 = nan, exactly as in PyTorch ('sum' is 0).
 *
 * Options (defaults as PyTorch):
 * - `weight` (none): a 1-D tensor of C per-class weights (not differentiated).
 * - `ignoreIndex` (-100): a target value to skip.
 * - `reduction` ('mean'): 'none' | 'mean' | 'sum'.
 *
 * Shape: input (C), (N, C) or (N, C, d1, ..., dk); target (), (N) or (N, d1, ..., dk);
 * output a scalar, or the target's shape for 'none'.
 *
 * Errors: a target outside [0, C) that is not ignoreIndex throws IndexError (on WebGPU at the
 * next read, as a device-side check); mismatched batch or K-dim sizes and a weight not of size C throw
 * ShapeError; a non-int32 target throws DTypeError; an unknown reduction throws ValueError.
 *
 * @example
 * ```ts
 * const x = randn([3, 5], { requiresGrad: true });
 * const target = tensor([1, 0, 4], { dtype: 'int32' });
 * const loss = new nn.NLLLoss().forward(x.logSoftmax(1), target);
 * loss.backward();
 * ```
 */
export class NLLLoss extends Module {
  /** Buffer 'weight': the per-class weight [C], or null. */
  declare weight: Tensor | null;
  /** A target equal to this is ignored. */
  readonly ignoreIndex: number;
  /** 'none', 'mean' or 'sum'. */
  readonly reduction: Reduction;

  /** @param opts - `weight` (none), `ignoreIndex` (-100), `reduction` ('mean'). */
  constructor(opts: NLLLossOptions = {}) {
    super();
    this.reduction = checkReduction('NLLLoss', checkOptions('NLLLoss', opts, NLL_OPTIONS).reduction ?? 'mean');
    this.ignoreIndex = checkIgnoreIndex('NLLLoss', opts.ignoreIndex ?? -100);
    this.registerBuffer('weight', opts.weight ?? null);
  }

  /**
   * The loss of log-probabilities `input` (C), (N, C) or (N, C, d1, ...) against int32 class indices (), (N) or (N, d1, ...).
   */
  forward(input: Tensor, target: Tensor): Tensor {
    return nllLossAs('NLLLoss', input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}
