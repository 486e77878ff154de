import { cos } from './cos.js';
import { ValueError } from '../../errors.js';
import { checkOptions, type OptionKeys } from '../../options.js';
import { checkKinds, describeValue } from '../check.js';
import type { Optimizer } from '../optimizer.js';
import { checkLastEpoch, checkOptimizer, LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';
import { checkInt, type SchedulerStateDict } from './state.js';

/** Options of {@link OneCycleLR}. */
export interface OneCycleLROptions {
  /** The peak lr, one for all groups or one per group. Required. */
  maxLr: number | number[];
  /** Steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  /** Epochs to train, with `stepsPerEpoch`: totalSteps = epochs * stepsPerEpoch. */
  epochs?: number;
  /** Steps (batches) per epoch, with `epochs`. */
  stepsPerEpoch?: number;
  /** The fraction of the cycle spent raising the lr. Default 0.3. */
  pctStart?: number;
  /** 'cos' or 'linear'. Default 'cos'. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (SGD, RMSprop) or beta1 (Adam, AdamW) inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  /** Momentum at the peak lr, one or one per group. Default 0.85. */
  baseMomentum?: number | number[];
  /** Momentum at the lowest lr, one or one per group. Default 0.95. */
  maxMomentum?: number | number[];
  /** initialLr = maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
  /** A third phase that anneals from initialLr down to minLr (the paper's schedule). Default false. */
  threePhase?: boolean;
  /** The last step taken, to resume. Default -1 (start fresh). */
  lastEpoch?: number;
}

const KEYS: OptionKeys<OneCycleLROptions> = {
  maxLr: true, totalSteps: true, epochs: true, stepsPerEpoch: true, pctStart: true, annealStrategy: true,
  cycleMomentum: true, baseMomentum: true, maxMomentum: true, divFactor: true, finalDivFactor: true,
  threePhase: true, lastEpoch: true,
};

type GroupField = 'initialLr' | 'maxLr' | 'minLr' | 'maxMomentum' | 'baseMomentum';
interface Phase {
  endStep: number;
  startLr: GroupField;
  endLr: GroupField;
  startMomentum: GroupField;
  endMomentum: GroupField;
}

function positiveInt(op: string, name: string, snake: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new ValueError(`${op}: Expected positive integer ${snake}, but got ${String(v)} (${name})`);
  }
  return v;
}

function totalStepsOf(op: string, o: OneCycleLROptions): number {
  if (o.totalSteps !== undefined) return positiveInt(op, 'totalSteps', 'total_steps', o.totalSteps);
  if (o.epochs !== undefined && o.stepsPerEpoch !== undefined) {
    return positiveInt(op, 'epochs', 'epochs', o.epochs) * positiveInt(op, 'stepsPerEpoch', 'steps_per_epoch', o.stepsPerEpoch);
  }
  throw new ValueError(`${op}: You must define either total_steps OR (epochs AND steps_per_epoch) (totalSteps, or epochs and stepsPerEpoch)`);
}

function checkShape(op: string, f: { pctStart: unknown; annealStrategy: unknown }): void {
  if (typeof f.pctStart !== 'number' || !(f.pctStart >= 0 && f.pctStart <= 1)) {
    throw new ValueError(`${op}: Expected float between 0 and 1 pct_start, but got ${String(f.pctStart)} (pctStart)`);
  }
  if (f.annealStrategy !== 'cos' && f.annealStrategy !== 'linear') {
    throw new ValueError(`${op}: anneal_strategy must be one of 'cos' or 'linear', instead got ${String(f.annealStrategy)} (annealStrategy)`);
  }
}

/** PyTorch divides by zero (ZeroDivisionError) where a phase has no steps; Logit says why. */
function emptyPhase(where: string, step: number, pctStart: number, totalSteps: number): ValueError {
  return new ValueError(
    `${where}: step ${step} falls in a phase of the cycle that has no steps (pctStart ${pctStart} of totalSteps ${totalSteps}); choose another pctStart or totalSteps`,
  );
}

/** One value per group: a number for all, or an array of exactly one per group. */
function perGroup(op: string, name: string, snake: string, v: number | number[], groups: number): number[] {
  if (Array.isArray(v)) {
    if (v.length !== groups) {
      throw new ValueError(`${op}: ${snake} must have the same length as optimizer.param_groups. ${snake} has ${v.length} values, param_groups has ${groups}. (${name})`);
    }
  }
  const out = Array.isArray(v) ? v.slice() : new Array<number>(groups).fill(v);
  out.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ValueError(`${op}: ${name}[${i}] must be a finite number, got ${describeValue(x)}`);
  });
  return out;
}

/**
 * The 1cycle policy (torch.optim.lr_scheduler.OneCycleLR): the lr rises from maxLr/divFactor to
 * maxLr over the first `pctStart` of `totalSteps` and anneals down to
 * maxLr/(divFactor·finalDivFactor) over the rest (or, with `threePhase`, back to the start and
 * then down); momentum (or Adam's beta1) moves the opposite way, between `maxMomentum` and
 * `baseMomentum`. Call `step()` after every batch; stepping more than `totalSteps` times throws.
 *
 *     cos: lr = end + (start − end)/2 · (1 + cos(π·pct))     linear: lr = (end − start)·pct + start
 *
 * where pct runs from 0 to 1 over each phase. Not chainable: it sets each lr from the group's
 * `initialLr`, `maxLr` and `minLr`, which it writes into the param groups (as PyTorch does).
 *
 * Options: `maxLr` (required), `totalSteps` (or `epochs` and `stepsPerEpoch`), `pctStart` = 0.3,
 * `annealStrategy` = 'cos', `cycleMomentum` = true, `baseMomentum` = 0.85, `maxMomentum` = 0.95,
 * `divFactor` = 25, `finalDivFactor` = 1e4, `threePhase` = false, `lastEpoch` = -1.
 *
 * @example
 * const model = new nn.Linear(4, 2);
 * const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
 * const sched = new optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.1, epochs: 2, stepsPerEpoch: 50 });
 * for (let step = 0; step < 100; step++) {
 *   opt.zeroGrad();
 *   model.forward(randn([8, 4])).square().mean().backward();
 *   opt.step();
 *   sched.step();
 * }
 */
export class OneCycleLR extends LRScheduler {
  /** Steps in the whole cycle. */
  totalSteps: number;
  /** The share of the cycle spent increasing the lr. */
  pctStart: number;
  /** How the lr moves between phases: cosine or linear. */
  annealStrategy: 'cos' | 'linear';
  /** A third phase that anneals from initialLr down to minLr, as the option says. */
  threePhase: boolean;
  /** Cycle the momentum (or Adam's beta1) inversely to the lr. */
  cycleMomentum: boolean;
  /** Whether momentum is Adam's beta1 rather than a `momentum` hyperparameter. */
  useBeta1: boolean;

  constructor(optimizer: SchedulableOptimizer, opts: OneCycleLROptions) {
    const op = 'OneCycleLR';
    const o = checkOptions(op, opts, KEYS);
    checkOptimizer(op, optimizer);
    const opt = optimizer as Optimizer;
    const groups = opt.paramGroups;
    const totalSteps = totalStepsOf(op, o);
    checkKinds(op, o as object as Record<string, unknown>, { divFactor: 'number', finalDivFactor: 'number', cycleMomentum: 'boolean', threePhase: 'boolean' });
    const shape = { pctStart: o.pctStart ?? 0.3, annealStrategy: o.annealStrategy ?? 'cos' };
    checkShape(op, shape);
    if (o.maxLr === undefined) throw new ValueError(`${op}: maxLr is required`);
    if (shape.pctStart * totalSteps - 1 === 0) throw emptyPhase(op, 0, shape.pctStart, totalSteps);
    const maxLrs = perGroup(op, 'maxLr', 'max_lr', o.maxLr, groups.length);
    const divFactor = o.divFactor ?? 25;
    const finalDivFactor = o.finalDivFactor ?? 1e4;
    const lastEpoch = checkLastEpoch(op, o.lastEpoch);
    const cycleMomentum = o.cycleMomentum ?? true;
    const defaults = opt.defaults as Record<string, unknown>;
    const useBeta1 = 'betas' in defaults;
    if (cycleMomentum && !('momentum' in defaults) && !useBeta1) {
      throw new ValueError(`${op}: optimizer must support momentum or beta1 with \`cycle_momentum\` option enabled (this optimizer has neither; pass cycleMomentum: false)`);
    }
    const maxMomentums = perGroup(op, 'maxMomentum', 'max_momentum', o.maxMomentum ?? 0.95, groups.length);
    const baseMomentums = perGroup(op, 'baseMomentum', 'base_momentum', o.baseMomentum ?? 0.85, groups.length);
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / divFactor;
        g.maxLr = maxLrs[i];
        g.minLr = g.initialLr / finalDivFactor;
      });
      if (cycleMomentum) {
        groups.forEach((g, i) => {
          const h = g as unknown as Record<string, unknown>;
          if (useBeta1) h.betas = [maxMomentums[i], (h.betas as number[])[1]];
          else h.momentum = maxMomentums[i];
          g.maxMomentum = maxMomentums[i];
          g.baseMomentum = baseMomentums[i];
        });
      }
    }
    super(optimizer, lastEpoch, op);
    this.totalSteps = totalSteps;
    this.pctStart = shape.pctStart;
    this.annealStrategy = shape.annealStrategy;
    this.threePhase = o.threePhase ?? false;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this._initialStep();
  }

  private phases(): Phase[] {
    const { pctStart: pct, totalSteps: n } = this;
    if (this.threePhase) {
      return [
        { endStep: pct * n - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
        { endStep: 2 * pct * n - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        { endStep: n - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
      ];
    }
    return [
      { endStep: pct * n - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
      { endStep: n - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
    ];
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    const cosOut = cos(Math.PI * pct) + 1;
    return end + ((start - end) / 2.0) * cosOut;
  }

  private field(i: number, name: GroupField): number {
    const v = this.optimizer.paramGroups[i][name];
    if (typeof v !== 'number') throw new ValueError(`${this.opName}.step: paramGroups[${i}].${name} must be a number, got ${describeValue(v)}`);
    return v;
  }

  protected getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) {
      throw new ValueError(`${this.opName}.step: Tried to step ${step} times. The specified number of total steps is ${this.totalSteps}`);
    }
    const phases = this.phases();
    const momenta: number[] = [];
    const lrs = this.optimizer.paramGroups.map((_, i) => {
      let start = 0;
      for (let k = 0; k < phases.length; k++) {
        const ph = phases[k];
        if (step <= ph.endStep || k === phases.length - 1) {
          if (ph.endStep === start) throw emptyPhase(`${this.opName}.step`, step, this.pctStart, this.totalSteps);
          const pct = (step - start) / (ph.endStep - start);
          if (this.cycleMomentum) momenta.push(this.anneal(this.field(i, ph.startMomentum), this.field(i, ph.endMomentum), pct));
          return this.anneal(this.field(i, ph.startLr), this.field(i, ph.endLr), pct);
        }
        start = ph.endStep;
      }
      throw new Error('unreachable: the last phase always matches');
    });
    // momentum changes only once every lr has been computed, so a throw above leaves it too
    if (this.cycleMomentum) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const h = g as unknown as Record<string, unknown>;
        if (this.useBeta1) h.betas = [momenta[i], (h.betas as number[])[1]];
        else h.momentum = momenta[i];
      });
    }
    return lrs;
  }

  protected override checkFields(where: string, f: SchedulerStateDict): void {
    super.checkFields(where, f);
    checkInt(where, 'totalSteps', f.totalSteps, 1);
    checkShape(where, f as { pctStart: unknown; annealStrategy: unknown });
  }
}
