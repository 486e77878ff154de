import { ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { checkLastEpoch, LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';
import { checkFinite, checkInt, type SchedulerStateDict } from './state.js';

/** Options of {@link MultiStepLR}. */
export interface MultiStepLROptions {
  /** Epochs at which to decay; a milestone listed n times decays by gammaⁿ. */
  milestones: number[];
  /** Factor of each decay. Default 0.1. */
  gamma?: number;
  /** Default -1 (start fresh). */
  lastEpoch?: number;
}

const KEYS: OptionKeys<MultiStepLROptions> = { milestones: true, gamma: true, lastEpoch: true };

function checkMilestones(where: string, milestones: unknown): void {
  if (!Array.isArray(milestones)) throw new ValueError(`${where}: milestones must be an array of epochs, got ${String(milestones)}`);
  milestones.forEach((m, i) => checkInt(where, `milestones[${i}]`, m, 0));
}

/**
 * Decays each group's learning rate by `gamma` at each milestone epoch
 * (torch.optim.lr_scheduler.MultiStepLR):
 *
 *     lr_epoch = lr_(epoch−1) · gamma^(times epoch appears in milestones)
 *
 * Options: `milestones` (required), `gamma` = 0.1, `lastEpoch` = -1.
 *
 * @example
 * const model = new nn.Linear(4, 2);
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
 * const sched = new optim.lrScheduler.MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   opt.zeroGrad();
 *   model.forward(randn([8, 4])).square().mean().backward();
 *   opt.step();
 *   sched.step();
 * }
 */
export class MultiStepLR extends LRScheduler {
  /** Sorted; repeats kept (PyTorch keeps a Counter). */
  milestones: number[];
  /** Factor of each decay. */
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, opts: MultiStepLROptions) {
    const o = checkOptions('MultiStepLR', opts, KEYS);
    checkMilestones('MultiStepLR', o.milestones);
    if (o.gamma !== undefined) checkFinite('MultiStepLR', 'gamma', o.gamma);
    super(optimizer, checkLastEpoch('MultiStepLR', o.lastEpoch), 'MultiStepLR');
    this.milestones = o.milestones.slice().sort((a, b) => a - b);
    this.gamma = o.gamma ?? 0.1;
    this._initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const times = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (times === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma ** times);
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((base) => base * this.gamma ** passed);
  }

  protected override checkFields(where: string, f: SchedulerStateDict): void {
    super.checkFields(where, f);
    checkMilestones(where, f.milestones);
    checkFinite(where, 'gamma', f.gamma);
  }
}
