import { IndexError, ValueError } from '../../errors.js';
import { Module } from '../module.js';

/**
 * Holds submodules by name, like torch.nn.ModuleDict: they are registered (their parameters reach
 * `parameters()`, `stateDict()` and the optimizer) under their keys, in insertion order, so a
 * field `heads` with key 'cls' gives 'heads.cls.weight'. A plain object or Map of modules would
 * not be registered, and Logit refuses one; this is the dict to use.
 *
 * Inputs: an object or an iterable of [key, module] pairs. Keys are non-empty strings without
 * '.'. Methods follow PyTorch's (and Map's): `get`, `set`, `has`, `pop`/`delete`, `keys`,
 * `values`, `items`/`entries`, `update`, `clear`, `length`/`size`; iterating gives the keys, as
 * in PyTorch. It has no forward of its own.
 *
 * @example
 * class TwoHeads extends nn.Module {
 *   body = new nn.Linear(4, 8);
 *   heads = new nn.ModuleDict({ cls: new nn.Linear(8, 3), reg: new nn.Linear(8, 1) });
 *   forward(x: Tensor): Tensor {
 *     const h = this.body.forward(x).relu();
 *     return this.heads.get('cls').forward(h).sum().add(this.heads.get('reg').forward(h).sum());
 *   }
 * }
 * const model = new TwoHeads();
 * model.namedParameters().map(([n]) => n);   // [..., 'heads.cls.weight', ..., 'heads.reg.bias']
 * model.forward(randn([2, 4])).backward();
 */
export class ModuleDict<T extends Module = Module> extends Module implements Iterable<string> {
  // a Map keeps insertion order for every key ('10' included) and keeps keys apart from methods
  private readonly _modules = new Map<string, T>();

  /** @param modules - Initial entries: an object or [key, module] pairs, in order. */
  constructor(modules: Record<string, T> | Iterable<readonly [string, T]> = {}) {
    super();
    this.update(modules);
  }

  /** @internal The registered modules, in insertion order. */
  override _childSlots(): [string, Module][] {
    return [...this._modules];
  }

  private static checkKey(op: string, key: unknown): string {
    if (typeof key !== 'string' || key === '' || key.includes('.')) {
      throw new ValueError(`ModuleDict.${op}: keys must be non-empty strings without '.', got ${JSON.stringify(key)}`);
    }
    return key;
  }

  /** The number of entries (as `len(module_dict)`). */
  get length(): number {
    return this._modules.size;
  }

  /** The number of entries (as Map.size). */
  get size(): number {
    return this._modules.size;
  }

  /** The module under key; an IndexError names the known keys when there is none. */
  get(key: string): T {
    const m = this._modules.get(key);
    if (!m) throw new IndexError(`ModuleDict.get: no module under key ${JSON.stringify(key)} (keys: ${[...this._modules.keys()].join(', ')})`);
    return m;
  }

  /** Whether `key` is present. */
  has(key: string): boolean {
    return this._modules.has(key);
  }

  /** Adds or replaces the module under key (a replaced key keeps its place, as in PyTorch). */
  set(key: string, m: T): this {
    ModuleDict.checkKey('set', key);
    if (!(m instanceof Module)) throw new ValueError(`ModuleDict.set: expected a Module for key ${JSON.stringify(key)}, got ${String(m)}`);
    this._modules.set(key, m);
    return this;
  }

  /** Removes the module under key and returns it. */
  pop(key: string): T {
    const m = this.get(key);
    this._modules.delete(key);
    return m;
  }

  /** Removes the module under key; false when there was none. */
  delete(key: string): boolean {
    return this._modules.delete(key);
  }

  /** Removes every entry. */
  clear(): void {
    this._modules.clear();
  }

  /** Adds every [key, module] of an object or iterable (all are checked before any is added). */
  update(modules: Record<string, T> | Iterable<readonly [string, T]>): this {
    if (modules === null || typeof modules !== 'object') throw new ValueError(`ModuleDict.update: expected an object or an iterable of [key, module] pairs, got ${String(modules)}`);
    const pairs: (readonly [string, T])[] =
      Symbol.iterator in modules ? [...(modules as Iterable<readonly [string, T]>)] : Object.entries(modules as Record<string, T>);
    for (const p of pairs) {
      if (!Array.isArray(p) || p.length !== 2) throw new ValueError(`ModuleDict.update: expected [key, module] pairs, got ${String(p)}`);
      ModuleDict.checkKey('update', p[0]);
      if (!(p[1] instanceof Module)) throw new ValueError(`ModuleDict.update: expected a Module for key ${JSON.stringify(p[0])}, got ${String(p[1])}`);
    }
    for (const [k, m] of pairs) this._modules.set(k, m);
    return this;
  }

  /** The keys, in insertion order. */
  keys(): string[] {
    return [...this._modules.keys()];
  }

  /** The modules, in insertion order. */
  values(): T[] {
    return [...this._modules.values()];
  }

  /** [key, module] pairs in insertion order (PyTorch's items()). */
  items(): [string, T][] {
    return [...this._modules];
  }

  /** [key, module] pairs, in insertion order (Map's name). */
  entries(): [string, T][] {
    return this.items();
  }

  /** Iterates the keys, as iterating a Python dict does. */
  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }

  /** A ModuleDict cannot be called: pick its modules in your module's forward. */
  forward(): never {
    throw new ValueError("ModuleDict: it has no forward; pick its modules in your own module's forward (dict.get('name').forward(x))");
  }
}
