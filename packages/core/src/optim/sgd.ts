import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { fusedKernel } from '../backend/fused.js';
import { backendOf, wrap } from '../ops/dispatch.js';
import { checkAtLeastZero } from './check.js';
import { Optimizer, swapState, type Defaults, type OptimizerSpec, type ParamGroup, type ParamsInput } from './optimizer.js';

/** SGD's hyperparameters, as each parameter group holds them. */
export interface SGDHyperparams {
  /** Learning rate. */
  lr: number;
  /** Momentum factor (0: plain SGD). */
  momentum: number;
  /** Dampening of the momentum's gradient term. */
  dampening: number;
  /** L2 penalty added to the gradient. */
  weightDecay: number;
  /** Nesterov momentum. */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it. */
  maximize: boolean;
}

/** Options of {@link SGD}, with PyTorch's defaults. */
export interface SGDOptions {
  /** Learning rate. Required, as in PyTorch, unless every param group sets its own. */
  lr?: number;
  /** Default 0. */
  momentum?: number;
  /** Default 0. */
  dampening?: number;
  /** Default 0. */
  weightDecay?: number;
  /** Default false; needs momentum > 0 and dampening 0. */
  nesterov?: boolean;
  /** Default false. */
  maximize?: boolean;
}

/** PyTorch stores a null buffer for every stepped parameter when momentum is 0. */
export type SGDState = {
  /** The momentum buffer; null while momentum is 0. */
  momentumBuffer: Tensor | null;
};

function validate(op: string, h: Defaults<SGDHyperparams>): void {
  checkAtLeastZero(op, h.lr, 'learning rate', 'lr');
  checkAtLeastZero(op, h.momentum, 'momentum value', 'momentum');
  checkAtLeastZero(op, h.weightDecay, 'weight_decay value', 'weightDecay');
  if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
    throw new ValueError(
      `${op}: Nesterov momentum requires a momentum and zero dampening (got momentum ${h.momentum}, dampening ${h.dampening})`,
    );
  }
}

const SPEC: OptimizerSpec<SGDHyperparams> = {
  hyper: { lr: 'number', momentum: 'number', dampening: 'number', weightDecay: 'number', nesterov: 'boolean', maximize: 'boolean' },
  state: { momentumBuffer: 'tensorOrNull' },
  validate,
};

/**
 * Stochastic gradient descent, optionally with momentum (torch.optim.SGD).
 *
 * Takes the parameters to optimize (tensors, or groups `{ params, ...overrides }`). Each step, for
 * a parameter θ with gradient g (negated when `maximize`):
 *
 *     g ← g + weightDecay·θ
 *     b ← g (first step), else b ← momentum·b + (1 − dampening)·g
 *     g ← g + momentum·b (nesterov), else g ← b            (when momentum ≠ 0)
 *     θ ← θ − lr·g
 *
 * Options: `lr` (required), `momentum` = 0, `dampening` = 0, `weightDecay` = 0 (L2 penalty),
 * `nesterov` = false (needs momentum > 0 and dampening 0), `maximize` = false.
 *
 * State per parameter: `momentumBuffer` (null without momentum).
 *
 * @example
 * const model = new nn.Linear(4, 2);
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad();
 * lossFn.forward(model.forward(x), y).backward();
 * opt.step();
 */
export class SGD extends Optimizer<SGDHyperparams, SGDState> {
  constructor(params: ParamsInput<SGDHyperparams>, opts: SGDOptions = {}) {
    const defaults = {
      lr: opts?.lr,
      momentum: opts?.momentum ?? 0,
      dampening: opts?.dampening ?? 0,
      weightDecay: opts?.weightDecay ?? 0,
      nesterov: opts?.nesterov ?? false,
      maximize: opts?.maximize ?? false,
    };
    super('SGD', params, opts, defaults, SPEC);
  }

  protected initState(): SGDState {
    return { momentumBuffer: null };
  }

  protected update(p: Tensor, grad: Tensor, group: ParamGroup<SGDHyperparams>, s: SGDState): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    if (this.fusedUpdate(p, grad, group, s)) return;
    let d = maximize ? grad.neg() : grad;
    if (weightDecay !== 0) d = d.add(p.mul(weightDecay));
    if (momentum !== 0) {
      const buf = s.momentumBuffer;
      s.momentumBuffer = swapState(buf, buf === null ? d.clone() : buf.mul(momentum).add(d.mul(1 - dampening)));
      d = nesterov ? d.add(s.momentumBuffer.mul(momentum)) : s.momentumBuffer;
    }
    p.sub_(d.mul(lr));
  }

  /** The backend's one-kernel update where it has one (and every dtype agrees); false to compose. */
  private fusedUpdate(p: Tensor, grad: Tensor, group: ParamGroup<SGDHyperparams>, s: SGDState): boolean {
    const buf = s.momentumBuffer;
    const be = backendOf('SGD.step', p, grad, ...(buf ? [buf] : []));
    const kernel = fusedKernel(be, 'sgdStep');
    if (!kernel || grad.dtype !== p.dtype || (buf && buf.dtype !== p.dtype)) return false;
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    const spec = { lr, momentum, dampening, nesterov, weightDecay, maximize };
    const r = kernel(p._storage(), grad._storage(), buf?._storage() ?? null, p.numel(), spec, p.dtype);
    p._adoptStorage(wrap(be, r.param, p.shape, p.dtype));
    if (r.momentumBuffer) s.momentumBuffer = swapState(buf, wrap(be, r.momentumBuffer, p.shape, p.dtype));
    return true;
  }
}
