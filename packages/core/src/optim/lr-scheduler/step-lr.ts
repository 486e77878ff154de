import { ValueError } from '../../errors.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/** Options of {@link StepLR}. */
export interface StepLROptions {
  /** Epochs between decays. */
  stepSize: number;
  /** Factor of each decay. Default 0.1. */
  gamma?: number;
  /** Default -1 (start fresh). */
  lastEpoch?: number;
}

/**
 * Decays each group's learning rate by `gamma` every `stepSize` epochs (torch.optim.lr_scheduler.StepLR):
 *
 *     lr_epoch = lr_(epoch−1) · gamma   when epoch > 0 and epoch % stepSize = 0, else unchanged
 *
 * Options: `stepSize` (required), `gamma` = 0.1, `lastEpoch` = -1.
 *
 * @example
 * const opt = new optim.SGD(model.parameters(), { lr: 0.05 });
 * const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 100; epoch++) { trainOneEpoch(); sched.step(); }
 */
export class StepLR extends LRScheduler {
  /** Epochs between decays. */
  stepSize: number;
  /** Factor of each decay. */
  gamma: number;

  /**
   * @param optimizer - The optimizer to schedule.
   * @param opts - `stepSize` (required), `gamma` (0.1), `lastEpoch` (-1).
   */
  constructor(optimizer: SchedulableOptimizer, opts: StepLROptions) {
    if (!Number.isInteger(opts?.stepSize) || opts.stepSize <= 0) {
      throw new ValueError(`StepLR: stepSize must be a positive integer, got ${opts?.stepSize}`);
    }
    super(optimizer, opts.lastEpoch ?? -1, 'StepLR');
    this.stepSize = opts.stepSize;
    this.gamma = opts.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }
}
