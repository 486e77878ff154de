import type { Tensor } from '../tensor.js';
import { zerosOf } from '../ops/dispatch.js';
import { checkAtLeastZero } from './check.js';
import { Optimizer, swapState, type Defaults, type OptimizerSpec, type ParamGroup, type ParamsInput } from './optimizer.js';

/** RMSprop's hyperparameters, as each parameter group holds them (defaults: {@link RMSpropOptions}). */
export interface RMSpropHyperparams {
  /** Learning rate. Default 1e-2. */
  lr: number;
  /** Smoothing constant of the squared-gradient average. Default 0.99. */
  alpha: number;
  /** Added to the denominator for numerical stability. Default 1e-8. */
  eps: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
  /** Momentum factor. Default 0. */
  momentum: number;
  /** Normalize by the centered second moment (an estimate of the variance). Default false. */
  centered: boolean;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize: boolean;
}

/** Options of {@link RMSprop}: any of its hyperparameters, with PyTorch's defaults. */
export type RMSpropOptions = Partial<RMSpropHyperparams>;

/** RMSprop's per-parameter state. */
export type RMSpropState = {
  /** This parameter's update count. */
  step: number;
  /** The running average of the squared gradient. */
  squareAvg: Tensor;
  /** The momentum buffer (momentum > 0 only). */
  momentumBuffer?: Tensor;
  /** The running average of the gradient (centered only). */
  gradAvg?: Tensor;
};

function validate(op: string, h: Defaults<RMSpropHyperparams>): void {
  checkAtLeastZero(op, h.lr, 'learning rate', 'lr');
  checkAtLeastZero(op, h.eps, 'epsilon value', 'eps');
  checkAtLeastZero(op, h.momentum, 'momentum value', 'momentum');
  checkAtLeastZero(op, h.weightDecay, 'weight_decay value', 'weightDecay');
  checkAtLeastZero(op, h.alpha, 'alpha value', 'alpha');
}

const SPEC: OptimizerSpec<RMSpropHyperparams> = {
  hyper: { lr: 'number', alpha: 'number', eps: 'number', weightDecay: 'number', momentum: 'number', centered: 'boolean', maximize: 'boolean' },
  state: { step: 'step', squareAvg: 'tensor', momentumBuffer: 'tensor?', gradAvg: 'tensor?' },
  validate,
};

/**
 * RMSprop (torch.optim.RMSprop): divides the gradient by a running root mean square of recent
 * gradients.
 *
 * Takes the parameters to optimize (tensors, or groups `{ params, ...overrides }`). Each step, for
 * a parameter θ with gradient g (negated when `maximize`):
 *
 *     g ← g + weightDecay·θ
 *     v ← α·v + (1 − α)·g²
 *     a ← √(v − ḡ²) with ḡ ← α·ḡ + (1 − α)·g (centered), else a ← √v;  a ← a + eps
 *     b ← momentum·b + g/a,  θ ← θ − lr·b   (momentum > 0), else θ ← θ − lr·g/a
 *
 * Options: `lr` = 1e-2, `alpha` = 0.99, `eps` = 1e-8, `weightDecay` = 0, `momentum` = 0,
 * `centered` = false, `maximize` = false.
 *
 * State per parameter: `step`, `squareAvg`, `momentumBuffer` (momentum > 0), `gradAvg` (centered).
 *
 * @example
 * const opt = new optim.RMSprop(model.parameters(), { lr: 1e-2, momentum: 0.9 });
 * opt.zeroGrad();
 * lossFn.forward(model.forward(x), y).backward();
 * opt.step();
 */
export class RMSprop extends Optimizer<RMSpropHyperparams, RMSpropState> {
  constructor(params: ParamsInput<RMSpropHyperparams>, opts: RMSpropOptions = {}) {
    const defaults = {
      lr: opts?.lr ?? 1e-2,
      alpha: opts?.alpha ?? 0.99,
      eps: opts?.eps ?? 1e-8,
      weightDecay: opts?.weightDecay ?? 0,
      momentum: opts?.momentum ?? 0,
      centered: opts?.centered ?? false,
      maximize: opts?.maximize ?? false,
    };
    super('RMSprop', params, opts, defaults, SPEC);
  }

  protected initState(p: Tensor, group: ParamGroup<RMSpropHyperparams>): RMSpropState {
    const s: RMSpropState = { step: 0, squareAvg: swapState(null, zerosOf(p)) };
    if (group.momentum > 0) s.momentumBuffer = swapState(null, zerosOf(p));
    if (group.centered) s.gradAvg = swapState(null, zerosOf(p));
    return s;
  }

  // The order of operations is PyTorch 1.13's single-tensor loop, so float32 results round alike.
  protected update(p: Tensor, grad: Tensor, group: ParamGroup<RMSpropHyperparams>, s: RMSpropState): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    s.step += 1;
    let g = maximize ? grad.neg() : grad;
    if (weightDecay !== 0) g = g.add(p.mul(weightDecay));

    s.squareAvg = swapState(s.squareAvg, s.squareAvg.mul(alpha).add(g.mul(1 - alpha).mul(g)));
    let avg: Tensor;
    if (centered) {
      const gradAvg = s.gradAvg ?? zerosOf(p);
      s.gradAvg = swapState(s.gradAvg, gradAvg.mul(alpha).add(g.mul(1 - alpha)));
      avg = s.squareAvg.sub(s.gradAvg.mul(s.gradAvg)).sqrt();
    } else {
      avg = s.squareAvg.sqrt();
    }
    avg = avg.add(eps);

    if (momentum > 0) {
      const buf = s.momentumBuffer ?? zerosOf(p);
      s.momentumBuffer = swapState(s.momentumBuffer, buf.mul(momentum).add(g.div(avg)));
      p.sub_(s.momentumBuffer.mul(lr));
    } else {
      p.sub_(g.mul(lr).div(avg));
    }
  }
}
