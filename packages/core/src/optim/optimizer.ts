import { ValueError } from '../errors.js';
import { isFloat } from '../dtype.js';
import { checkOptions } from '../options.js';
import { enableGrad, noGrad } from '../autograd/grad-mode.js';
import { keep, tidy } from '../memory/scope.js';
import { Tensor } from '../tensor.js';
import { checkKinds, optionKeysOf, SCHEDULER_GROUP_KINDS, type HyperKinds, type SchedulerGroupFields } from './check.js';
import { checkSavedGroup, checkSavedState, type StateKinds } from './state-check.js';

/** What an optimizer keeps per parameter: moment tensors, a step count, or null (SGD without momentum). */
export type StateValue = Tensor | number | null;
/** One parameter's state, entry by entry (`expAvg`, `step`, ...). */
export type ParamState = Record<string, StateValue>;

/** Every optimizer's hyperparameters have a learning rate, which schedulers change. */
export interface Hyperparams {
  /** The learning rate. */
  lr: number;
}

/**
 * A group of parameters that share hyperparameters. `lr` and the rest may be changed between
 * steps; `step()` checks them (kind and range) before it changes anything. Schedulers add
 * `initialLr` (and OneCycleLR its bounds).
 */
export type ParamGroup<H extends Hyperparams> = H & SchedulerGroupFields & {
  /** The group's parameters. */
  params: Tensor[];
};

/**
 * What a caller may pass for a group: params plus overrides of the optimizer's defaults. Any
 * other key throws (a misspelled `weight_decay` would otherwise be ignored).
 */
export type ParamGroupInput<H extends Hyperparams> = Partial<H> & SchedulerGroupFields & {
  /** The group's parameters: an iterable of them, or one. */
  params: Iterable<Tensor> | Tensor;
};

/** What an optimizer takes: tensors, or param groups. */
export type ParamsInput<H extends Hyperparams> = Iterable<Tensor> | Iterable<ParamGroupInput<H>>;

/** PyTorch's layout: state keyed by the parameter's position across all groups, groups list positions. */
export interface OptimizerStateDict<H extends Hyperparams = Hyperparams> {
  /** Each stepped parameter's state, keyed by its position across all groups. */
  state: Record<number, ParamState>;
  /** Each group's hyperparameters (and scheduler fields) with its parameters as positions. */
  paramGroups: (H & SchedulerGroupFields & {
    /** The group's parameters, as positions across all groups. */
    params: number[];
  })[];
}

/** The defaults an optimizer is built with; SGD has no default lr (every group must then name one). */
export type Defaults<H extends Hyperparams> = Omit<H, 'lr'> & {
  /** The default learning rate, if any. */
  lr?: number;
};

/**
 * What an optimizer class declares about itself, for the checks the base class runs: its
 * hyperparameters' kinds (also its option keys), its per-parameter state entries, and the ranges
 * of its hyperparameters (`validate` throws a ValueError with PyTorch's message, prefixed `where`).
 */
export interface OptimizerSpec<H extends Hyperparams> {
  /** The kind of each hyperparameter (these are also the option keys). */
  hyper: HyperKinds<H>;
  /** The kind of each per-parameter state entry. */
  state: StateKinds;
  /** Throws a ValueError (PyTorch's message, prefixed `where`) for a hyperparameter out of range. */
  // method syntax keeps Optimizer<SGDHyperparams> assignable to Optimizer (parameters are bivariant)
  validate(where: string, h: Defaults<H>): void;
}

/** Keeps `next` out of tidy and disposes the tensor it replaces. */
export function swapState(old: StateValue | undefined, next: Tensor): Tensor {
  keep(next);
  if (old instanceof Tensor && old !== next) old.dispose();
  return next;
}

function copyValue<T>(v: T): T {
  return (Array.isArray(v) ? v.slice() : v) as T;
}

/**
 * The base class of every optimizer, like torch.optim.Optimizer. Holds parameter groups and
 * per-parameter state; `step()` updates each parameter that has a gradient, in place (the tensor
 * object stays, so module fields stay valid), without recording autograd.
 *
 * A subclass passes its `OptimizerSpec` (each hyperparameter's kind, each state entry, the range
 * checks) and implements `initState` and `update`; the base class then checks the options object,
 * every param group, every step's hyperparameters and every loaded state dict against the spec.
 *
 * @example
 * class SignSGD extends optim.Optimizer<{ lr: number }, Record<string, never>> {
 *   constructor(params: Tensor[], opts: { lr?: number } = {}) {
 *     const validate = (where: string, h: { lr?: number }) => { if (!((h.lr ?? 0) >= 0)) throw new ValueError(`${where}: lr must be >= 0`); };
 *     super('SignSGD', params, opts, { lr: opts.lr ?? 0.01 }, { hyper: { lr: 'number' }, state: {}, validate });
 *   }
 *   protected initState() { return {}; }
 *   protected update(p: Tensor, grad: Tensor, group: optim.ParamGroup<{ lr: number }>) { p.sub_(grad.sign().mul(group.lr)); }
 * }
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new SignSGD([w], { lr: 0.5 });
 * w.square().sum().backward();
 * opt.step(); // w = [0.5, -1.5]
 */
export abstract class Optimizer<H extends Hyperparams = Hyperparams, S extends ParamState = ParamState> {
  /** The parameter groups, each with its hyperparameters; change `lr` here between steps. */
  paramGroups: ParamGroup<H>[] = [];
  /** The hyperparameters groups get unless they set their own. */
  readonly defaults: Defaults<H>;
  /** Each parameter's state, created at its first step. */
  protected state = new Map<Tensor, S>();

  private readonly spec: OptimizerSpec<H>;

  /**
   * @param params an array of tensors, or of groups `{ params, ...overrides }`.
   * @param opts the options object the user passed, checked against `spec.hyper` (unknown keys throw).
   * @param defaults hyperparameters for groups that do not override them, built from `opts`.
   * @param spec the class's hyperparameter kinds, state entries and range checks.
   */
  protected constructor(
    /** The class name, for error messages (survives minification, unlike constructor.name). */
    protected readonly opName: string,
    params: ParamsInput<H>,
    opts: object | undefined,
    defaults: Defaults<H>,
    spec: OptimizerSpec<H>,
  ) {
    checkOptions(opName, opts, optionKeysOf(spec.hyper));
    checkKinds(opName, defaults as Record<string, unknown>, spec.hyper);
    spec.validate(opName, defaults);
    this.spec = spec;
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new ValueError(`${this.opName}: params must be an array of tensors or of parameter groups, got a single Tensor; wrap it in [ ]`);
    }
    if (params === null || typeof params !== 'object' || !(Symbol.iterator in params)) {
      throw new ValueError(`${this.opName}: params must be an array of tensors or of parameter groups, got ${params === null ? 'null' : typeof params}`);
    }
    const list = [...(params as Iterable<Tensor | ParamGroupInput<H>>)];
    if (list.length === 0) throw new ValueError(`${this.opName}: optimizer got an empty parameter list`);
    const groups = list[0] instanceof Tensor ? [{ params: list as Tensor[] } as unknown as ParamGroupInput<H>] : (list as ParamGroupInput<H>[]);
    for (const g of groups) this.addParamGroup(g);
  }

  /** Builds the state of a parameter at its first step. */
  protected abstract initState(p: Tensor, group: ParamGroup<H>): S;

  /** Updates one parameter (and its state) from its gradient. Runs in noGrad and inside tidy. */
  protected abstract update(p: Tensor, grad: Tensor, group: ParamGroup<H>, state: S): void;

  /**
   * Adds a group of parameters, e.g. layers unfrozen while fine-tuning. Options missing from the
   * group come from the optimizer's defaults.
   */
  addParamGroup(group: ParamGroupInput<H>): void {
    const name = `${this.opName}.addParamGroup`;
    if (group === null || typeof group !== 'object' || group instanceof Tensor) {
      throw new ValueError(`${name}: a param group must be an object { params, ...options }, got ${group instanceof Tensor ? 'a Tensor' : typeof group}`);
    }
    checkOptions(`${name}: paramGroups[${this.paramGroups.length}]`, group as object, this.groupKeys());
    if (group.params instanceof Set) {
      throw new ValueError(`${name}: optimizer parameters need to be organized in ordered collections (an array), got a Set`);
    }
    const params = group.params instanceof Tensor ? [group.params] : [...(group.params ?? [])];
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new ValueError(`${name}: optimizer can only optimize Tensors, but one of the params is ${typeof p}`);
      if (!p.isLeaf) throw new ValueError(`${name}: can't optimize a non-leaf Tensor; call .detach().requiresGrad_() to get a leaf`);
    }
    const merged: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.defaults)) merged[k] = copyValue(v);
    for (const [k, v] of Object.entries(group)) if (k !== 'params' && v !== undefined) merged[k] = copyValue(v);
    if (merged.lr === undefined) {
      throw new ValueError(`${name}: parameter group didn't specify a value of required optimization parameter lr`);
    }
    checkKinds(name, merged, { ...this.spec.hyper, ...SCHEDULER_GROUP_KINDS });
    this.spec.validate(this.opName, merged as Defaults<H>);
    if (new Set(params).size !== params.length) {
      throw new ValueError(`${name}: optimizer contains a parameter group with duplicate parameters`);
    }
    const taken = new Set(this.paramGroups.flatMap((g) => g.params));
    if (params.some((p) => taken.has(p))) throw new ValueError(`${name}: some parameters appear in more than one parameter group`);
    this.paramGroups.push({ ...merged, params } as ParamGroup<H>);
  }

  private groupKeys(): Record<string, true> {
    return { params: true, ...optionKeysOf(this.spec.hyper), ...optionKeysOf(SCHEDULER_GROUP_KINDS) } as Record<string, true>;
  }

  /**
   * Every group's hyperparameters, checked before a step changes anything: a value set after
   * construction (`opt.paramGroups[0].lr = 'abc'`) would otherwise turn parameters into nan.
   */
  private checkGroups(): void {
    this.paramGroups.forEach((g, i) => {
      const where = `${this.opName}.step: paramGroups[${i}]`;
      checkKinds(where, g as unknown as Record<string, unknown>, { ...this.spec.hyper, ...SCHEDULER_GROUP_KINDS });
      this.spec.validate(where, g);
    });
  }

  /**
   * Clears the gradients of every parameter: to null (the default, as in PyTorch 2; a following
   * step skips them) or, with `setToNone: false`, to zeros.
   */
  zeroGrad(opts: { setToNone?: boolean } = {}): void {
    const setToNone = checkOptions(`${this.opName}.zeroGrad`, opts, { setToNone: true }).setToNone ?? true;
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (p.grad === null) continue;
        if (setToNone) p.grad = null;
        else noGrad(() => p.grad!.zero_());
      }
    }
  }

  /**
   * One update of every parameter that has a gradient (parameters whose `.grad` is null are
   * skipped). A closure, if given, is run with gradients enabled first and its result returned.
   */
  step<T>(closure?: () => T): T | undefined {
    if (closure !== undefined && typeof closure !== 'function') {
      throw new ValueError(`${this.opName}.step: the closure must be a function, got ${closure === null ? 'null' : typeof closure}`);
    }
    this.checkGroups();
    const loss = closure ? enableGrad(closure) : undefined;
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          const grad = p.grad;
          if (grad === null) continue;
          tidy(() => {
            let s = this.state.get(p);
            if (s === undefined) {
              s = this.initState(p, group);
              this.state.set(p, s);
            }
            this.update(p, grad, group, s);
          });
        }
      }
    });
    return loss;
  }

  /**
   * The optimizer's state in PyTorch's layout. Tensors in it are detached views that stay valid
   * after later steps (dispose them when done).
   */
  stateDict(): OptimizerStateDict<H> {
    const index = new Map<Tensor, number>();
    let next = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const packed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params') packed[k] = copyValue(v);
      packed.params = g.params.map((p) => {
        index.set(p, next);
        return next++;
      });
      return packed as unknown as H & { params: number[] };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i === undefined) continue;
      const out: ParamState = {};
      for (const [k, v] of Object.entries(s)) out[k] = v instanceof Tensor ? keep(v.detach()) : v;
      state[i] = out;
    }
    return { state, paramGroups };
  }

  /**
   * Restores state saved by `stateDict()` (from this optimizer class, over parameters of the same
   * shapes in the same groups). Floating-point state is cast to its parameter's dtype. Checks
   * everything before changing anything: the group count and sizes, each group's hyperparameters
   * (exactly this class's, of the right kind and range) and each parameter's state entries (exactly
   * the ones this class keeps, tensors shaped like the parameter), so another optimizer's state
   * dict is refused with a ValueError naming the field. The given tensors stay the caller's.
   */
  loadStateDict(sd: OptimizerStateDict<H>): void {
    const name = `${this.opName}.loadStateDict`;
    const saved = sd?.paramGroups;
    if (!Array.isArray(saved) || typeof sd.state !== 'object' || sd.state === null) {
      throw new ValueError(`${name}: expected { state, paramGroups } as returned by stateDict()`);
    }
    if (saved.length !== this.paramGroups.length) {
      throw new ValueError(`${name}: loaded state dict has a different number of parameter groups (${saved.length}, expected ${this.paramGroups.length})`);
    }
    saved.forEach((g, i) => {
      if (g === null || typeof g !== 'object') throw new ValueError(`${name}: paramGroups[${i}] must be an object, got ${g === null ? 'null' : typeof g}`);
      const have = this.paramGroups[i].params.length;
      if (!Array.isArray(g.params) || g.params.length !== have) {
        throw new ValueError(`${name}: loaded state dict contains a parameter group that doesn't match the size of optimizer's group (group ${i}: ${g.params?.length} params, expected ${have})`);
      }
      checkSavedGroup(name, this.opName, i, g as unknown as Record<string, unknown>, this.spec.hyper, this.spec.validate);
    });
    const byIndex = new Map<number, Tensor>();
    saved.forEach((g, gi) => g.params.forEach((idx, j) => {
      if (!Number.isInteger(idx) || byIndex.has(idx)) throw new ValueError(`${name}: paramGroups[${gi}].params must hold distinct whole-number indices, got ${JSON.stringify(g.params)}`);
      byIndex.set(idx, this.paramGroups[gi].params[j]);
    }));
    for (const [key, s] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(key));
      if (!p) throw new ValueError(`${name}: state for parameter index ${key} matches no parameter (indices ${[...byIndex.keys()].join(', ')})`);
      checkSavedState(name, this.opName, key, s, p, this.spec.state);
    }
    this.disposeState();
    for (const [key, s] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(key))!;
      const own: ParamState = {};
      for (const [k, v] of Object.entries(s)) {
        own[k] = v instanceof Tensor ? keep(tidy(() => noGrad(() => (isFloat(v.dtype) ? v.detach().to(p.dtype) : v.detach())))) : v;
      }
      this.state.set(p, own as S);
    }
    this.paramGroups = saved.map((g, i) => {
      const group: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params') group[k] = copyValue(v);
      return { ...group, params: this.paramGroups[i].params } as ParamGroup<H>;
    });
  }

  /** Frees the optimizer's state tensors (moments, momentum buffers). The optimizer starts afresh. */
  dispose(): void {
    this.disposeState();
  }

  private disposeState(): void {
    for (const s of this.state.values()) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
    this.state.clear();
  }
}
