import { noGrad } from '../../autograd/grad-mode.js';
import { record } from '../../autograd/record.js';
import { tidy } from '../../memory/scope.js';
import { cast } from '../../ops/elementwise.js';
import type { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import { applyReduction, checkBroadcastWeight, checkReduction, requireFloatInput, requireSameShape, type Reduction } from './common.js';
import { checkOptions, type OptionKeys } from '../../options.js';

/** Options of {@link BCEWithLogitsLoss} and `functional.binaryCrossEntropyWithLogits`. */
export interface BCEWithLogitsLossOptions {
  /** A rescaling weight that broadcasts to the input's shape. Default: none. */
  weight?: Tensor | null;
  /** A weight of positive examples per class, broadcast over the input (e.g. shape (C)). Default: none. */
  posWeight?: Tensor | null;
  /** 'none' | 'mean' | 'sum'. Default: 'mean'. */
  reduction?: Reduction;
}

const BCE_WITH_LOGITS_OPTIONS: OptionKeys<BCEWithLogitsLossOptions> = { weight: true, posWeight: true, reduction: true };

/** Sigmoid plus binary cross entropy in one stable step, `torch.nn.functional.binary_cross_entropy_with_logits`. */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: BCEWithLogitsLossOptions = {}): Tensor {
  return bceWithLogitsAs('binaryCrossEntropyWithLogits', input, target, opts);
}

/** log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), finite for any finite x. */
function logSigmoid(x: Tensor): Tensor {
  return x.minimum(0).sub(x.abs().neg().exp().log1p());
}

function bceWithLogitsAs(loss: string, input: Tensor, target: Tensor, opts: BCEWithLogitsLossOptions): Tensor {
  opts = checkOptions(loss, opts, BCE_WITH_LOGITS_OPTIONS);
  const reduction = checkReduction(loss, opts.reduction ?? 'mean');
  requireFloatInput(loss, input, 'input');
  requireFloatInput(loss, target, 'target');
  requireSameShape(loss, input, target);
  return tidy(() => {
    const weight = checkBroadcastWeight(loss, opts.weight, input, 'weight');
    const posWeight = checkBroadcastWeight(loss, opts.posWeight, input, 'posWeight');
    const t = cast(target, input.dtype);
    const n = input.numel();
    const out = noGrad(() => {
      // PyTorch's stable form: with m = max(-x, 0), log(1 + exp(-x)) = m + log(exp(-m) + exp(-x - m))
      const m = input.neg().clamp(0);
      const softplusNeg = m.neg().exp().add(input.neg().sub(m).exp()).log().add(m);
      const l = posWeight
        ? t.neg().add(1).mul(input).add(posWeight.sub(1).mul(t).add(1).mul(softplusNeg))
        : t.neg().add(1).mul(input).add(softplusNeg);
      return applyReduction(weight ? l.mul(weight) : l, reduction);
    });
    const saved = [input, t, ...(weight ? [weight] : []), ...(posWeight ? [posWeight] : [])];
    // PyTorch's rules: dx = g ((pw y + 1 - y) sigmoid(x) - pw y), dy = g (logsig(-x) - pw logsig(x)); pw = 1 without posWeight
    return record(out, 'binaryCrossEntropyWithLogits', [input, t], saved, (g, [x, y, ...rest]) => {
      const w = weight ? rest.shift()! : null;
      const pw = posWeight ? rest.shift()! : null;
      let s = reduction === 'mean' ? g.div(n) : g;
      if (w) s = s.mul(w);
      const gx = pw ? pw.mul(y).add(1).sub(y).mul(x.sigmoid()).sub(pw.mul(y)) : x.sigmoid().sub(y);
      const gy = pw ? logSigmoid(x.neg()).sub(logSigmoid(x).mul(pw)) : x.neg();
      return [s.mul(gx), s.mul(gy)];
    });
  });
}

/**
 * Binary cross entropy on logits, `torch.nn.BCEWithLogitsLoss`: a Sigmoid and {@link BCELoss} in
 * one numerically stable step (the log-sum-exp trick), for binary or multi-label classification
 * on raw scores. Finite and exact for large |x| (e.g. 1e4).
 *
 * Formula, with p = posWeight (1 by default) broadcast over the classes:
 *   l_n = -w_n * (p * y_n * log(sigmoid(x_n)) + (1 - y_n) * log(1 - sigmoid(x_n)))
 * 'mean' averages over all elements, 'sum' adds them up. posWeight > 1 raises recall, < 1
 * precision. Gradients flow to the input and, if it requires grad, the target.
 *
 * Options (defaults as PyTorch):
 * - `weight` (none): a tensor broadcast to the input's shape (not differentiated).
 * - `posWeight` (none): a tensor broadcast to the input's shape, e.g. (C) (not differentiated).
 * - `reduction` ('mean'): 'none' | 'mean' | 'sum'.
 *
 * Shape: input any shape; target the same; output a scalar, or the input's shape for 'none'.
 *
 * @example
 * ```ts
 * const logits = randn([4, 3], { requiresGrad: true });
 * const y = rand([4, 3]).gt(0.5).to('float32');
 * const lossFn = new nn.BCEWithLogitsLoss({ posWeight: tensor([1, 2, 3]) });
 * const loss = lossFn.forward(logits, y);
 * loss.backward();
 * ```
 */
export class BCEWithLogitsLoss extends Module {
  /** Buffer 'weight': the rescaling weight, or null. */
  declare weight: Tensor | null;
  /** Buffer 'pos_weight': the weight of positive examples, or null. */
  declare posWeight: Tensor | null;
  /** 'none', 'mean' or 'sum'. */
  readonly reduction: Reduction;

  /** @param opts - `weight` (none), `posWeight` (none), `reduction` ('mean'). */
  constructor(opts: BCEWithLogitsLossOptions = {}) {
    super();
    checkOptions('BCEWithLogitsLoss', opts, BCE_WITH_LOGITS_OPTIONS);
    this.reduction = checkReduction('BCEWithLogitsLoss', opts.reduction ?? 'mean');
    this.registerBuffer('weight', opts.weight ?? null);
    this.registerBuffer('posWeight', opts.posWeight ?? null, 'pos_weight'); // PyTorch's state-dict key
  }

  /**
   * The loss of logits `input` against `target` of the same shape: a scalar, or input's shape with reduction 'none'.
   */
  forward(input: Tensor, target: Tensor): Tensor {
    return bceWithLogitsAs('BCEWithLogitsLoss', input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
}
