import { describe, expect, test } from 'vitest';
import { IndexError, Tensor, ValueError, memory, nn, randn } from '@logit/core';
import { expectCleanThrow } from './helpers/expect-error.js';

// ModuleList / ModuleDict, the registration check that refuses modules in plain containers,
// and the module walks (namedModules with shared modules, apply) against PyTorch's behaviour.

const names = (m: nn.Module): string[] => m.namedParameters().map(([n]) => n);

describe('a Module in a plain container is refused at registration', () => {
  test('an array class field throws when the module is constructed, naming ModuleList', () => {
    class Bad extends nn.Module {
      layers = [new nn.Linear(2, 2), new nn.Linear(2, 2)];
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(() => new Bad()).toThrow(ValueError);
    expect(() => new Bad()).toThrow(/Bad: field 'layers' holds a Module inside an array \(at layers\[0\]\).*Use nn\.ModuleList/);
  });

  test('an object field, a Map and a nested array are refused, naming ModuleDict or ModuleList and the path', () => {
    class Obj extends nn.Module {
      heads: Record<string, nn.Module>;
      constructor() {
        super();
        this.heads = { a: new nn.ReLU(), b: new nn.Linear(1, 1) };
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(() => new Obj()).toThrow(/field 'heads' holds a Module inside a plain object \(at heads\.a\).*Use nn\.ModuleDict/);
    const m = new nn.Sequential();
    const target = m as unknown as Record<string, unknown>;
    expect(() => (target.extra = new Map([['x', new nn.Tanh()]]))).toThrow(/inside a Map \(at extra\.get\("x"\)\).*nn\.ModuleDict/);
    expect(() => (target.deep = [[1, 2], [3, new nn.Tanh()]])).toThrow(/at deep\[1\]\[1\]/);
  });

  test('an assignment after construction throws and leaves the module unchanged', () => {
    const m = new nn.Linear(3, 2);
    const before = memory();
    expect(() => ((m as unknown as Record<string, unknown>).blocks = [new nn.ReLU()])).toThrow(/nn\.ModuleList/);
    expect('blocks' in m).toBe(false);
    expect(names(m)).toEqual(['weight', 'bias']);
    expect(memory().tensors).toBe(before.tensors);
  });

  test('a container filled after it was assigned is caught before any parameter is listed', () => {
    class Late extends nn.Module {
      layers: nn.Module[] = [];
      constructor() {
        super();
        this.layers.push(new nn.Linear(2, 2));
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new Late();
    expect(() => m.parameters()).toThrow(/field 'layers' holds a Module inside an array.*nn\.ModuleList/);
    expect(() => m.stateDict()).toThrow(ValueError);
    expect(() => m.train()).toThrow(ValueError);
  });

  test('plain data in fields is fine: arrays of numbers, objects of strings, a Module field', () => {
    class Ok extends nn.Module {
      sizes = [3, 4];
      cfg = { act: 'relu', dims: [1, 2] };
      fc = new nn.Linear(3, 4);
      forward(x: Tensor): Tensor {
        return this.fc.forward(x);
      }
    }
    expect(names(new Ok())).toEqual(['fc.weight', 'fc.bias']);
  });
});

describe('ModuleList', () => {
  class Net extends nn.Module {
    layers = new nn.ModuleList([new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2)]);
    forward(x: Tensor): Tensor {
      for (const l of this.layers) x = l.forward(x);
      return x;
    }
  }

  test('registers its modules as layers.0, layers.1, ... and iterates them in order', () => {
    const m = new Net();
    expect(names(m)).toEqual(['layers.0.weight', 'layers.0.bias', 'layers.2.weight', 'layers.2.bias']);
    expect(m.layers.length).toBe(3);
    expect([...m.layers].map((l) => l.constructor.name)).toEqual(['Linear', 'ReLU', 'Linear']);
    expect(m.layers[1]).toBeInstanceOf(nn.ReLU);
    expect(m.layers.at(-1)).toBe(m.layers[2]);
    const x = randn([5, 4], { requiresGrad: true });
    m.forward(x).sum().backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
  });

  test('append, extend, insert, pop and set renumber as PyTorch does', () => {
    const a = new nn.Linear(1, 1), b = new nn.Linear(1, 2), c = new nn.Linear(1, 3), d = new nn.Linear(1, 4);
    const l = new nn.ModuleList([a]);
    l.append(b).extend([c]);
    l.insert(1, d); // torch: [a, d, b, c]
    expect([...l]).toEqual([a, d, b, c]);
    expect(l.namedParameters().map(([n, p]) => `${n}:${p.shape[0]}`)).toEqual(['0.weight:1', '0.bias:1', '1.weight:4', '1.bias:4', '2.weight:2', '2.bias:2', '3.weight:3', '3.bias:3']);
    l.insert(-1, a); // before the last: [a, d, b, a, c]; a is listed once by parameters()
    expect([...l]).toEqual([a, d, b, a, c]);
    expect(l.parameters().length).toBe(8);
    expect(Object.keys(l.stateDict())).toHaveLength(10);
    expect(l.pop(0)).toBe(a);
    expect(l.pop()).toBe(c);
    expect([...l]).toEqual([d, b, a]);
    l.set(-1, c);
    expect([...l]).toEqual([d, b, c]);
    expect(l.slice(1).length).toBe(2);
    expect([...l.slice(1)]).toEqual([b, c]);
    l.insert(99, a); // clamped to the end, as list.insert
    expect(l.at(-1)).toBe(a);
  });

  test('bad input is a typed error and changes nothing', () => {
    const l = new nn.ModuleList<nn.Module>([new nn.ReLU()]);
    expect(() => l.at(1)).toThrow(IndexError);
    expect(() => l.pop(-2)).toThrow(IndexError);
    expect(() => l.append(3 as unknown as nn.Module)).toThrow(/ModuleList\.append: expected a Module, got number/);
    expect(() => l.extend([new nn.Tanh(), {} as nn.Module])).toThrow(/expected a Module, got Object/);
    expect(l.length).toBe(1);
    expect(() => l.forward()).toThrow(/no forward/);
  });
});

describe('ModuleDict', () => {
  test('keeps insertion order for every key (numeric-looking ones too) and names parameters by key', () => {
    const d = new nn.ModuleDict({ b: new nn.Linear(1, 1) });
    d.set('10', new nn.Linear(1, 2)).update([['a', new nn.Linear(1, 3)]]);
    expect(d.keys()).toEqual(['b', '10', 'a']);
    expect([...d]).toEqual(['b', '10', 'a']);
    expect(names(d)).toEqual(['b.weight', 'b.bias', '10.weight', '10.bias', 'a.weight', 'a.bias']);
    expect(d.get('10').parameters()[0].shape).toEqual([2, 1]);
    const replaced = new nn.Linear(1, 5);
    d.set('b', replaced); // a replaced key keeps its place
    expect(d.keys()).toEqual(['b', '10', 'a']);
    expect(d.pop('10')).toBeInstanceOf(nn.Linear);
    expect(d.length).toBe(2);
    expect(d.has('10')).toBe(false);
  });

  test('rejects bad keys and values and missing keys with typed errors, changing nothing', () => {
    const d = new nn.ModuleDict<nn.Module>({ a: new nn.ReLU() });
    expect(() => d.set('x.y', new nn.ReLU())).toThrow(/keys must be non-empty strings without '\.'/);
    expect(() => d.update({ ok: new nn.ReLU(), bad: 1 as unknown as nn.Module })).toThrow(ValueError);
    expect(d.keys()).toEqual(['a']);
    expect(() => d.get('nope')).toThrow(IndexError);
  });

  test('as a field of a model', () => {
    class TwoHeads extends nn.Module {
      body = new nn.Linear(4, 8);
      heads = new nn.ModuleDict({ cls: new nn.Linear(8, 3), reg: new nn.Linear(8, 1) });
      forward(x: Tensor): Tensor {
        const h = this.body.forward(x).relu();
        return this.heads.get('cls').forward(h).sum().add(this.heads.get('reg').forward(h).sum());
      }
    }
    const m = new TwoHeads();
    expect(names(m)).toEqual(['body.weight', 'body.bias', 'heads.cls.weight', 'heads.cls.bias', 'heads.reg.weight', 'heads.reg.bias']);
    m.forward(randn([2, 4])).backward();
    expect(m.heads.get('reg').parameters()[0].grad!.shape).toEqual([1, 8]);
  });
});

describe('module walks', () => {
  test('a shared module is listed once by namedModules (first name) and parameters, under every name by stateDict', () => {
    const shared = new nn.Linear(2, 2);
    class M extends nn.Module {
      a = shared;
      inner = new nn.Sequential(new nn.ReLU(), shared);
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new M();
    expect(m.namedModules().map(([n]) => n)).toEqual(['', 'a', 'inner', 'inner.0']);
    expect(m.namedModules({ removeDuplicate: false }).map(([n]) => n)).toEqual(['', 'a', 'inner', 'inner.0', 'inner.1']);
    expect(m.namedModules({ prefix: 'model' }).map(([n]) => n)).toEqual(['model', 'model.a', 'model.inner', 'model.inner.0']);
    expect(names(m)).toEqual(['a.weight', 'a.bias']);
    expect(m.namedParameters({ removeDuplicate: false }).map(([n]) => n)).toEqual(['a.weight', 'a.bias', 'inner.1.weight', 'inner.1.bias']);
    expect(m.namedParameters({ recurse: false })).toEqual([]);
    expect(Object.keys(m.stateDict())).toEqual(['a.weight', 'a.bias', 'inner.1.weight', 'inner.1.bias']);
    expect(() => m.namedModules({ remove_duplicate: false } as never)).toThrow(/did you mean 'removeDuplicate'/);
  });

  test('apply visits children first, depth first, then the module itself (as PyTorch), and returns it', () => {
    const m = new nn.Sequential(new nn.Linear(1, 1), new nn.Sequential(new nn.ReLU(), new nn.Tanh()));
    const seen: string[] = [];
    expect(m.apply((s) => seen.push(s.constructor.name))).toBe(m);
    expect(seen).toEqual(['Linear', 'ReLU', 'Tanh', 'Sequential', 'Sequential']);
  });

  test('Identity returns its input; SiLU is x * sigmoid(x)', () => {
    const x = randn([3]);
    expect(new nn.Identity().forward(x)).toBe(x);
    expect(new nn.Identity(54, { unused: 0.1 }).forward(x)).toBe(x); // argument-insensitive, as PyTorch's
    const y = new nn.SiLU().forward(x);
    const xs = Array.from(x.dataSync());
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(xs[i] / (1 + Math.exp(-xs[i])), 6));
    const xi = x.int();
    expectCleanThrow(() => nn.functional.silu(xi), Error, /silu: input must be floating point/, [xi]);
  });
});
