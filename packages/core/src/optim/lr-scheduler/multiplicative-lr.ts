import { checkOptions, type OptionKeys } from '../../options.js';
import { checkLastEpoch, checkOptimizer, LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';
import { factorOf, lambdasFor, type LrLambda } from './lambda.js';
import type { SchedulerStateDict } from './state.js';

/** Options of {@link MultiplicativeLR}. */
export interface MultiplicativeLROptions {
  /** Default -1 (start fresh). */
  lastEpoch?: number;
}

const KEYS: OptionKeys<MultiplicativeLROptions> = { lastEpoch: true };

/**
 * Multiplies each group's learning rate by a function of the epoch at every step
 * (torch.optim.lr_scheduler.MultiplicativeLR):
 *
 *     lr_epoch = lr_(epoch−1) · lrLambda(epoch)      (the constructor's step leaves lr as it is)
 *
 * Takes the optimizer and `lrLambda`: one function for every group, or an array of one per group.
 * Options: `lastEpoch` = -1. The functions are not part of `stateDict()`.
 *
 * @example
 * const model = new nn.Linear(4, 2);
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
 * const sched = new optim.lrScheduler.MultiplicativeLR(opt, () => 0.95);
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   opt.zeroGrad();
 *   model.forward(randn([8, 4])).square().mean().backward();
 *   opt.step();
 *   sched.step();
 * }
 */
export class MultiplicativeLR extends LRScheduler {
  /** One function per group: epoch to the factor the lr is multiplied by at that step. */
  lrLambdas: LrLambda[];

  constructor(optimizer: SchedulableOptimizer, lrLambda: LrLambda | LrLambda[], opts: MultiplicativeLROptions = {}) {
    const o = checkOptions('MultiplicativeLR', opts, KEYS);
    checkOptimizer('MultiplicativeLR', optimizer);
    const lambdas = lambdasFor('MultiplicativeLR', lrLambda, optimizer.paramGroups.length);
    super(optimizer, checkLastEpoch('MultiplicativeLR', o.lastEpoch), 'MultiplicativeLR');
    this.lrLambdas = lambdas;
    this._initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.isInitial) return groups.map((g) => g.lr);
    return groups.map((g, i) => g.lr * factorOf(this.opName, this.lrLambdas[i], this.lastEpoch, i));
  }

  override stateDict(): SchedulerStateDict {
    const sd = super.stateDict();
    delete sd.lrLambdas;
    return sd;
  }
}
