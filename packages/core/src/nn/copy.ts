import { noGrad } from '../autograd/grad-mode.js';
import { keep, tidy } from '../memory/scope.js';
import { Tensor } from '../tensor.js';
import { Module, Parameter, isParameter, wrapModule } from './module.js';

// PyTorch's copy.deepcopy of a module, which TransformerEncoder uses to stack numLayers copies of
// one layer: every submodule, parameter and buffer is copied (new storage, same values, same
// requiresGrad), and what was shared inside the original (a tied weight) is shared inside the
// copy. Plain arrays, objects, Maps and Sets are copied; functions and other class instances
// (caches, configuration objects) are shared. Fields declared with JavaScript's #private syntax
// cannot be reached and are not copied.

type Memo = Map<object, unknown>;

function copyValue(v: unknown, memo: Memo): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (memo.has(v)) return memo.get(v);
  if (v instanceof Module) return copyModule(v, memo);
  if (v instanceof Tensor) {
    const copy = noGrad(() => tidy(() => v.detach().clone()));
    const t = isParameter(v) ? Parameter(copy, v.requiresGrad) : keep(copy);
    memo.set(v, t);
    return t;
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    memo.set(v, out);
    for (const x of v) out.push(copyValue(x, memo));
    return out;
  }
  if (v instanceof Map) {
    const out = new Map();
    memo.set(v, out);
    for (const [k, x] of v) out.set(k, copyValue(x, memo));
    return out;
  }
  if (v instanceof Set) {
    const out = new Set();
    memo.set(v, out);
    for (const x of v) out.add(copyValue(x, memo));
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  const out: Record<string, unknown> = Object.create(proto);
  memo.set(v, out);
  for (const [k, x] of Object.entries(v)) out[k] = copyValue(x, memo);
  return out;
}

function copyModule<T extends Module>(m: T, memo: Memo): T {
  const raw = Object.create(Object.getPrototypeOf(m)) as T;
  const copy = wrapModule(raw);
  memo.set(m, copy);
  for (const key of Reflect.ownKeys(m)) {
    const desc = Object.getOwnPropertyDescriptor(m, key)!;
    if ('value' in desc) desc.value = copyValue(desc.value, memo);
    Object.defineProperty(raw, key, desc);
  }
  return copy;
}

/** A deep copy of a module with fresh parameters and buffers holding the same values (copy.deepcopy). */
export function deepCopy<T extends Module>(m: T): T {
  return copyModule(m, new Map());
}
