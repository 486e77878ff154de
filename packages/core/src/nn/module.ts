import { ValueError } from '../errors.js';
import { checkOptions, type OptionKeys } from '../options.js';
import { keep } from '../memory/scope.js';
import { Tensor } from '../tensor.js';
import { checkFieldValue, registrationHandler } from './registration.js';
import { loadState, type LoadResult } from './state-dict.js';

const parameters = new WeakSet<Tensor>();

/**
 * Marks a tensor as a module parameter (torch.nn.Parameter): it requires grad (unless
 * `requiresGrad: false`) and is listed by `parameters()` and `stateDict()` of the module that
 * holds it in a field. Kept out of `tidy`: the module owns it.
 */
export function Parameter(t: Tensor, requiresGrad = true): Tensor {
  if (!t.isLeaf) throw new ValueError('Parameter: expected a leaf tensor; call .detach() first');
  parameters.add(keep(t));
  return t.requiresGrad_(requiresGrad);
}

/** True for a tensor made a parameter by `Parameter()`. */
export function isParameter(x: unknown): x is Tensor {
  return x instanceof Tensor && parameters.has(x);
}

/** Tensors by their state-dict names (PyTorch's `state_dict()` keys). */
export type StateDict = Record<string, Tensor>;

/** Options of `namedModules()`, as torch.nn.Module.named_modules's arguments. */
export interface NamedModulesOptions {
  /** Prepended to every name (with a dot). Default ''. */
  prefix?: string;
  /** List a module reached through two paths once, under its first name. Default true. */
  removeDuplicate?: boolean;
}
const NAMED_MODULES_OPTIONS: OptionKeys<NamedModulesOptions> = { prefix: true, removeDuplicate: true };

/** Options of `namedParameters()` / `namedBuffers()`, as PyTorch's. */
export interface NamedMembersOptions extends NamedModulesOptions {
  /** Include submodules' members; false lists only this module's own. Default true. */
  recurse?: boolean;
}
const NAMED_MEMBERS_OPTIONS: OptionKeys<NamedMembersOptions> = { prefix: true, removeDuplicate: true, recurse: true };

/** Options of `loadStateDict()`. */
export interface LoadStateDictOptions {
  /** Missing or unexpected keys are an error (listed all at once). Default true. */
  strict?: boolean;
  /** PyTorch's assign=True (adopt the given tensors instead of copying). */
  assign?: boolean;
}
const LOAD_OPTIONS: OptionKeys<LoadStateDictOptions> = {
  strict: true,
  assign: 'loadStateDict copies values into the existing parameters (assign: false); adopting the given tensors is not supported yet',
};

const isModule = (x: unknown): x is Module => x instanceof Module;
const join = (prefix: string, name: string): string => (prefix ? `${prefix}.${name}` : name);

/**
 * The base class of every layer and model, like torch.nn.Module. Parameters (tensors wrapped in
 * `Parameter`), buffers (`registerBuffer`) and submodules are discovered from the object's own
 * fields, in insertion order, so names match PyTorch's `named_parameters()`.
 *
 * A Module kept in a plain array, object, Map or Set field is refused with a ValueError when it
 * is assigned (PyTorch ignores it silently, and its parameters never reach the optimizer): use
 * `nn.ModuleList` or `nn.ModuleDict`. A parameter shared by two modules (weight tying) is listed
 * once by `parameters()`, under every one of its names by `stateDict()`, and loads from any.
 */
export abstract class Module {
  /** True after `train()` (the default), false after `eval()`: Dropout and BatchNorm read it. */
  training = true;
  /** Buffer field name -> its state-dict key (PyTorch's name, e.g. runningMean -> running_mean). */
  private readonly _buffers = new Map<string, string>();
  /** Parameter or submodule field name -> its name in PyTorch (inProjWeight -> in_proj_weight). */
  private readonly _names = new Map<string, string>();

  constructor() {
    // every instance is seen through the registration check (see registration.ts)
    return new Proxy(this, MODULE_HANDLER);
  }

  /**
   * The computation, written by each subclass (PyTorch's `forward`); call it directly:
   * `model.forward(x)`. Layers take and return tensors; see each layer for its shapes.
   */
  abstract forward(...args: never[]): unknown;

  /**
   * Registers a non-parameter tensor (e.g. BatchNorm's running mean) that `stateDict` saves.
   * `key` is its name in `namedBuffers()`/`stateDict()` when that differs from the field name,
   * so a camelCase field can keep PyTorch's state-dict key (`running_mean`).
   */
  protected registerBuffer(name: string, t: Tensor | null, key: string = name): void {
    (this as unknown as Record<string, unknown>)[name] = t === null ? null : keep(t);
    this._buffers.set(name, key);
  }

  /**
   * Gives the parameter or submodule in field `field` the name `key` in `namedParameters()`,
   * `namedModules()` and `stateDict()`, so a camelCase field keeps PyTorch's snake_case name
   * (MultiheadAttention's `inProjWeight` is 'in_proj_weight', its `outProj` 'out_proj').
   */
  protected registerName(field: string, key: string): void {
    this._names.set(field, key);
  }

  private nameOf(field: string): string {
    return this._names.get(field) ?? field;
  }

  /**
   * @internal Every submodule slot with its name, duplicates included (PyTorch's `_modules`).
   * Containers that keep their modules elsewhere (ModuleDict) override this.
   */
  _childSlots(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [k, v] of Object.entries(this)) {
      if (v instanceof Module) out.push([this.nameOf(k), v]);
      // a container filled after it was assigned is caught here, before any parameter is listed
      else checkFieldValue(this.constructor.name, k, v, isModule);
    }
    return out;
  }

  /** @internal This module's own parameters (name, tensor), in field order. */
  _ownParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [k, v] of Object.entries(this)) if (isParameter(v)) out.push([this.nameOf(k), v]);
    return out;
  }

  /** @internal This module's own buffers (state-dict key, tensor); null buffers are skipped. */
  _ownBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [name, key] of this._buffers) {
      const v = (this as unknown as Record<string, unknown>)[name];
      if (v instanceof Tensor) out.push([key, v]);
    }
    return out;
  }

  /** Direct submodules with their field names, in insertion order; a module held twice is listed once. */
  namedChildren(): [string, Module][] {
    const seen = new Set<Module>();
    return this._childSlots().filter(([, m]) => !seen.has(m) && !!seen.add(m));
  }

  /** Direct submodules, in insertion order. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /**
   * This module and every submodule, depth first (this one first, named ''), with dotted names
   * as torch.nn.Module.named_modules gives them. A module reached through two paths (shared) is
   * listed once, under its first name, unless `removeDuplicate` is false.
   */
  namedModules(opts: NamedModulesOptions = {}): [string, Module][] {
    const { prefix = '', removeDuplicate = true } = checkOptions('namedModules', opts, NAMED_MODULES_OPTIONS);
    const out: [string, Module][] = [];
    const memo = new Set<Module>();
    const path = new Set<Module>(); // a module that holds one of its ancestors would recurse forever
    const visit = (m: Module, name: string): void => {
      if (memo.has(m) || path.has(m)) return;
      if (removeDuplicate) memo.add(m);
      out.push([name, m]);
      path.add(m);
      for (const [k, c] of m._childSlots()) visit(c, join(name, k));
      path.delete(m);
    };
    visit(this, prefix);
    return out;
  }

  /** This module and every submodule, depth first, each once. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * Calls fn on every submodule (children first, depth first) and then on this module, as
   * torch.nn.Module.apply does, e.g. to initialise weights; returns this.
   *
   * @example
   * model.apply((m) => { if (m instanceof nn.Linear) nn.init.zeros_(m.bias!); });
   */
  apply(fn: (m: Module) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  private namedMembers(op: string, own: (m: Module) => [string, Tensor][], opts: NamedMembersOptions): [string, Tensor][] {
    const { prefix = '', recurse = true, removeDuplicate = true } = checkOptions(op, opts, NAMED_MEMBERS_OPTIONS);
    const mods: [string, Module][] = recurse ? this.namedModules({ prefix, removeDuplicate }) : [[prefix, this]];
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [pre, m] of mods) {
      for (const [name, t] of own(m)) {
        if (removeDuplicate && seen.has(t)) continue;
        seen.add(t);
        out.push([join(pre, name), t]);
      }
    }
    return out;
  }

  /**
   * Parameters with PyTorch's names ('fc1.weight', '0.bias' inside Sequential); a parameter
   * shared by several modules (weight tying) is listed once, under its first name.
   */
  namedParameters(opts: NamedMembersOptions = {}): [string, Tensor][] {
    return this.namedMembers('namedParameters', (m) => m._ownParameters(), opts);
  }

  /** Every parameter once, in the order of `namedParameters()`: what an optimizer takes. */
  parameters(opts: { recurse?: boolean } = {}): Tensor[] {
    return this.namedParameters(opts).map(([, p]) => p);
  }

  /** Buffers (BatchNorm's running stats) with their state-dict names, each once. */
  namedBuffers(opts: NamedMembersOptions = {}): [string, Tensor][] {
    return this.namedMembers('namedBuffers', (m) => m._ownBuffers(), opts);
  }

  /** The buffers (e.g. BatchNorm's running stats) of this module and, by default, its submodules. */
  buffers(opts: { recurse?: boolean } = {}): Tensor[] {
    return this.namedBuffers(opts).map(([, b]) => b);
  }

  /**
   * Sets training mode (default) or eval mode on this module and every submodule, as
   * torch.nn.Module.train; Dropout and BatchNorm behave differently in each. Returns this module.
   */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets eval mode, as `train(false)`: Dropout passes inputs through, BatchNorm uses its running stats. */
  eval(): this {
    return this.train(false);
  }

  /** Turns gradient tracking of every parameter on or off, e.g. to freeze a layer. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /** Sets every parameter's `.grad` to null (and disposes it). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * @internal Every state-dict entry (name, live tensor) in PyTorch's order: each module, depth
   * first, its parameters then its buffers. A shared module or parameter appears under every name.
   */
  _stateEntries(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [prefix, m] of this.namedModules({ removeDuplicate: false })) {
      for (const [name, t] of [...m._ownParameters(), ...m._ownBuffers()]) out.push([join(prefix, name), t]);
    }
    return out;
  }

  /**
   * Parameters then buffers of each module, by name, as torch.nn.Module.state_dict: a tied
   * parameter appears under every one of its names. The tensors are detached views of the
   * current values; optimizer steps rebind parameters to new storage, so a state dict taken now
   * keeps today's values (dispose them when done).
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [k, t] of this._stateEntries()) out[k] = keep(t.detach());
    return out;
  }

  /**
   * Copies values into parameters and buffers, in the module's state-dict order, so every name
   * of a tied parameter loads and, where two names carry different values, the later name wins
   * as in PyTorch. With `strict` (default) missing or unexpected keys are an error that lists
   * all of them; a size mismatch always is. Nothing is changed unless every key fits.
   */
  loadStateDict(state: StateDict | Map<string, Tensor>, opts: LoadStateDictOptions = {}): LoadResult {
    const { strict = true } = checkOptions('loadStateDict', opts, LOAD_OPTIONS);
    return loadState(this._stateEntries(), state, strict);
  }
}

const MODULE_HANDLER = registrationHandler<Module>(isModule);

/** @internal Wraps an object built without a constructor (copy.ts's deep copy) in the registration check. */
export function wrapModule<T extends Module>(raw: T): T {
  return new Proxy(raw, MODULE_HANDLER as ProxyHandler<T>);
}
