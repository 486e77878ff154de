import { ValueError } from '../../errors.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** Epochs of half a cosine period. */
  tMax: number;
  /** The lowest lr. Default 0. */
  etaMin?: number;
  /** Default -1 (start fresh). */
  lastEpoch?: number;
}

/**
 * Anneals each group's learning rate along a cosine from its initial lr down to `etaMin` over
 * `tMax` epochs, and back up over the next `tMax` (torch.optim.lr_scheduler.CosineAnnealingLR):
 *
 *     lr_t = etaMin + (lr_0 − etaMin)·(1 + cos(π·t/tMax))/2
 *
 * computed, as PyTorch does, recursively from the current lr, so other changes to lr compose:
 *
 *     lr_t = (1 + cos(π·t/tMax)) / (1 + cos(π·(t−1)/tMax)) · (lr_(t−1) − etaMin) + etaMin
 *
 * Options: `tMax` (required), `etaMin` = 0, `lastEpoch` = -1.
 *
 * @example
 * const sched = new optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 50, etaMin: 1e-5 });
 * for (let epoch = 0; epoch < 50; epoch++) { trainOneEpoch(); sched.step(); }
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
    if (!(opts?.tMax > 0)) throw new ValueError(`CosineAnnealingLR: tMax must be > 0, got ${opts?.tMax}`);
    super(optimizer, opts.lastEpoch ?? -1, 'CosineAnnealingLR');
    this.tMax = opts.tMax;
    this.etaMin = opts.etaMin ?? 0;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { tMax, etaMin, lastEpoch: t } = this;
    const groups = this.optimizer.paramGroups;
    if (t === 0) return groups.map((g) => g.lr);
    if (this.stepCount === 1 && t > 0) {
      // resuming mid-schedule: the closed form from the base lrs
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((t * Math.PI) / tMax))) / 2);
    }
    if ((t - 1 - tMax) % (2 * tMax) === 0) {
      // the bottom of the cosine, where the ratio below would divide by zero
      return groups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax));
    return groups.map((g) => ratio * (g.lr - etaMin) + etaMin);
  }
}
