import { tidy } from '../../memory/scope.js';
import type { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import { applyReduction, checkReduction, requireFloatInput, requireSameShape, type Reduction } from './common.js';
import { checkOptions, type OptionKeys } from '../../options.js';

/** Options of {@link MSELoss} and `functional.mseLoss`. */
export interface MSELossOptions {
  /** 'none' | 'mean' | 'sum'. Default: 'mean'. */
  reduction?: Reduction;
}

const MSE_OPTIONS: OptionKeys<MSELossOptions> = { reduction: true };

/** The mean squared error, `torch.nn.functional.mse_loss`. See {@link MSELoss}. */
export function mseLoss(input: Tensor, target: Tensor, opts: MSELossOptions = {}): Tensor {
  return mseLossAs('mseLoss', input, target, opts);
}

function mseLossAs(loss: string, input: Tensor, target: Tensor, opts: MSELossOptions): Tensor {
  opts = checkOptions(loss, opts, MSE_OPTIONS);
  const reduction = checkReduction(loss, opts.reduction ?? 'mean');
  requireFloatInput(loss, input, 'input');
  // PyTorch warns and broadcasts here, which silently computes the wrong loss; Logit refuses.
  requireSameShape(loss, input, target, ' (PyTorch would broadcast with a warning; reshape one of them)');
  return tidy(() => applyReduction(input.sub(target).square(), reduction));
}

/**
 * The mean squared error, `torch.nn.MSELoss`: the squared L2 distance between each element of
 * the input x and the target y, for regression.
 *
 * Formula: l_n = (x_n - y_n)^2; 'mean' averages over all elements, 'sum' adds them up.
 * Gradients flow to the input and, if it requires grad, the target.
 *
 * Options (defaults as PyTorch):
 * - `reduction` ('mean'): 'none' | 'mean' | 'sum'.
 *
 * Shape: input any shape; target the same shape (PyTorch broadcasts a different shape with a
 * warning; Logit throws a ShapeError instead); output a scalar, or the input's shape for 'none'.
 *
 * @example
 * ```ts
 * const x = randn([3, 5], { requiresGrad: true });
 * const y = randn([3, 5]);
 * const loss = new nn.MSELoss().forward(x, y);
 * loss.backward();
 * ```
 */
export class MSELoss extends Module {
  /** 'none', 'mean' or 'sum'. */
  readonly reduction: Reduction;

  /** @param opts - `reduction` ('mean'). */
  constructor(opts: MSELossOptions = {}) {
    super();
    this.reduction = checkReduction('MSELoss', checkOptions('MSELoss', opts, MSE_OPTIONS).reduction ?? 'mean');
  }

  /**
   * The squared error of `input` against `target` (same shape): a scalar, or input's shape with reduction 'none'.
   */
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLossAs('MSELoss', input, target, { reduction: this.reduction });
  }
}
