import { BackendError, ShapeError, ValueError } from '../errors.js';
import { backendLabel } from '../backend/label.js';
import { fmt, sameShape } from '../shape.js';
import { noGrad } from '../autograd/grad-mode.js';
import { keep } from '../memory/scope.js';
import { Tensor } from '../tensor.js';
import { checkOptions, type OptionKeys } from '../options.js';

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

export function isParameter(x: unknown): x is Tensor {
  return x instanceof Tensor && parameters.has(x);
}

export type StateDict = Record<string, Tensor>;

/**
 * The base class of every layer and model, like torch.nn.Module. Parameters (tensors wrapped in
 * `Parameter`), buffers (`registerBuffer`) and submodules are discovered from the object's own
 * fields, in insertion order, so names match PyTorch's `named_parameters()`.
 */
export abstract class Module {
  /** True after `train()` (the default), false after `eval()`: Dropout and BatchNorm read it. */
  training = true;
  /** Buffer field name -> its state-dict key (PyTorch's name, e.g. runningMean -> running_mean). */
  private readonly _buffers = new Map<string, string>();

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

  /** Direct submodules with their field names, in insertion order. */
  namedChildren(): [string, Module][] {
    return Object.entries(this).filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every submodule, depth first, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, m] of this.namedChildren()) out.push(...m.namedModules(prefix ? `${prefix}.${name}` : name));
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Parameters with PyTorch's names: 'fc1.weight', '0.bias' inside Sequential. */
  namedParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, v] of Object.entries(m)) {
        if (isParameter(v) && !seen.has(v)) {
          seen.add(v);
          out.push([prefix ? `${prefix}.${name}` : name, v]);
        }
      }
    }
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, key] of m._buffers) {
        const v = (m as unknown as Record<string, unknown>)[name];
        if (v instanceof Tensor) out.push([prefix ? `${prefix}.${key}` : key, v]);
      }
    }
    return out;
  }

  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

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
   * Parameters then buffers of each module, by name. The tensors are detached views of the
   * current values; optimizer steps rebind parameters to new storage, so a state dict taken
   * now keeps today's values (dispose them when done).
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [prefix, m] of this.namedModules()) {
      const pre = prefix ? `${prefix}.` : '';
      for (const [name, v] of Object.entries(m)) {
        if (isParameter(v)) out[pre + name] = keep(v.detach());
      }
      for (const [name, key] of m._buffers) {
        const v = (m as unknown as Record<string, unknown>)[name];
        if (v instanceof Tensor) out[pre + key] = keep(v.detach());
      }
    }
    return out;
  }

  /**
   * Copies values into parameters and buffers. With `strict` (default), missing or unexpected
   * keys are an error; a shape mismatch always is. Nothing is changed unless every key fits.
   */
  loadStateDict(state: StateDict | Map<string, Tensor>, opts: { strict?: boolean } = {}): { missingKeys: string[]; unexpectedKeys: string[] } {
    const strict = checkOptions('loadStateDict', opts, { strict: true }).strict ?? true;
    const entries = state instanceof Map ? new Map(state) : new Map(Object.entries(state));
    const own = this.stateDict();
    try {
      const missingKeys = Object.keys(own).filter((k) => !entries.has(k));
      const unexpectedKeys = [...entries.keys()].filter((k) => !(k in own));
      if (strict && (missingKeys.length || unexpectedKeys.length)) {
        throw new ValueError(
          `loadStateDict: ${missingKeys.length ? `missing keys ${JSON.stringify(missingKeys)}` : ''}` +
            `${missingKeys.length && unexpectedKeys.length ? '; ' : ''}` +
            `${unexpectedKeys.length ? `unexpected keys ${JSON.stringify(unexpectedKeys)}` : ''}`,
        );
      }
      for (const [k, v] of entries) {
        const target = own[k];
        if (!target) continue;
        if (!(v instanceof Tensor)) throw new ValueError(`loadStateDict: value for '${k}' is not a Tensor`);
        if (!sameShape(v.shape, target.shape)) {
          throw new ShapeError(`loadStateDict: size mismatch for '${k}': got shape ${fmt(v.shape)}, the module has ${fmt(target.shape)}`);
        }
      }
      const live = new Map([...this.namedParameters(), ...this.namedBuffers()]);
      // each tensor keeps its backend (as in PyTorch); a source that must be read asynchronously cannot be copied here
      for (const [k, v] of entries) {
        const dst = live.get(k);
        if (!dst) continue;
        const src = v._ref().backend;
        if (src !== dst._ref().backend && !src.readSync) {
          throw new BackendError(
            `loadStateDict: '${k}' lives on '${backendLabel(src)}', which reads asynchronously; move it first with \`await t.toAsync(backend)\``,
          );
        }
      }
      noGrad(() => {
        for (const [k, v] of entries) live.get(k)?.copy_(v);
      });
      return { missingKeys, unexpectedKeys };
    } finally {
      for (const t of Object.values(own)) t.dispose();
    }
  }
}
