import { IndexError, ValueError } from '../../errors.js';
import { Module } from '../module.js';

function checkModule(op: string, m: unknown): Module {
  if (!(m instanceof Module)) throw new ValueError(`${op}: expected a Module, got ${m === null ? 'null' : typeof m === 'object' ? m.constructor.name : typeof m}`);
  return m;
}

/**
 * Holds submodules in a list, like torch.nn.ModuleList: they are registered (their parameters
 * reach `parameters()`, `stateDict()` and the optimizer) under the names '0', '1', ..., so a
 * field `layers` gives 'layers.0.weight'. A plain array of modules would not be registered, and
 * Logit refuses one; this is the list to use.
 *
 * It has no forward of its own: iterate it (`for (const layer of this.layers)`) in yours.
 * Indexing: `at(i)` (negative counts from the end), `set(i, m)`; changes: `append`, `extend`,
 * `insert`, `pop`; `length`; `slice(start, end)` gives a new ModuleList of the same modules.
 *
 * @example
 * class MLP extends nn.Module {
 *   layers = new nn.ModuleList([new nn.Linear(4, 8), new nn.Linear(8, 8), new nn.Linear(8, 2)]);
 *   forward(x: Tensor): Tensor {
 *     for (const layer of this.layers) x = layer.forward(x).relu();
 *     return x;
 *   }
 * }
 * const model = new MLP();
 * model.namedParameters()[0][0];                  // 'layers.0.weight'
 * model.forward(randn([3, 4])).sum().backward();
 */
export class ModuleList<T extends Module = Module> extends Module implements Iterable<T> {
  /** The i-th module, also reachable as `list[i]` (PyTorch's `list[i]`). */
  readonly [index: number]: T;

  /** @param modules - Initial modules, registered as children '0', '1', ... in order. */
  constructor(modules: Iterable<T> = []) {
    super();
    this.extend(modules);
  }

  /** The number of modules. */
  get length(): number {
    return this._childSlots().length;
  }

  private slot(op: string, i: number, n = this.length): number {
    if (!Number.isInteger(i) || i < -n || i >= n) throw new IndexError(`ModuleList.${op}: index ${i} is out of range for ${n} modules`);
    return i < 0 ? i + n : i;
  }

  private put(i: number, m: T): void {
    (this as unknown as Record<number, T>)[i] = m;
  }

  /** The module at index i (negative counts from the end). */
  at(i: number): T {
    return this[this.slot('at', i)];
  }

  /** Replaces the module at index i. */
  set(i: number, m: T): this {
    const j = this.slot('set', i);
    this.put(j, checkModule('ModuleList.set', m) as T);
    return this;
  }

  /** Adds a module at the end. */
  append(m: T): this {
    this.put(this.length, checkModule('ModuleList.append', m) as T);
    return this;
  }

  /** Appends every module of an iterable (checked first: nothing is added unless all are Modules). */
  extend(modules: Iterable<T>): this {
    if (modules === null || typeof (modules as Partial<Iterable<T>>)[Symbol.iterator] !== 'function') {
      throw new ValueError(`ModuleList.extend: expected an iterable of Modules, got ${String(modules)}`);
    }
    const list = [...modules];
    list.forEach((m) => checkModule('ModuleList.extend', m));
    for (const m of list) this.append(m);
    return this;
  }

  /** Inserts a module before index i (i may equal the length; negative counts from the end, clamped as in PyTorch). */
  insert(i: number, m: T): this {
    checkModule('ModuleList.insert', m);
    const n = this.length;
    if (!Number.isInteger(i)) throw new IndexError(`ModuleList.insert: index must be an integer, got ${i}`);
    const at = Math.min(Math.max(i < 0 ? i + n : i, 0), n);
    for (let j = n; j > at; j--) this.put(j, this[j - 1]);
    this.put(at, m);
    return this;
  }

  /** Removes and returns the module at index i (default the last). */
  pop(i = -1): T {
    const n = this.length;
    const j = this.slot('pop', i, n);
    const m = this[j];
    for (let k = j; k < n - 1; k++) this.put(k, this[k + 1]);
    delete (this as unknown as Record<number, T>)[n - 1];
    return m;
  }

  /** A new ModuleList holding modules start..end-1 (the same module objects, as PyTorch's slice). */
  slice(start?: number, end?: number): ModuleList<T> {
    return new ModuleList([...this].slice(start, end));
  }

  /** Iterates the modules in order. */
  [Symbol.iterator](): Iterator<T> {
    return (this._childSlots().map(([, m]) => m) as T[])[Symbol.iterator]();
  }

  /** A ModuleList cannot be called: iterate it in your module's forward. */
  forward(): never {
    throw new ValueError('ModuleList: it has no forward; iterate over it in your own module\'s forward (for (const m of list) x = m.forward(x))');
  }
}
