import { checkOptions, type OptionKeys } from '../../options.js';
import { checkLastEpoch, checkOptimizer, LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';
import { factorOf, lambdasFor, type LrLambda } from './lambda.js';
import type { SchedulerStateDict } from './state.js';

/** Options of {@link LambdaLR}. */
export interface LambdaLROptions {
  /** Default -1 (start fresh). */
  lastEpoch?: number;
}

const KEYS: OptionKeys<LambdaLROptions> = { lastEpoch: true };

/**
 * Sets each group's learning rate to its initial lr times a function of the epoch
 * (torch.optim.lr_scheduler.LambdaLR):
 *
 *     lr_epoch = initialLr · lrLambda(epoch)
 *
 * Takes the optimizer and `lrLambda`: one function for every group, or an array of one per group.
 * Options: `lastEpoch` = -1. The functions are not part of `stateDict()` (PyTorch saves only
 * callable objects' fields; a JS function has none to save): rebuild the scheduler with them,
 * then load the state.
 *
 * @example
 * const model = new nn.Linear(4, 2);
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
 * const warmup = (epoch: number) => Math.min(1, (epoch + 1) / 10);
 * const sched = new optim.lrScheduler.LambdaLR(opt, warmup);
 * for (let step = 0; step < 20; step++) {
 *   opt.zeroGrad();
 *   model.forward(randn([8, 4])).square().mean().backward();
 *   opt.step();
 *   sched.step();
 * }
 */
export class LambdaLR extends LRScheduler {
  /** One function per group: epoch to the factor of the initial lr. */
  lrLambdas: LrLambda[];

  constructor(optimizer: SchedulableOptimizer, lrLambda: LrLambda | LrLambda[], opts: LambdaLROptions = {}) {
    const o = checkOptions('LambdaLR', opts, KEYS);
    checkOptimizer('LambdaLR', optimizer);
    const lambdas = lambdasFor('LambdaLR', lrLambda, optimizer.paramGroups.length);
    super(optimizer, checkLastEpoch('LambdaLR', o.lastEpoch), 'LambdaLR');
    this.lrLambdas = lambdas;
    this._initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((base, i) => base * factorOf(this.opName, this.lrLambdas[i], this.lastEpoch, i));
  }

  override stateDict(): SchedulerStateDict {
    const sd = super.stateDict();
    delete sd.lrLambdas;
    return sd;
  }
}
