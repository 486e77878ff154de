import { AdamBase, type AdamHyperparams, type AdamOptions } from './adam.js';
import type { ParamsInput } from './optimizer.js';

/**
 * AdamW (torch.optim.AdamW): Adam with decoupled weight decay — the parameter itself shrinks by
 * `lr·weightDecay` each step, instead of the decay entering the gradient and its moments.
 *
 * Takes the parameters to optimize (tensors, or groups `{ params, ...overrides }`). Each step t,
 * for a parameter θ with gradient g (negated when `maximize`):
 *
 *     θ ← θ·(1 − lr·weightDecay)
 *     m ← β1·m + (1 − β1)·g          v ← β2·v + (1 − β2)·g²
 *     v̂max ← max(v̂max, v)            (amsgrad; then v̂max is used for v below)
 *     θ ← θ − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)
 *
 * Options: `lr` = 1e-3, `betas` = [0.9, 0.999], `eps` = 1e-8, `weightDecay` = 1e-2,
 * `amsgrad` = false, `maximize` = false.
 *
 * State per parameter: `step`, `expAvg`, `expAvgSq`, and `maxExpAvgSq` with amsgrad.
 *
 * @example
 * const opt = new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 * opt.zeroGrad();
 * lossFn.forward(model.forward(x), y).backward();
 * opt.step();
 */
export class AdamW extends AdamBase {
  constructor(params: ParamsInput<AdamHyperparams>, opts: AdamOptions = {}) {
    super('AdamW', params, opts, 1e-2, true);
  }
}
