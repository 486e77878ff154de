import { ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { checkLastEpoch, LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';
import { checkInt, type SchedulerStateDict } from './state.js';

/** Options of {@link LinearLR}. */
export interface LinearLROptions {
  /** The factor of the first epoch, in (0, 1]. Default 1/3. */
  startFactor?: number;
  /** The factor from `totalIters` on, in [0, 1]. Default 1. */
  endFactor?: number;
  /** Epochs over which the factor moves from start to end. Default 5. */
  totalIters?: number;
  /** Default -1 (start fresh). */
  lastEpoch?: number;
}

const KEYS: OptionKeys<LinearLROptions> = { startFactor: true, endFactor: true, totalIters: true, lastEpoch: true };

function checkFactors(where: string, start: unknown, end: unknown, totalIters: unknown): void {
  if (typeof start !== 'number' || !(start > 0 && start <= 1)) {
    throw new ValueError(`${where}: Starting multiplicative factor expected to be greater than 0 and less or equal to 1. (startFactor ${String(start)})`);
  }
  if (typeof end !== 'number' || !(end >= 0 && end <= 1)) {
    throw new ValueError(`${where}: Ending multiplicative factor expected to be between 0 and 1. (endFactor ${String(end)})`);
  }
  checkInt(where, 'totalIters', totalIters, 1);
}

/**
 * Scales each group's learning rate by a factor that moves linearly from `startFactor` to
 * `endFactor` over `totalIters` epochs, then stays (torch.optim.lr_scheduler.LinearLR); the usual
 * warm-up, alone or as the first part of a SequentialLR:
 *
 *     factor_t = startFactor + (endFactor − startFactor)·min(t, totalIters)/totalIters
 *
 * computed, as PyTorch's `step()` does, from the current lr so other changes compose:
 *
 *     lr_0 = lr·startFactor,   lr_t = lr_(t−1)·(1 + (end − start)/(totalIters·start + (t − 1)·(end − start)))
 *
 * Options: `startFactor` = 1/3, `endFactor` = 1, `totalIters` = 5, `lastEpoch` = -1.
 *
 * @example
 * const model = new nn.Linear(4, 2);
 * const opt = new optim.AdamW(model.parameters(), { lr: 1e-3 });
 * const sched = new optim.lrScheduler.LinearLR(opt, { startFactor: 0.01, totalIters: 10 });
 * for (let step = 0; step < 20; step++) {
 *   opt.zeroGrad();
 *   model.forward(randn([8, 4])).square().mean().backward();
 *   opt.step();
 *   sched.step();
 * }
 */
export class LinearLR extends LRScheduler {
  /** The lr factor at the first step. */
  startFactor: number;
  /** The lr factor from step `totalIters` on. */
  endFactor: number;
  /** Steps over which the factor moves from startFactor to endFactor. */
  totalIters: number;

  constructor(optimizer: SchedulableOptimizer, opts: LinearLROptions = {}) {
    const o = checkOptions('LinearLR', opts, KEYS);
    const start = o.startFactor ?? 1 / 3;
    const end = o.endFactor ?? 1;
    const totalIters = o.totalIters ?? 5;
    checkFactors('LinearLR', start, end, totalIters);
    super(optimizer, checkLastEpoch('LinearLR', o.lastEpoch), 'LinearLR');
    this.startFactor = start;
    this.endFactor = end;
    this.totalIters = totalIters;
    this._initialStep();
  }

  protected getLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: n, lastEpoch: t } = this;
    const groups = this.optimizer.paramGroups;
    if (t === 0) return groups.map((g) => g.lr * s);
    if (this.isInitial || t > n) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1 + (e - s) / (n * s + (t - 1) * (e - s))));
  }

  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: n, lastEpoch: t } = this;
    return this.baseLrs.map((base) => base * (s + ((e - s) * Math.min(n, t)) / n));
  }

  protected override checkFields(where: string, f: SchedulerStateDict): void {
    super.checkFields(where, f);
    checkFactors(where, f.startFactor, f.endFactor, f.totalIters);
  }
}
