import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { filled } from '../ops/dispatch.js';
import { checkAtLeastZero } from './check.js';
import { Optimizer, swapState, type Defaults, type OptimizerSpec, type ParamGroup, type ParamGroupInput, type ParamsInput } from './optimizer.js';

/** Adagrad's hyperparameters, as each param group holds them (see {@link Adagrad} for defaults). */
export interface AdagradHyperparams {
  /** Learning rate. Default 1e-2. */
  lr: number;
  /** The lr of step t is lr / (1 + (t - 1) * lrDecay). Default 0. */
  lrDecay: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
  /** The starting value of the sum of squared gradients. Default 0. */
  initialAccumulatorValue: number;
  /** Added to the denominator for numerical stability. Default 1e-10. */
  eps: number;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize: boolean;
}

/** Options of `new optim.Adagrad(params, opts)`: any hyperparameter, defaults as PyTorch's. */
export type AdagradOptions = Partial<AdagradHyperparams>;

/** `step` counts this parameter's own updates; `sum` accumulates the squared gradients. */
export type AdagradState = {
  /** This parameter's update count. */
  step: number;
  /** The running sum of squared gradients. */
  sum: Tensor;
};

function validate(op: string, h: Defaults<AdagradHyperparams>): void {
  checkAtLeastZero(op, h.lr, 'learning rate', 'lr');
  checkAtLeastZero(op, h.lrDecay, 'lr_decay value', 'lrDecay');
  checkAtLeastZero(op, h.weightDecay, 'weight_decay value', 'weightDecay');
  checkAtLeastZero(op, h.initialAccumulatorValue, 'initial_accumulator_value value', 'initialAccumulatorValue');
  checkAtLeastZero(op, h.eps, 'epsilon value', 'eps');
}

const SPEC: OptimizerSpec<AdagradHyperparams> = {
  hyper: { lr: 'number', lrDecay: 'number', weightDecay: 'number', initialAccumulatorValue: 'number', eps: 'number', maximize: 'boolean' },
  state: { step: 'step', sum: 'tensor' },
  validate,
};

/**
 * Adagrad (torch.optim.Adagrad): each coordinate's step is divided by the root of the sum of its
 * squared gradients so far, so often-updated coordinates slow down.
 *
 * Takes the parameters to optimize (tensors, or groups `{ params, ...overrides }`). Each step t,
 * for a parameter θ with gradient g (negated when `maximize`):
 *
 *     g ← g + weightDecay·θ
 *     clr ← lr / (1 + (t − 1)·lrDecay)
 *     s ← s + g²
 *     θ ← θ − clr · g / (√s + eps)
 *
 * Options: `lr` = 1e-2, `lrDecay` = 0, `weightDecay` = 0 (L2 penalty),
 * `initialAccumulatorValue` = 0 (the starting value of s), `eps` = 1e-10, `maximize` = false.
 *
 * State per parameter: `step`, `sum`. As in PyTorch, the state of every parameter given to the
 * constructor exists from the start (step 0, sum = initialAccumulatorValue), and
 * `initialAccumulatorValue` is optimizer-wide: a param group may not override it.
 *
 * @example
 * const model = new nn.Linear(4, 2);
 * const opt = new optim.Adagrad(model.parameters(), { lr: 0.1, lrDecay: 1e-3 });
 * opt.zeroGrad();
 * model.forward(randn([8, 4])).square().mean().backward();
 * opt.step();
 */
export class Adagrad extends Optimizer<AdagradHyperparams, AdagradState> {
  constructor(params: ParamsInput<AdagradHyperparams>, opts: AdagradOptions = {}) {
    const defaults = {
      lr: opts?.lr ?? 1e-2,
      lrDecay: opts?.lrDecay ?? 0,
      weightDecay: opts?.weightDecay ?? 0,
      initialAccumulatorValue: opts?.initialAccumulatorValue ?? 0,
      eps: opts?.eps ?? 1e-10,
      maximize: opts?.maximize ?? false,
    };
    super('Adagrad', params, opts, defaults, SPEC);
    for (const g of this.paramGroups) for (const p of g.params) this.state.set(p, this.initState(p));
  }

  /**
   * Adds a group, as Optimizer.addParamGroup. Its parameters' state starts at their first step.
   * `initialAccumulatorValue` is optimizer-wide: PyTorch fills every sum from the constructor's
   * value and ignores a group's own, so a group that sets another value is refused.
   */
  override addParamGroup(group: ParamGroupInput<AdagradHyperparams>): void {
    const v = group?.initialAccumulatorValue;
    if (v !== undefined && v !== this.defaults.initialAccumulatorValue) {
      throw new ValueError(
        `Adagrad.addParamGroup: paramGroups[${this.paramGroups.length}] sets initialAccumulatorValue ${String(v)}, but it is optimizer-wide (PyTorch ignores a group's own); set it in the options`,
      );
    }
    super.addParamGroup(group);
  }

  protected initState(p: Tensor): AdagradState {
    return { step: 0, sum: swapState(null, filled(this.defaults.initialAccumulatorValue, p.shape, p.dtype, p._ref().backend)) };
  }

  // PyTorch 2's single-tensor loop (torch/optim/adagrad.py), in its order of operations
  protected update(p: Tensor, grad: Tensor, group: ParamGroup<AdagradHyperparams>, s: AdagradState): void {
    const { lr, lrDecay, weightDecay, eps, maximize } = group;
    s.step += 1;
    let g = maximize ? grad.neg() : grad;
    if (weightDecay !== 0) g = g.add(p.mul(weightDecay));
    const clr = lr / (1 + (s.step - 1) * lrDecay);
    s.sum = swapState(s.sum, s.sum.add(g.mul(g)));
    const std = s.sum.sqrt().add(eps);
    p.add_(g.mul(-clr).div(std));
  }
}
