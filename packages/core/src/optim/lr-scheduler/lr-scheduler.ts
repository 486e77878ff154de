import { ValueError } from '../../errors.js';
import { describeValue } from '../check.js';
import { Optimizer } from '../optimizer.js';
import {
  assignFields, checkGroupLrs, checkInt, checkStateShape, fieldsOf, type SchedulerStateDict,
} from './state.js';

export type { SchedulerStateDict } from './state.js';

/** What a scheduler needs of an optimizer: groups whose `lr` it may set. */
export interface SchedulableOptimizer {
  /** The groups whose learning rates the scheduler sets (`lr`, and `initialLr` where a schedule started). */
  paramGroups: {
    /** The group's current learning rate. */
    lr: number;
    /** The lr the schedule started from; set by the first scheduler attached. */
    initialLr?: number;
  }[];
}

/** Throws a ValueError unless `optimizer` is an Optimizer (PyTorch: TypeError). */
export function checkOptimizer(op: string, optimizer: unknown): asserts optimizer is Optimizer {
  if (!(optimizer instanceof Optimizer)) {
    const got = optimizer === null ? 'null' : typeof optimizer === 'object' ? (optimizer.constructor?.name ?? 'object') : typeof optimizer;
    throw new ValueError(`${op}: ${got} is not an Optimizer`);
  }
}

/** `lastEpoch` as an option: -1 (start) or the epoch to resume after. */
export function checkLastEpoch(op: string, lastEpoch: unknown): number {
  if (lastEpoch === undefined) return -1;
  checkInt(op, 'lastEpoch', lastEpoch, -1);
  return lastEpoch as number;
}

/** Fields that are not state: the optimizer, the class name, the constructor's flag. */
const NOT_STATE = ['optimizer', 'opName', 'isInitial'];

/**
 * The base of epoch-based schedulers (torch.optim.lr_scheduler.LRScheduler). Call `step()` once
 * per epoch (or per batch), after `optimizer.step()`; it sets each group's `lr` from `getLr()`.
 * Most schedulers are chainable: each computes from the group's current lr, so two can drive one
 * optimizer. The trajectory is PyTorch 2's `step()` (the chainable form), not its closed form.
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
  /** True during the step the constructor takes (PyTorch's `_is_initial`). */
  protected isInitial = false;
  /** The optimizer whose groups' `lr` this scheduler sets. */
  readonly optimizer: Optimizer;

  /**
   * Subclasses check their options, call this, set their own fields, and then call
   * `_initialStep()`, which PyTorch's constructor runs (JS cannot set a subclass's fields
   * before `super()`).
   * @param lastEpoch -1 to start; another value resumes, and then every group needs `initialLr`.
   */
  constructor(
    optimizer: SchedulableOptimizer,
    lastEpoch = -1,
    /** The subclass's name, for error messages. */
    protected readonly opName = 'LRScheduler',
  ) {
    checkOptimizer(opName, optimizer);
    checkInt(opName, 'lastEpoch', lastEpoch, -1);
    checkGroupLrs(opName, optimizer.paramGroups);
    optimizer.paramGroups.forEach((g, i) => {
      if (lastEpoch !== -1 && g.initialLr === undefined) {
        throw new ValueError(`${opName}: param 'initialLr' is not specified in paramGroups[${i}] when resuming an optimizer (lastEpoch ${lastEpoch})`);
      }
    });
    if (lastEpoch === -1) for (const g of optimizer.paramGroups) g.initialLr ??= g.lr;
    this.optimizer = optimizer;
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr!);
    this.lastEpoch = lastEpoch;
  }

  /** The next lr of each group, from `lastEpoch` (already advanced) and the groups' current lrs. */
  protected abstract getLr(): number[];

  /** The lr of each group at `lastEpoch` from `baseLrs` alone, where PyTorch has such a form. */
  protected closedFormLr?(): number[];

  /** @internal The constructor's step (PyTorch's `_initial_step`); SequentialLR calls it too. */
  _initialStep(): void {
    this.stepCount = 0;
    this.isInitial = true;
    try {
      this.step();
    } finally {
      this.isInitial = false;
    }
  }

  /** Advances one epoch and sets every group's lr. Takes no argument (PyTorch's `epoch` is deprecated). */
  step(...args: unknown[]): void {
    if (args.length > 0 && args[0] !== undefined) {
      throw new ValueError(`${this.opName}.step: takes no arguments (PyTorch's deprecated epoch argument is not supported), got ${describeValue(args[0])}`);
    }
    this.stepCount += 1;
    this._updateLr();
  }

  /**
   * @internal Sets every group's lr for the next epoch, or (with `epoch`) for that epoch from
   * the closed form where there is one (SequentialLR restarts a scheduler at 0 this way).
   * Nothing changes if the scheduler throws (OneCycleLR past its last step).
   */
  _updateLr(epoch?: number): void {
    const groups = this.optimizer.paramGroups;
    checkGroupLrs(`${this.opName}.step`, groups);
    const before = this.lastEpoch;
    let values: number[];
    try {
      if (epoch === undefined) {
        this.lastEpoch += 1;
        values = this.getLr();
      } else {
        this.lastEpoch = epoch;
        values = this.closedFormLr ? this.closedFormLr() : this.getLr();
      }
    } catch (e) {
      this.lastEpoch = before;
      throw e;
    }
    groups.forEach((g, i) => {
      g.lr = values[i];
    });
    this.lastLr = groups.map((g) => g.lr);
  }

  /** The lr of each group as set by the last `step()`. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** Every field but the optimizer (and functions, which cannot be saved). */
  stateDict(): SchedulerStateDict {
    return fieldsOf(this, NOT_STATE);
  }

  /**
   * Restores `stateDict()`'s fields. Checks them first, and changes nothing if one is wrong:
   * exactly this scheduler's fields, each of its kind and range (a state dict of another
   * scheduler, or a field of the wrong type, throws a ValueError naming the field).
   */
  loadStateDict(sd: SchedulerStateDict): void {
    const where = `${this.opName}.loadStateDict`;
    const merged = checkStateShape(where, this.stateDict(), sd, this.optimizer.paramGroups.length, ['baseLrs', 'lastLr']);
    this.checkFields(where, merged);
    assignFields(this, merged);
  }

  /** Range checks of the saved fields; subclasses add theirs and call this. */
  protected checkFields(where: string, f: SchedulerStateDict): void {
    checkInt(where, 'lastEpoch', f.lastEpoch, -1);
    checkInt(where, 'stepCount', f.stepCount, 0);
    for (const k of ['baseLrs', 'lastLr']) {
      (f[k] as unknown[]).forEach((v, i) => {
        if (typeof v !== 'number') throw new ValueError(`${where}: ${k}[${i}] must be a number, got ${describeValue(v)}`);
      });
    }
  }
}
