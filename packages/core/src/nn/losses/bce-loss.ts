import { ValueError } from '../../errors.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { record } from '../../autograd/record.js';
import { tidy } from '../../memory/scope.js';
import { cast } from '../../ops/elementwise.js';
import { validateValues } from '../../ops/validate.js';
import type { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import { applyReduction, checkBroadcastWeight, checkReduction, requireFloatInput, requireSameShape, type Reduction } from './common.js';
import { checkOptions, type OptionKeys } from '../../options.js';

/** PyTorch's EPSILON in the BCE gradient: 1e-12 rounded to float32, whatever the dtype. */
const EPSILON = Math.fround(1e-12);

/** Options of {@link BCELoss} and `functional.binaryCrossEntropy`. */
export interface BCELossOptions {
  /** A rescaling weight that broadcasts to the input's shape. Default: none. */
  weight?: Tensor | null;
  /** 'none' | 'mean' | 'sum'. Default: 'mean'. */
  reduction?: Reduction;
}

const BCE_OPTIONS: OptionKeys<BCELossOptions> = { weight: true, reduction: true };

/** The binary cross entropy of probabilities, `torch.nn.functional.binary_cross_entropy`. See {@link BCELoss}. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: BCELossOptions = {}): Tensor {
  return bceAs('binaryCrossEntropy', input, target, opts);
}

/** PyTorch checks every input value; so does Logit, on the input's backend (see Primitives.validate). */
function checkProbabilities(loss: string, input: Tensor): void {
  validateValues(input, {
    min: 0,
    max: 1,
    except: null,
    error: (v, i) => new ValueError(`${loss}: all elements of input should be between 0 and 1, got ${v} at flat index ${i}`),
  });
}

function bceAs(loss: string, input: Tensor, target: Tensor, opts: BCELossOptions): Tensor {
  opts = checkOptions(loss, opts, BCE_OPTIONS);
  const reduction = checkReduction(loss, opts.reduction ?? 'mean');
  requireFloatInput(loss, input, 'input');
  requireFloatInput(loss, target, 'target');
  requireSameShape(loss, input, target);
  return tidy(() => {
    const weight = checkBroadcastWeight(loss, opts.weight, input, 'weight');
    checkProbabilities(loss, input); // last: an asynchronous device reports it later (see Primitives.validate)
    const t = cast(target, input.dtype);
    const n = input.numel();
    // log clamped at -100, as PyTorch does, so that x = 0 or 1 gives a finite loss
    const logX = noGrad(() => input.log().clamp(-100));
    const log1mX = noGrad(() => input.neg().log1p().clamp(-100));
    const out = noGrad(() => {
      const l = t.sub(1).mul(log1mX).sub(t.mul(logX));
      return applyReduction(weight ? l.mul(weight) : l, reduction);
    });
    const saved = weight ? [input, t, weight] : [input, t];
    // PyTorch's rules: dx = g (x - y) / max(x (1 - x), eps) with eps = 1e-12 as a float (also for
    // float64), and dy = -g logit(x), unclamped (so +-inf at x = 0 or 1).
    return record(out, 'binaryCrossEntropy', [input, t], saved, (g, [x, y, w]) => {
      let s = reduction === 'mean' ? g.div(n) : g;
      if (w) s = s.mul(w);
      const oneMinusX = x.neg().add(1);
      return [s.mul(x.sub(y)).div(oneMinusX.mul(x).maximum(EPSILON)), s.mul(x.div(oneMinusX).log().neg())];
    });
  });
}

/**
 * The binary cross entropy between predicted probabilities and targets, `torch.nn.BCELoss`: for
 * binary (or multi-label) classification when the model already outputs probabilities (e.g.
 * after a Sigmoid). Prefer {@link BCEWithLogitsLoss} on raw scores: it is more stable.
 *
 * Input: probabilities in [0, 1] (anything else throws ValueError, as in PyTorch; on WebGPU at
 * the next read, as a device-side check). Target: float values in [0, 1] of the same shape.
 *
 * Formula: l_n = -w_n * (y_n * log(x_n) + (1 - y_n) * log(1 - x_n)), each log clamped at -100
 * as PyTorch does, so x = 0 or 1 gives a finite loss; 'mean' averages, 'sum' adds.
 *
 * Options (defaults as PyTorch):
 * - `weight` (none): a tensor broadcast to the input's shape (not differentiated).
 * - `reduction` ('mean'): 'none' | 'mean' | 'sum'.
 *
 * Shape: input any shape; target the same; output a scalar, or the input's shape for 'none'.
 *
 * @example
 * ```ts
 * const x = randn([4], { requiresGrad: true });
 * const y = tensor([0, 1, 1, 0]);
 * const loss = new nn.BCELoss().forward(x.sigmoid(), y);
 * loss.backward();
 * ```
 */
export class BCELoss extends Module {
  /** Buffer 'weight': the rescaling weight, or null. */
  declare weight: Tensor | null;
  /** 'none', 'mean' or 'sum'. */
  readonly reduction: Reduction;

  /** @param opts - `weight` (none), `reduction` ('mean'). */
  constructor(opts: BCELossOptions = {}) {
    super();
    this.reduction = checkReduction('BCELoss', checkOptions('BCELoss', opts, BCE_OPTIONS).reduction ?? 'mean');
    this.registerBuffer('weight', opts.weight ?? null);
  }

  /**
   * The loss of probabilities `input` (in [0, 1]) against `target` of the same shape: a scalar, or input's shape with reduction 'none'.
   */
  forward(input: Tensor, target: Tensor): Tensor {
    return bceAs('BCELoss', input, target, { weight: this.weight, reduction: this.reduction });
  }
}
