import { checkOptions, type OptionKeys } from '../../options.js';
import { checkLastEpoch, LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';
import { checkFinite, type SchedulerStateDict } from './state.js';

/** Options of {@link ExponentialLR}. */
export interface ExponentialLROptions {
  /** The factor of every epoch. */
  gamma: number;
  /** Default -1 (start fresh). */
  lastEpoch?: number;
}

const KEYS: OptionKeys<ExponentialLROptions> = { gamma: true, lastEpoch: true };

/**
 * Multiplies each group's learning rate by `gamma` every epoch (torch.optim.lr_scheduler.ExponentialLR):
 *
 *     lr_epoch = lr_(epoch−1) · gamma      (the constructor's step leaves lr as it is)
 *
 * Options: `gamma` (required), `lastEpoch` = -1.
 *
 * @example
 * const model = new nn.Linear(4, 2);
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
 * const sched = new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.95 });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   opt.zeroGrad();
 *   model.forward(randn([8, 4])).square().mean().backward();
 *   opt.step();
 *   sched.step();
 * }
 */
export class ExponentialLR extends LRScheduler {
  /** Factor of each epoch's decay. */
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, opts: ExponentialLROptions) {
    const o = checkOptions('ExponentialLR', opts, KEYS);
    checkFinite('ExponentialLR', 'gamma', o.gamma);
    super(optimizer, checkLastEpoch('ExponentialLR', o.lastEpoch), 'ExponentialLR');
    this.gamma = o.gamma;
    this._initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.isInitial) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** this.lastEpoch);
  }

  protected override checkFields(where: string, f: SchedulerStateDict): void {
    super.checkFields(where, f);
    checkFinite(where, 'gamma', f.gamma);
  }
}
