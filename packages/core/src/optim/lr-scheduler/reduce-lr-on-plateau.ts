import { ValueError } from '../../errors.js';
import { Tensor } from '../../tensor.js';
import { checkOptimizer, fieldsOf, loadFields, type SchedulableOptimizer, type SchedulerStateDict } from './lr-scheduler.js';

/** Options of {@link ReduceLROnPlateau}, with PyTorch's defaults. */
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

/**
 * Reduces each group's learning rate by `factor` when a metric has stopped improving for more
 * than `patience` epochs (torch.optim.lr_scheduler.ReduceLROnPlateau). Call `step(metric)` once
 * per epoch with, e.g., the validation loss.
 *
 * Options: `mode` = 'min', `factor` = 0.1, `patience` = 10, `threshold` = 1e-4,
 * `thresholdMode` = 'rel', `cooldown` = 0, `minLr` = 0, `eps` = 1e-8.
 *
 * @example
 * const sched = new optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 5 });
 * for (let epoch = 0; epoch < 100; epoch++) { trainOneEpoch(); sched.step(await validate()); }
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
    const factor = opts.factor ?? 0.1;
    if (!(factor < 1)) throw new ValueError(`${op}: Factor should be < 1.0. (got ${factor})`);
    checkOptimizer(op, optimizer);
    const groups = optimizer.paramGroups.length;
    const minLr = opts.minLr ?? 0;
    if (Array.isArray(minLr) && minLr.length !== groups) {
      throw new ValueError(`${op}: expected ${groups} min_lrs, got ${minLr.length} (one minLr per param group)`);
    }
    const mode = opts.mode ?? 'min';
    const thresholdMode = opts.thresholdMode ?? 'rel';
    if (mode !== 'min' && mode !== 'max') throw new ValueError(`${op}: mode ${String(mode)} is unknown! (expected 'min' or 'max')`);
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs') {
      throw new ValueError(`${op}: threshold mode ${String(thresholdMode)} is unknown! (expected 'rel' or 'abs')`);
    }
    this.mode = mode;
    this.factor = factor;
    this.patience = opts.patience ?? 10;
    this.threshold = opts.threshold ?? 1e-4;
    this.thresholdMode = thresholdMode;
    this.cooldown = opts.cooldown ?? 0;
    this.minLrs = Array.isArray(minLr) ? minLr.slice() : new Array<number>(groups).fill(minLr);
    this.eps = opts.eps ?? 1e-8;
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

  /** Records one epoch's metric (a number or a one-element tensor read synchronously). */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.itemSync() : Number(metric);
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
    this.optimizer.paramGroups.forEach((g, i) => {
      const newLr = Math.max(g.lr * this.factor, this.minLrs[i]);
      if (g.lr - newLr > this.eps) g.lr = newLr;
    });
  }

  /** Each group's lr after the last `step()` (the current lrs before the first). */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** Every field but the optimizer, to save with a checkpoint. */
  stateDict(): SchedulerStateDict {
    return fieldsOf(this);
  }

  /** Restores fields saved by `stateDict()`. */
  loadStateDict(sd: SchedulerStateDict): void {
    loadFields(this, sd);
  }
}
