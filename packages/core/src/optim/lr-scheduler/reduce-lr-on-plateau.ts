import { ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { Tensor } from '../../tensor.js';
import { checkKinds, describeValue } from '../check.js';
import { checkOptimizer, type SchedulableOptimizer } from './lr-scheduler.js';
import { assignFields, checkGroupLrs, checkInt, checkStateShape, fieldsOf, type SchedulerStateDict } from './state.js';

/** Options of {@link ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** 'min': reduce when the metric stops decreasing; 'max': when it stops increasing. Default 'min'. */
  mode?: 'min' | 'max';
  /** new lr = lr · factor; must be < 1. Default 0.1. */
  factor?: number;
  /** Epochs without improvement tolerated before reducing. Default 10. */
  patience?: number;
  /** How much better counts as better. Default 1e-4. */
  threshold?: number;
  /** 'rel': better than best·(1 ∓ threshold); 'abs': better than best ∓ threshold. Default 'rel'. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again. Default 0. */
  cooldown?: number;
  /** Lower bound on lr, one for all groups or one per group. Default 0. */
  minLr?: number | number[];
  /** A reduction smaller than eps is skipped. Default 1e-8. */
  eps?: number;
}

const KEYS: OptionKeys<ReduceLROnPlateauOptions> = {
  mode: true, factor: true, patience: true, threshold: true, thresholdMode: true, cooldown: true, minLr: true, eps: true,
};

/** The checks the constructor and loadStateDict share, with PyTorch's messages where it has one. */
function checkSettings(op: string, f: Record<string, unknown>): void {
  if (typeof f.factor !== 'number' || !(f.factor < 1)) throw new ValueError(`${op}: Factor should be < 1.0. (got ${String(f.factor)})`);
  if (f.mode !== 'min' && f.mode !== 'max') throw new ValueError(`${op}: mode ${String(f.mode)} is unknown! (expected 'min' or 'max')`);
  if (f.thresholdMode !== 'rel' && f.thresholdMode !== 'abs') {
    throw new ValueError(`${op}: threshold mode ${String(f.thresholdMode)} is unknown! (expected 'rel' or 'abs')`);
  }
  checkInt(op, 'patience', f.patience, 0);
  checkInt(op, 'cooldown', f.cooldown, 0);
  checkKinds(op, f, { threshold: 'number', eps: 'number' });
}

/**
 * Reduces each group's learning rate by `factor` when a metric has stopped improving for more
 * than `patience` epochs (torch.optim.lr_scheduler.ReduceLROnPlateau). Call `step(metric)` once
 * per epoch with, e.g., the validation loss.
 *
 * Options: `mode` = 'min', `factor` = 0.1, `patience` = 10, `threshold` = 1e-4,
 * `thresholdMode` = 'rel', `cooldown` = 0, `minLr` = 0, `eps` = 1e-8.
 *
 * @example
 * const model = new nn.Linear(4, 2);
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
 * const sched = new optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 5 });
 * for (let epoch = 0; epoch < 20; epoch++) {
 *   opt.zeroGrad();
 *   const loss = model.forward(randn([8, 4])).square().mean();
 *   loss.backward();
 *   opt.step();
 *   sched.step(await loss.item());
 * }
 */
export class ReduceLROnPlateau {
  /** 'min' or 'max': whether a lower or a higher metric is better. */
  mode: 'min' | 'max';
  /** new lr = lr * factor. */
  factor: number;
  /** Epochs without improvement tolerated before reducing. */
  patience: number;
  /** How much better counts as better. */
  threshold: number;
  /** 'rel' or 'abs': how `threshold` applies. */
  thresholdMode: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again. */
  cooldown: number;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  /** The lower bound of each group's lr. */
  minLrs: number[];
  /** The one minLr given for every group (null when one per group was given), for groups added later. */
  defaultMinLr: number | null;
  /** A reduction smaller than this is skipped. */
  eps: number;
  /** The best metric so far (±Infinity before the first step). */
  best: number;
  /** Consecutive epochs without improvement. */
  numBadEpochs = 0;
  /** Epochs recorded by `step()`. */
  lastEpoch = 0;
  private lastLr: number[];

  /**
   * @param optimizer - The optimizer whose groups' `lr` this reduces.
   * @param opts - `mode` ('min'), `factor` (0.1), `patience` (10), `threshold` (1e-4),
   *   `thresholdMode` ('rel'), `cooldown` (0), `minLr` (0), `eps` (1e-8).
   */
  constructor(
    readonly optimizer: SchedulableOptimizer,
    opts: ReduceLROnPlateauOptions = {},
  ) {
    const op = 'ReduceLROnPlateau';
    const o = checkOptions(op, opts, KEYS);
    const settings = {
      factor: o.factor ?? 0.1, mode: o.mode ?? 'min', thresholdMode: o.thresholdMode ?? 'rel',
      patience: o.patience ?? 10, cooldown: o.cooldown ?? 0, threshold: o.threshold ?? 1e-4, eps: o.eps ?? 1e-8,
    };
    checkSettings(op, settings);
    checkOptimizer(op, optimizer);
    const groups = optimizer.paramGroups.length;
    const minLr = o.minLr ?? 0;
    if (Array.isArray(minLr) && minLr.length !== groups) {
      throw new ValueError(`${op}: expected ${groups} min_lrs, got ${minLr.length} (one minLr per param group)`);
    }
    (Array.isArray(minLr) ? minLr : [minLr]).forEach((m, i) => {
      if (typeof m !== 'number' || !(m >= 0)) throw new ValueError(`${op}: minLr${Array.isArray(minLr) ? `[${i}]` : ''} must be a number >= 0, got ${describeValue(m)}`);
    });
    this.mode = settings.mode;
    this.factor = settings.factor;
    this.patience = settings.patience;
    this.threshold = settings.threshold;
    this.thresholdMode = settings.thresholdMode;
    this.cooldown = settings.cooldown;
    this.defaultMinLr = Array.isArray(minLr) ? null : minLr;
    this.minLrs = Array.isArray(minLr) ? minLr.slice() : new Array<number>(groups).fill(minLr);
    this.eps = settings.eps;
    this.best = this.modeWorse();
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private modeWorse(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Whether a reduction happened less than `cooldown` epochs ago. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Whether metric `a` improves on `best` by more than the threshold, in this mode. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  /**
   * Records one epoch's metric: a number (nan counts as no improvement, as in PyTorch) or a
   * one-element tensor read synchronously. Anything else throws before anything changes.
   */
  step(metric: number | Tensor): void {
    const op = 'ReduceLROnPlateau.step';
    if (!(metric instanceof Tensor) && typeof metric !== 'number') {
      throw new ValueError(`${op}: the metric must be a number or a one-element tensor, got ${describeValue(metric)}`);
    }
    checkGroupLrs(op, this.optimizer.paramGroups);
    const current = metric instanceof Tensor ? metric.itemSync() : metric;
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs during cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    const groups = this.optimizer.paramGroups;
    if (groups.length !== this.minLrs.length) {
      // a group was added since construction: one minLr for all extends to it, as in PyTorch
      if (this.defaultMinLr === null) {
        throw new ValueError(
          `ReduceLROnPlateau.step: the optimizer has ${groups.length} param groups but minLrs has ${this.minLrs.length} (a group was added after the scheduler was built); set minLrs to one per group`,
        );
      }
      this.minLrs = new Array<number>(groups.length).fill(this.defaultMinLr);
    }
    groups.forEach((g, i) => {
      const newLr = Math.max(g.lr * this.factor, this.minLrs[i]);
      if (g.lr - newLr > this.eps) g.lr = newLr;
    });
  }

  /** Each group's lr after the last `step()` (the current lrs before the first). */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** Every field but the optimizer. */
  stateDict(): SchedulerStateDict {
    return fieldsOf(this, ['optimizer']);
  }

  /** Restores `stateDict()`'s fields; checks each (kind, range, one minLr per group) before changing any. */
  loadStateDict(sd: SchedulerStateDict): void {
    const where = 'ReduceLROnPlateau.loadStateDict';
    const f = checkStateShape(where, this.stateDict(), sd, this.optimizer.paramGroups.length, ['minLrs', 'lastLr'], ['defaultMinLr']);
    checkSettings(where, f);
    for (const k of ['cooldownCounter', 'numBadEpochs', 'lastEpoch']) checkInt(where, k, f[k], 0);
    (f.minLrs as unknown[]).forEach((m, i) => {
      if (typeof m !== 'number' || !(m >= 0)) throw new ValueError(`${where}: minLrs[${i}] must be a number >= 0, got ${describeValue(m)}`);
    });
    assignFields(this, f);
  }
}
