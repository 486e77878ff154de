import { ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { checkLastEpoch, LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';
import { checkFinite, type SchedulerStateDict } from './state.js';

/** Options of {@link StepLR}. */
export interface StepLROptions {
  /** Epochs between decays. */
  stepSize: number;
  /** Factor of each decay. Default 0.1. */
  gamma?: number;
  /** Default -1 (start fresh). */
  lastEpoch?: number;
}

const KEYS: OptionKeys<StepLROptions> = { stepSize: true, gamma: true, lastEpoch: true };

function checkStepSize(where: string, stepSize: unknown): void {
  if (typeof stepSize !== 'number' || !Number.isInteger(stepSize) || stepSize <= 0) {
    throw new ValueError(`${where}: stepSize must be a positive integer, got ${String(stepSize)}`);
  }
}

/**
 * Decays each group's learning rate by `gamma` every `stepSize` epochs (torch.optim.lr_scheduler.StepLR):
 *
 *     lr_epoch = lr_(epoch−1) · gamma   when epoch > 0 and epoch % stepSize = 0, else unchanged
 *
 * Options: `stepSize` (required), `gamma` = 0.1, `lastEpoch` = -1.
 *
 * @example
 * const model = new nn.Linear(4, 2);
 * const opt = new optim.SGD(model.parameters(), { lr: 0.05 });
 * const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   opt.zeroGrad();
 *   model.forward(randn([8, 4])).square().mean().backward();
 *   opt.step();
 *   sched.step();
 * }
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
    const o = checkOptions('StepLR', opts, KEYS);
    checkStepSize('StepLR', o.stepSize);
    if (o.gamma !== undefined) checkFinite('StepLR', 'gamma', o.gamma);
    super(optimizer, checkLastEpoch('StepLR', o.lastEpoch), 'StepLR');
    this.stepSize = o.stepSize;
    this.gamma = o.gamma ?? 0.1;
    this._initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }

  protected override checkFields(where: string, f: SchedulerStateDict): void {
    super.checkFields(where, f);
    checkStepSize(where, f.stepSize);
    checkFinite(where, 'gamma', f.gamma);
  }
}
