import { cos } from './cos.js';
import { ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { checkLastEpoch, LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';
import { checkFinite, type SchedulerStateDict } from './state.js';

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** Epochs of half a cosine period. */
  tMax: number;
  /** The lowest lr. Default 0. */
  etaMin?: number;
  /** Default -1 (start fresh). */
  lastEpoch?: number;
}

const KEYS: OptionKeys<CosineAnnealingLROptions> = { tMax: true, etaMin: true, lastEpoch: true };

function checkTMax(where: string, tMax: unknown): void {
  if (typeof tMax !== 'number' || !(tMax > 0) || !Number.isFinite(tMax)) throw new ValueError(`${where}: tMax must be > 0, got ${String(tMax)}`);
}

/**
 * Anneals each group's learning rate along a cosine from its initial lr down to `etaMin` over
 * `tMax` epochs, and back up over the next `tMax` (torch.optim.lr_scheduler.CosineAnnealingLR):
 *
 *     lr_t = etaMin + (lr_0 − etaMin)·(1 + cos(π·t/tMax))/2
 *
 * computed, as PyTorch's `step()` does, recursively from the current lr, so other changes to lr
 * compose:
 *
 *     lr_t = (1 + cos(π·t/tMax)) / (1 + cos(π·(t−1)/tMax)) · (lr_(t−1) − etaMin) + etaMin
 *
 * Built with `lastEpoch` to resume, it keeps the groups' current lrs and continues from them.
 *
 * Options: `tMax` (required), `etaMin` = 0, `lastEpoch` = -1.
 *
 * @example
 * const model = new nn.Linear(4, 2);
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
 * const sched = new optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 50, etaMin: 1e-5 });
 * for (let epoch = 0; epoch < 50; epoch++) {
 *   opt.zeroGrad();
 *   model.forward(randn([8, 4])).square().mean().backward();
 *   opt.step();
 *   sched.step();
 * }
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Epochs of half a cosine period. */
  tMax: number;
  /** The lowest lr. */
  etaMin: number;

  /**
   * @param optimizer - The optimizer to schedule.
   * @param opts - `tMax` (required), `etaMin` (0), `lastEpoch` (-1).
   */
  constructor(optimizer: SchedulableOptimizer, opts: CosineAnnealingLROptions) {
    const o = checkOptions('CosineAnnealingLR', opts, KEYS);
    checkTMax('CosineAnnealingLR', o.tMax);
    if (o.etaMin !== undefined) checkFinite('CosineAnnealingLR', 'etaMin', o.etaMin);
    super(optimizer, checkLastEpoch('CosineAnnealingLR', o.lastEpoch), 'CosineAnnealingLR');
    this.tMax = o.tMax;
    this.etaMin = o.etaMin ?? 0;
    this._initialStep();
  }

  protected getLr(): number[] {
    const { tMax, etaMin, lastEpoch: t } = this;
    const groups = this.optimizer.paramGroups;
    if (this.isInitial) return groups.map((g) => g.lr);
    if (this.stepCount === 1 && t > 0) {
      // PyTorch's branch for a first step past epoch 0 (its constructor's step counts, so only a
      // loaded state with stepCount 1 gets here): the closed form from the base lrs
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + cos((t * Math.PI) / tMax))) / 2);
    }
    if ((t - 1 - tMax) % (2 * tMax) === 0) {
      // the bottom of the cosine, where the ratio below would divide by zero
      return groups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - cos(Math.PI / tMax))) / 2);
    }
    const ratio = (1 + cos((Math.PI * t) / tMax)) / (1 + cos((Math.PI * (t - 1)) / tMax));
    return groups.map((g) => ratio * (g.lr - etaMin) + etaMin);
  }

  protected override closedFormLr(): number[] {
    const { tMax, etaMin, lastEpoch: t } = this;
    return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + cos((Math.PI * t) / tMax))) / 2);
  }

  protected override checkFields(where: string, f: SchedulerStateDict): void {
    super.checkFields(where, f);
    checkTMax(where, f.tMax);
    checkFinite(where, 'etaMin', f.etaMin);
  }
}
