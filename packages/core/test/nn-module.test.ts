import { describe, expect, test } from 'vitest';
import { IndexError, ShapeError, Tensor, ValueError, manualSeed, memory, nn, randn, tensor, tidy } from '@logit/core';

class Net extends nn.Module {
  fc1 = new nn.Linear(4, 8);
  net = new nn.Sequential(new nn.Linear(8, 8), new nn.Dropout(0.5), new nn.BatchNorm1d(8), new nn.Linear(8, 6, { bias: false }));
  fc2 = new nn.Linear(6, 3);
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.net.forward(this.fc1.forward(x).relu()));
  }
}

function values(m: nn.Module): Record<string, number[]> {
  const sd = m.stateDict();
  const out = Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, Array.from(t.dataSync())]));
  for (const t of Object.values(sd)) t.dispose();
  return out;
}

describe('nn.Module with layers', () => {
  test('train() and eval() reach every submodule; training is the default', () => {
    const m = new Net();
    expect(m.modules().every((s) => s.training)).toBe(true);
    m.eval();
    expect(m.modules().map((s) => s.training)).toEqual(new Array(m.modules().length).fill(false));
    expect(m.modules().length).toBe(8);
    m.train();
    expect(m.modules().every((s) => s.training)).toBe(true);
    m.net.train(false);
    expect([m.training, m.fc1.training, m.net.training, m.net.at(1).training]).toEqual([true, true, false, false]);
  });

  test('eval() makes the output deterministic (Dropout off, BatchNorm on running stats)', () => {
    const m = new Net().eval();
    const x = randn([5, 4]);
    const a = Array.from(m.forward(x).dataSync());
    const b = Array.from(m.forward(x).dataSync());
    expect(b).toEqual(a);
  });

  test('requiresGrad_(false) freezes: frozen parameters get no gradient, the rest do', () => {
    const m = new Net();
    m.fc1.requiresGrad_(false);
    expect(m.fc1.parameters().every((p) => !p.requiresGrad)).toBe(true);
    const x = randn([6, 4], { requiresGrad: true });
    m.forward(x).sum().backward();
    expect(m.fc1.weight.grad).toBeNull();
    expect(m.fc1.bias!.grad).toBeNull();
    expect(m.fc2.weight.grad?.shape).toEqual([3, 6]);
    expect(x.grad?.shape).toEqual([6, 4]);
    m.requiresGrad_(false);
    expect(m.parameters().every((p) => !p.requiresGrad)).toBe(true);
    m.requiresGrad_(true);
    expect(m.parameters().every((p) => p.requiresGrad)).toBe(true);
  });

  test('Sequential names its children by position and supports length, at and append', () => {
    const s = new nn.Sequential(new nn.Linear(2, 3), new nn.Tanh());
    s.append(new nn.Linear(3, 1));
    expect(s.length).toBe(3);
    expect(s.namedParameters().map(([k]) => k)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(s.at(-1)).toBeInstanceOf(nn.Linear);
    expect(s.at(1)).toBeInstanceOf(nn.Tanh);
    expect(() => s.at(3)).toThrow(IndexError);
    expect(() => s.append({} as nn.Module)).toThrow(ValueError);
    expect(s.forward(randn([4, 2])).shape).toEqual([4, 1]);
    // an empty Sequential is the identity, as in PyTorch
    const x = randn([2]);
    expect(new nn.Sequential().forward(x)).toBe(x);
  });

  test('stateDict / loadStateDict round trip: parameters and buffers, same outputs', () => {
    manualSeed(11);
    const a = new Net();
    tidy(() => a.forward(randn([7, 4]))); // moves the BatchNorm running stats
    const b = new Net();
    const sd = a.stateDict();
    expect(Object.keys(sd)).toContain('net.2.running_mean');
    expect(Object.keys(sd)).toContain('net.2.num_batches_tracked');
    const result = b.loadStateDict(sd);
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    for (const t of Object.values(sd)) t.dispose();
    expect(values(b)).toEqual(values(a));
    a.eval();
    b.eval();
    const x = randn([3, 4]);
    expect(Array.from(b.forward(x).dataSync())).toEqual(Array.from(a.forward(x).dataSync()));
    // loading copies: changing a afterwards does not change b
    a.fc1.requiresGrad_(false);
    a.fc1.weight.fill_(0);
    expect(values(b)['fc1.weight']).not.toEqual(values(a)['fc1.weight']);
  });

  test('loadStateDict names missing, unexpected and mis-shaped keys and changes nothing', () => {
    const m = new nn.Sequential(new nn.Linear(2, 3), new nn.BatchNorm1d(3));
    const before = values(m);
    const good = () => ({
      '0.weight': randn([3, 2]),
      '0.bias': randn([3]),
      '1.weight': randn([3]),
      '1.bias': randn([3]),
      '1.running_mean': randn([3]),
      '1.running_var': randn([3]),
      '1.num_batches_tracked': tensor(4, { dtype: 'int32' }),
    });
    const missing = good() as Record<string, Tensor>;
    delete missing['1.running_var'];
    expect(() => m.loadStateDict(missing)).toThrow(/^loadStateDict: missing keys \["1.running_var"\]$/);
    const extra = { ...good(), '2.weight': randn([1]) };
    expect(() => m.loadStateDict(extra)).toThrow(/^loadStateDict: unexpected keys \["2.weight"\]$/);
    const misShaped = { ...good(), '0.weight': randn([2, 3]) };
    expect(() => m.loadStateDict(misShaped)).toThrow(ShapeError);
    expect(() => m.loadStateDict(misShaped)).toThrow("loadStateDict: size mismatch for '0.weight': got shape [2, 3], the module has [3, 2]");
    expect(values(m)).toEqual(before);
    // non-strict loading reports the keys and loads the rest
    const r = m.loadStateDict({ '0.bias': tensor([1, 2, 3]), junk: tensor([0]) }, { strict: false });
    expect(r.unexpectedKeys).toEqual(['junk']);
    expect(r.missingKeys).toContain('0.weight');
    expect(Array.from((m.at(0) as nn.Linear).bias!.dataSync())).toEqual([1, 2, 3]);
    const g = good();
    m.loadStateDict(g);
    expect((m.at(1) as nn.BatchNorm1d).numBatchesTracked!.itemSync()).toBe(4);
  });

  test('a training step inside tidy leaves memory flat', () => {
    const m = new Net();
    const x = randn([5, 4]);
    const step = () => {
      tidy(() => m.forward(x).square().mean().backward());
      m.zeroGrad();
    };
    step();
    const before = memory();
    for (let i = 0; i < 3; i++) step();
    const after = memory();
    expect(after.tensors).toBe(before.tensors);
    expect(after.storages).toBe(before.storages);
    expect(after.bytes).toBe(before.bytes);
  });
});
