import { ValueError } from '../../errors.js';
import { Optimizer } from '../optimizer.js';

/** What a scheduler needs of an optimizer: groups whose `lr` it may set. */
export interface SchedulableOptimizer {
  /** The groups whose learning rates the scheduler sets. */
  paramGroups: {
    /** The group's current learning rate. */
    lr: number;
    /** The lr the schedule started from; set by the first scheduler attached. */
    initialLr?: number;
  }[];
}

/** A scheduler's state: every field but the optimizer, like PyTorch's `__dict__` minus it. */
export type SchedulerStateDict = Record<string, unknown>;

export function checkOptimizer(op: string, optimizer: unknown): void {
  if (!(optimizer instanceof Optimizer)) {
    const got = optimizer === null ? 'null' : typeof optimizer === 'object' ? (optimizer.constructor?.name ?? 'object') : typeof optimizer;
    throw new ValueError(`${op}: ${got} is not an Optimizer`);
  }
}

function copy(v: unknown): unknown {
  return Array.isArray(v) ? v.slice() : v;
}

/** Every field of `obj` except its optimizer, with arrays copied. */
export function fieldsOf(obj: object): SchedulerStateDict {
  const out: SchedulerStateDict = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'optimizer') out[k] = copy(v);
  return out;
}

/** Copies saved fields back, leaving the optimizer and any field the state does not name. */
export function loadFields(obj: object, sd: SchedulerStateDict): void {
  for (const [k, v] of Object.entries(sd)) if (k !== 'optimizer') (obj as Record<string, unknown>)[k] = copy(v);
}

/**
 * The base of epoch-based schedulers (torch.optim.lr_scheduler._LRScheduler). Call `step()` once
 * per epoch, after `optimizer.step()`; it sets each group's `lr` from `getLr()`. Schedulers are
 * chainable: each computes from the group's current lr, so two can drive one optimizer.
 */
export abstract class LRScheduler {
  /** Each group's lr when the schedule started (its `initialLr`). */
  baseLrs: number[];
  /** The epoch of the last `step()`: 0 right after construction. */
  lastEpoch: number;
  /** `step()` calls since construction. */
  protected stepCount = 0;
  /** Each group's lr after the last `step()`. */
  protected lastLr: number[] = [];

  /**
   * Subclasses set their own fields and then call `initialStep()`, which PyTorch's constructor
   * runs (JS cannot set a subclass's fields before `super()`).
   * @param optimizer - The optimizer whose groups' `lr` this schedules.
   * @param lastEpoch - -1 to start; another value resumes, and then every group needs `initialLr`.
   * @param opName - The subclass's name, for error messages.
   */
  constructor(
    readonly optimizer: SchedulableOptimizer,
    lastEpoch = -1,
    opName = 'LRScheduler',
  ) {
    checkOptimizer(opName, optimizer);
    optimizer.paramGroups.forEach((g, i) => {
      if (lastEpoch === -1) g.initialLr ??= g.lr;
      else if (g.initialLr === undefined) {
        throw new ValueError(`${opName}: param 'initialLr' is not specified in paramGroups[${i}] when resuming an optimizer (lastEpoch ${lastEpoch})`);
      }
    });
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr!);
    this.lastEpoch = lastEpoch;
  }

  /** The next lr of each group, from `lastEpoch` (already advanced) and the groups' current lrs. */
  protected abstract getLr(): number[];

  /** The first step, which PyTorch's constructor takes: sets lastEpoch to 0 and the groups' initial lr. */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** Advances one epoch and sets every group's lr. */
  step(): void {
    this.stepCount += 1;
    this.lastEpoch += 1;
    const values = this.getLr();
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i];
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The lr of each group as set by the last `step()`. */
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
