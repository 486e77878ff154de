import { ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { describeValue } from '../check.js';
import { checkLastEpoch, checkOptimizer, LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';
import { checkInt, checkStateShape, fieldsOf, type SchedulerStateDict } from './state.js';

/** Options of {@link SequentialLR}. */
export interface SequentialLROptions {
  /** The epochs at which the next scheduler takes over: one fewer than the schedulers. */
  milestones: number[];
  /** Default -1 (start fresh). */
  lastEpoch?: number;
}

const KEYS: OptionKeys<SequentialLROptions> = { milestones: true, lastEpoch: true };

function checkMilestones(where: string, milestones: unknown, schedulers: number): number[] {
  if (!Array.isArray(milestones)) throw new ValueError(`${where}: milestones must be an array of epochs, got ${describeValue(milestones)}`);
  if (milestones.length !== schedulers - 1) {
    throw new ValueError(
      `${where}: Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${schedulers} and the number of milestones to be equal to ${milestones.length}`,
    );
  }
  milestones.forEach((m, i) => {
    checkInt(where, `milestones[${i}]`, m, 0);
    if (i > 0 && m < milestones[i - 1]) throw new ValueError(`${where}: milestones must be in increasing order, got ${JSON.stringify(milestones)}`);
  });
  return milestones.slice() as number[];
}

/** How many milestones are <= epoch (Python's bisect_right on a sorted list). */
function bisectRight(milestones: readonly number[], epoch: number): number {
  let i = 0;
  while (i < milestones.length && milestones[i] <= epoch) i++;
  return i;
}

/**
 * Runs schedulers one after another, switching at each milestone epoch
 * (torch.optim.lr_scheduler.SequentialLR); warm-up then cosine decay is
 * `new SequentialLR(opt, [new LinearLR(opt, ...), new CosineAnnealingLR(opt, ...)], { milestones: [warmup] })`.
 *
 * As in PyTorch: building it resets every group's lr to its `initialLr`, undoes the steps the
 * schedulers took when they were built, and lets the first one take its first step. At a
 * milestone the next scheduler restarts at its epoch 0 from its closed form (the groups'
 * `initialLr`, not the lr the previous scheduler reached; LambdaLR and MultiplicativeLR, which
 * have no closed form, take their `getLr` at epoch 0). ReduceLROnPlateau, which needs a metric,
 * cannot be one of the schedulers, nor can another SequentialLR.
 *
 * Options: `milestones` (required, increasing, one fewer than the schedulers), `lastEpoch` = -1.
 *
 * @example
 * const model = new nn.Linear(4, 2);
 * const opt = new optim.AdamW(model.parameters(), { lr: 6e-4 });
 * const warmup = new optim.lrScheduler.LinearLR(opt, { startFactor: 0.01, totalIters: 10 });
 * const cosine = new optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 90, etaMin: 6e-5 });
 * const sched = new optim.lrScheduler.SequentialLR(opt, [warmup, cosine], { milestones: [10] });
 * for (let step = 0; step < 100; step++) {
 *   opt.zeroGrad();
 *   model.forward(randn([8, 4])).square().mean().backward();
 *   opt.step();
 *   sched.step();
 * }
 */
export class SequentialLR {
  /** The epoch of the last `step()`: 0 right after construction. */
  lastEpoch: number;
  /** The epochs at which the next scheduler takes over. */
  milestones: number[];
  private lastLr: number[];
  /** The optimizer the schedulers drive. */
  readonly optimizer: SchedulableOptimizer;
  /** The schedulers, in order; their state is saved with this one's. */
  readonly schedulers: LRScheduler[];

  constructor(optimizer: SchedulableOptimizer, schedulers: LRScheduler[], opts: SequentialLROptions) {
    const op = 'SequentialLR';
    const o = checkOptions(op, opts, KEYS);
    checkOptimizer(op, optimizer);
    if (!Array.isArray(schedulers) || schedulers.length < 1) {
      throw new ValueError(`${op}: SequentialLR expects at least one scheduler, but got no scheduler.`);
    }
    (schedulers as unknown[]).forEach((s, i) => {
      if (!(s instanceof LRScheduler)) {
        if (s instanceof ReduceLROnPlateau) {
          throw new ValueError(
            `${op}: SequentialLR does not support \`ReduceLROnPlateau\` scheduler as it requires additional kwargs to be specified when calling \`step\`, but got one at index ${i} in the given schedulers sequence.`,
          );
        }
        const what = s instanceof SequentialLR ? 'another SequentialLR (nesting is not supported)' : describeValue(s);
        throw new ValueError(`${op}: the scheduler at index ${i} must be an epoch-based scheduler (StepLR, LinearLR, ...), got ${what}`);
      }
      if (s.optimizer !== optimizer) {
        throw new ValueError(`${op}: SequentialLR expects all schedulers to belong to the same optimizer, but got a scheduler at index ${i} with another optimizer`);
      }
    });
    this.milestones = checkMilestones(op, o.milestones, schedulers.length);
    const lastEpoch = checkLastEpoch(op, o.lastEpoch);
    optimizer.paramGroups.forEach((g, i) => {
      if (typeof g.initialLr !== 'number') throw new ValueError(`${op}: paramGroups[${i}] has no initialLr; build the schedulers on this optimizer first`);
    });
    this.optimizer = optimizer;
    this.schedulers = schedulers.slice();
    this.lastEpoch = lastEpoch + 1;
    for (const g of optimizer.paramGroups) g.lr = g.initialLr!;
    for (const s of this.schedulers) s.lastEpoch -= 1;
    const first = this.schedulers[bisectRight(this.milestones, 0)];
    first._initialStep();
    this.lastLr = first.getLastLr();
  }

  /** Advances one epoch: the scheduler of this epoch steps, or restarts at its epoch 0 at a milestone. */
  step(...args: unknown[]): void {
    if (args.length > 0 && args[0] !== undefined) {
      throw new ValueError(`SequentialLR.step: takes no arguments, got ${describeValue(args[0])}`);
    }
    const epoch = this.lastEpoch + 1;
    const idx = bisectRight(this.milestones, epoch);
    const s = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === epoch) s._updateLr(0);
    else s.step();
    this.lastEpoch = epoch;
    this.lastLr = s.getLastLr();
  }

  /** The lr of each group as set by the last `step()`. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** Its own fields and, under `schedulers`, each scheduler's state dict. */
  stateDict(): SchedulerStateDict {
    return { ...fieldsOf(this, ['optimizer', 'schedulers']), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** Restores `stateDict()`, its schedulers' included; checks every part before changing any. */
  loadStateDict(sd: SchedulerStateDict): void {
    const where = 'SequentialLR.loadStateDict';
    const merged = checkStateShape(where, this.stateDict(), sd, this.optimizer.paramGroups.length, ['lastLr']);
    const subs = merged.schedulers as unknown[];
    if (subs.length !== this.schedulers.length) {
      throw new ValueError(`${where}: the state dict holds ${subs.length} schedulers, this SequentialLR has ${this.schedulers.length}`);
    }
    checkInt(where, 'lastEpoch', merged.lastEpoch, 0);
    checkMilestones(where, merged.milestones, this.schedulers.length);
    // every scheduler's state is checked by loading it into a copy of its current state first
    const saved = this.schedulers.map((s) => s.stateDict());
    try {
      this.schedulers.forEach((s, i) => s.loadStateDict(subs[i] as SchedulerStateDict));
    } catch (e) {
      this.schedulers.forEach((s, i) => s.loadStateDict(saved[i]));
      throw e;
    }
    this.lastEpoch = merged.lastEpoch as number;
    this.milestones = (merged.milestones as number[]).slice();
    this.lastLr = (merged.lastLr as number[]).slice();
  }
}
