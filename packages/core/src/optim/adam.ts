import type { Tensor } from '../tensor.js';
import { backendOf, wrap, zerosOf } from '../ops/dispatch.js';
import { fusedKernel } from '../backend/fused.js';
import { checkAtLeastZero, checkBetas } from './check.js';
import { Optimizer, swapState, type Defaults, type OptimizerSpec, type ParamGroup, type ParamsInput } from './optimizer.js';

/** Adam's and AdamW's hyperparameters, as each parameter group holds them. */
export interface AdamHyperparams {
  /** Learning rate. */
  lr: number;
  /** Decay rates of the first and second moment estimates. */
  betas: [number, number];
  /** Added to the denominator for numerical stability. */
  eps: number;
  /** Weight decay: an L2 term in the gradient (Adam) or decoupled (AdamW). */
  weightDecay: number;
  /** Use AMSGrad: the running maximum of the second moment. */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it. */
  maximize: boolean;
}

/** Options of {@link Adam} and {@link AdamW}, with PyTorch's defaults. */
export interface AdamOptions {
  /** Learning rate. Default 1e-3. */
  lr?: number;
  /** Default [0.9, 0.999]. */
  betas?: [number, number];
  /** Default 1e-8. */
  eps?: number;
  /** Default 0 (Adam) or 1e-2 (AdamW). */
  weightDecay?: number;
  /** Default false. */
  amsgrad?: boolean;
  /** Default false. */
  maximize?: boolean;
}

/** `step` counts this parameter's own updates (a parameter without a gradient does not advance). */
export type AdamState = {
  /** This parameter's update count. */
  step: number;
  /** The first moment estimate m. */
  expAvg: Tensor;
  /** The second moment estimate v. */
  expAvgSq: Tensor;
  /** The running maximum of v (amsgrad only). */
  maxExpAvgSq?: Tensor;
};

function validate(op: string, h: Defaults<AdamHyperparams>): void {
  checkAtLeastZero(op, h.lr, 'learning rate', 'lr');
  checkAtLeastZero(op, h.eps, 'epsilon value', 'eps');
  checkBetas(op, h.betas);
  checkAtLeastZero(op, h.weightDecay, 'weight_decay value', 'weightDecay');
}

const SPEC: OptimizerSpec<AdamHyperparams> = {
  hyper: { lr: 'number', betas: 'betas', eps: 'number', weightDecay: 'number', amsgrad: 'boolean', maximize: 'boolean' },
  state: { step: 'step', expAvg: 'tensor', expAvgSq: 'tensor', maxExpAvgSq: 'tensor?' },
  validate,
};

/**
 * Adam and AdamW share everything but where weight decay goes: into the gradient (Adam's L2
 * penalty) or straight onto the parameter (AdamW's decoupled decay).
 */
export abstract class AdamBase extends Optimizer<AdamHyperparams, AdamState> {
  protected constructor(
    opName: string,
    params: ParamsInput<AdamHyperparams>,
    opts: AdamOptions,
    defaultWeightDecay: number,
    private readonly decoupled: boolean,
  ) {
    const defaults = {
      lr: opts?.lr ?? 1e-3,
      betas: opts?.betas ?? ([0.9, 0.999] as [number, number]),
      eps: opts?.eps ?? 1e-8,
      weightDecay: opts?.weightDecay ?? defaultWeightDecay,
      amsgrad: opts?.amsgrad ?? false,
      maximize: opts?.maximize ?? false,
    };
    super(opName, params, opts, defaults, SPEC);
  }

  protected initState(p: Tensor, group: ParamGroup<AdamHyperparams>): AdamState {
    const s: AdamState = { step: 0, expAvg: swapState(null, zerosOf(p)), expAvgSq: swapState(null, zerosOf(p)) };
    if (group.amsgrad) s.maxExpAvgSq = swapState(null, zerosOf(p));
    return s;
  }

  // The order of operations is PyTorch 1.13's single-tensor loop, so float32 results round alike.
  protected update(p: Tensor, grad: Tensor, group: ParamGroup<AdamHyperparams>, s: AdamState): void {
    const { lr, eps, weightDecay, amsgrad, maximize } = group;
    const [beta1, beta2] = group.betas;
    s.step += 1;
    if (this.fusedUpdate(p, grad, group, s)) return;
    let g = maximize ? grad.neg() : grad;
    if (this.decoupled) p.mul_(1 - lr * weightDecay);
    else if (weightDecay !== 0) g = g.add(p.mul(weightDecay));

    s.expAvg = swapState(s.expAvg, s.expAvg.mul(beta1).add(g.mul(1 - beta1)));
    s.expAvgSq = swapState(s.expAvgSq, s.expAvgSq.mul(beta2).add(g.mul(1 - beta2).mul(g)));

    const biasCorrection1 = 1 - beta1 ** s.step;
    const biasCorrection2 = 1 - beta2 ** s.step;
    const stepSize = lr / biasCorrection1;
    let second = s.expAvgSq;
    if (amsgrad) {
      // the running max of the second moment; created here if amsgrad was switched on later
      const max = s.maxExpAvgSq ?? zerosOf(p);
      s.maxExpAvgSq = swapState(s.maxExpAvgSq, max.maximum(s.expAvgSq));
      second = s.maxExpAvgSq;
    }
    const denom = second.sqrt().div(Math.sqrt(biasCorrection2)).add(eps);
    p.sub_(s.expAvg.mul(stepSize).div(denom));
  }

  /** The backend's one-kernel update where it has one (and every dtype agrees); false to compose. */
  private fusedUpdate(p: Tensor, grad: Tensor, group: ParamGroup<AdamHyperparams>, s: AdamState): boolean {
    const max = group.amsgrad ? (s.maxExpAvgSq ?? null) : null;
    const moments = [s.expAvg, s.expAvgSq, ...(max ? [max] : [])];
    const be = backendOf(`${this.opName}.step`, p, grad, ...moments);
    const kernel = fusedKernel(be, 'adamStep');
    if (!kernel || grad.dtype !== p.dtype || moments.some((m) => m.dtype !== p.dtype)) return false;
    const { lr, eps, weightDecay, amsgrad, maximize } = group;
    const [beta1, beta2] = group.betas;
    const spec = { lr, beta1, beta2, eps, weightDecay, decoupled: this.decoupled, amsgrad, maximize, step: s.step };
    const state = { expAvg: s.expAvg._storage(), expAvgSq: s.expAvgSq._storage(), maxExpAvgSq: max?._storage() ?? null };
    const r = kernel(p._storage(), grad._storage(), state, p.numel(), spec, p.dtype);
    const own = (storage: typeof r.param): Tensor => wrap(be, storage, p.shape, p.dtype);
    p._adoptStorage(own(r.param));
    s.expAvg = swapState(s.expAvg, own(r.expAvg));
    s.expAvgSq = swapState(s.expAvgSq, own(r.expAvgSq));
    if (r.maxExpAvgSq) s.maxExpAvgSq = swapState(s.maxExpAvgSq, own(r.maxExpAvgSq));
    return true;
  }
}

/**
 * Adam (torch.optim.Adam): per-parameter step sizes from running averages of the gradient and
 * its square.
 *
 * Takes the parameters to optimize (tensors, or groups `{ params, ...overrides }`). Each step t,
 * for a parameter θ with gradient g (negated when `maximize`):
 *
 *     g ← g + weightDecay·θ
 *     m ← β1·m + (1 − β1)·g          v ← β2·v + (1 − β2)·g²
 *     v̂max ← max(v̂max, v)            (amsgrad; then v̂max is used for v below)
 *     θ ← θ − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)
 *
 * Options: `lr` = 1e-3, `betas` = [0.9, 0.999], `eps` = 1e-8, `weightDecay` = 0 (L2 penalty),
 * `amsgrad` = false, `maximize` = false.
 *
 * State per parameter: `step`, `expAvg`, `expAvgSq`, and `maxExpAvgSq` with amsgrad.
 *
 * @example
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 * opt.zeroGrad();
 * lossFn.forward(model.forward(x), y).backward();
 * opt.step();
 */
export class Adam extends AdamBase {
  constructor(params: ParamsInput<AdamHyperparams>, opts: AdamOptions = {}) {
    super('Adam', params, opts, 0, false);
  }
}
