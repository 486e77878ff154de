import type { Tensor } from '../tensor.js';
import { zerosOf } from '../ops/dispatch.js';
import { ValueError } from '../errors.js';
import { checkAtLeastZero } from './check.js';
import { Optimizer, swapState, type Defaults, type OptimizerSpec, type ParamGroup, type ParamsInput } from './optimizer.js';

/** Adadelta's hyperparameters, as each param group holds them (see {@link Adadelta} for defaults). */
export interface AdadeltaHyperparams {
  /** Scales the update. Default 1.0. */
  lr: number;
  /** Decay of the running averages. Default 0.9. */
  rho: number;
  /** Added inside the square roots for numerical stability. Default 1e-6. */
  eps: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize: boolean;
}

/** Options of `new optim.Adadelta(params, opts)`: any hyperparameter, defaults as PyTorch's. */
export type AdadeltaOptions = Partial<AdadeltaHyperparams>;

/** `step` counts this parameter's own updates; the two running averages are of g² and of Δθ². */
export type AdadeltaState = {
  /** This parameter's update count. */
  step: number;
  /** The running average of the squared gradient. */
  squareAvg: Tensor;
  /** The running average of the squared update. */
  accDelta: Tensor;
};

function validate(op: string, h: Defaults<AdadeltaHyperparams>): void {
  checkAtLeastZero(op, h.lr, 'learning rate', 'lr');
  if (h.rho !== undefined && (typeof h.rho !== 'number' || !(h.rho >= 0 && h.rho <= 1))) {
    throw new ValueError(`${op}: Invalid rho value: ${String(h.rho)} (expected 0 <= rho <= 1)`);
  }
  checkAtLeastZero(op, h.eps, 'epsilon value', 'eps');
  checkAtLeastZero(op, h.weightDecay, 'weight_decay value', 'weightDecay');
}

const SPEC: OptimizerSpec<AdadeltaHyperparams> = {
  hyper: { lr: 'number', rho: 'number', eps: 'number', weightDecay: 'number', maximize: 'boolean' },
  state: { step: 'step', squareAvg: 'tensor', accDelta: 'tensor' },
  validate,
};

/**
 * Adadelta (torch.optim.Adadelta): step sizes from the ratio of two running averages, of past
 * updates and of past squared gradients, so the units of the update match the parameter's.
 *
 * Takes the parameters to optimize (tensors, or groups `{ params, ...overrides }`). Each step, for
 * a parameter θ with gradient g (negated when `maximize`):
 *
 *     g ← g + weightDecay·θ
 *     v ← ρ·v + (1 − ρ)·g²
 *     Δ ← √(u + eps) / √(v + eps) · g
 *     u ← ρ·u + (1 − ρ)·Δ²
 *     θ ← θ − lr·Δ
 *
 * Options: `lr` = 1.0 (scales Δ), `rho` = 0.9 (in [0, 1]), `eps` = 1e-6, `weightDecay` = 0
 * (L2 penalty), `maximize` = false.
 *
 * State per parameter: `step`, `squareAvg` (v), `accDelta` (u).
 *
 * @example
 * const model = new nn.Linear(4, 2);
 * const opt = new optim.Adadelta(model.parameters(), { lr: 1.0 });
 * opt.zeroGrad();
 * model.forward(randn([8, 4])).square().mean().backward();
 * opt.step();
 */
export class Adadelta extends Optimizer<AdadeltaHyperparams, AdadeltaState> {
  constructor(params: ParamsInput<AdadeltaHyperparams>, opts: AdadeltaOptions = {}) {
    const defaults = {
      lr: opts?.lr ?? 1.0,
      rho: opts?.rho ?? 0.9,
      eps: opts?.eps ?? 1e-6,
      weightDecay: opts?.weightDecay ?? 0,
      maximize: opts?.maximize ?? false,
    };
    super('Adadelta', params, opts, defaults, SPEC);
  }

  protected initState(p: Tensor): AdadeltaState {
    return { step: 0, squareAvg: swapState(null, zerosOf(p)), accDelta: swapState(null, zerosOf(p)) };
  }

  // PyTorch 2's single-tensor loop (torch/optim/adadelta.py), in its order of operations
  protected update(p: Tensor, grad: Tensor, group: ParamGroup<AdadeltaHyperparams>, s: AdadeltaState): void {
    const { lr, rho, eps, weightDecay, maximize } = group;
    s.step += 1;
    let g = maximize ? grad.neg() : grad;
    if (weightDecay !== 0) g = g.add(p.mul(weightDecay));
    s.squareAvg = swapState(s.squareAvg, s.squareAvg.mul(rho).add(g.mul(1 - rho).mul(g)));
    const std = s.squareAvg.add(eps).sqrt();
    const delta = s.accDelta.add(eps).sqrt().div(std).mul(g);
    s.accDelta = swapState(s.accDelta, s.accDelta.mul(rho).add(delta.mul(1 - rho).mul(delta)));
    p.sub_(delta.mul(lr));
  }
}
