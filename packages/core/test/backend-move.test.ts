import { afterAll, describe, expect, test } from 'vitest';
import { createCpuBackend } from '@logit/backend-cpu';
import { BackendError, getBackend, memory, nn, optim, setBackend, tensor, tidy, type Backend, type Tensor } from '@logit/core';

// Issue 15, items 3 and 5: copy_ and loadStateDict keep the destination's backend, t.to(backend)
// moves a tensor explicitly, and messages tell two backends of one kind apart and name only
// methods that exist. Two backend-cpu instances stand in for two devices; an async-only view of
// backend-cpu (no readSync) stands in for WebGPU.

const original = getBackend();
afterAll(() => setBackend(original));

const a = createCpuBackend();
const b = createCpuBackend();
/** backend-cpu without readSync: reads only asynchronously, as WebGPU does. */
function asyncOnly(): Backend {
  const inner = createCpuBackend();
  const { readSync: _drop, ...rest } = inner;
  return { ...rest, name: 'async' };
}

function on<T>(be: Backend, fn: () => T): T {
  const prev = getBackend();
  setBackend(be);
  try {
    return fn();
  } finally {
    setBackend(prev);
  }
}

describe('copy_ and loadStateDict keep the destination backend', () => {
  test('a model on one backend loads a state dict held on another and trains on (it threw before)', async () => {
    const model = on(a, () => new nn.Sequential(new nn.Linear(3, 2), new nn.ReLU(), new nn.Linear(2, 1)));
    const source = on(b, () => new nn.Sequential(new nn.Linear(3, 2), new nn.ReLU(), new nn.Linear(2, 1)));
    const state = source.stateDict();
    model.loadStateDict(state);
    for (const p of model.parameters()) expect(p.device).toBe(a);
    for (const [name, p] of model.namedParameters()) expect(Array.from(await p.data())).toEqual(Array.from(await state[name].data()));
    const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const x = on(a, () => tensor([[1, 2, 3], [0, -1, 1]]));
    for (let i = 0; i < 2; i++) {
      tidy(() => {
        opt.zeroGrad();
        model.forward(x).square().sum().backward();
        opt.step();
      });
    }
    for (const p of model.parameters()) expect(p.device).toBe(a);
    for (const t of [...Object.values(state), ...model.parameters(), ...source.parameters(), x]) t.dispose();
  });

  test('copy_ from another backend keeps the destination backend and copies the values', async () => {
    const dst = on(a, () => tensor([0, 0, 0]));
    const src = on(b, () => tensor([1, 2, 3]));
    dst.copy_(src);
    expect(dst.device).toBe(a);
    expect(Array.from(await dst.data())).toEqual([1, 2, 3]);
    dst.dispose();
    src.dispose();
  });

  test('a state dict on a backend that reads only asynchronously is refused before anything changes', async () => {
    const slow = asyncOnly();
    const model = on(a, () => new nn.Linear(2, 2));
    const before = await model.weight.data();
    const state = on(slow, () => ({ weight: tensor([[1, 2], [3, 4]]), bias: tensor([5, 6]) }));
    expect(() => model.loadStateDict(state)).toThrow(BackendError);
    expect(() => model.loadStateDict(state)).toThrow(/^loadStateDict: 'weight' lives on 'async#\d+', which reads asynchronously; move it first with `await t.toAsync\(backend\)`; 'bias' lives on 'async#\d+'/);
    expect(Array.from(await model.weight.data())).toEqual(Array.from(before));
    // the explicit async move, then the load
    const moved = { weight: await state.weight.toAsync(a), bias: await state.bias.toAsync(a) };
    model.loadStateDict(moved);
    expect(Array.from(await model.weight.data())).toEqual([1, 2, 3, 4]);
    for (const t of [...Object.values(state), ...Object.values(moved), ...model.parameters()]) t.dispose();
  });
});

describe('t.to(backend), t.to({ dtype, backend }), t.toAsync(backend)', () => {
  test('moves values, keeps the tensor when nothing changes, and carries the gradient back', async () => {
    const x = on(a, () => tensor([1, -2, 3], { requiresGrad: true }));
    expect(x.to(a)).toBe(x);
    expect(x.to({ dtype: 'float32', backend: a })).toBe(x);
    const y = x.to(b);
    expect(y.device).toBe(b);
    expect(Array.from(await y.data())).toEqual([1, -2, 3]);
    tidy(() => y.mul(y).sum().backward());
    expect(x.grad!.device).toBe(a);
    expect(Array.from(await x.grad!.data())).toEqual([2, -4, 6]);
    const z = x.to({ dtype: 'int32', backend: b });
    expect([z.dtype, z.device]).toEqual(['int32', b]);
    expect(Array.from(await z.data())).toEqual([1, -2, 3]);
    for (const t of [x, y, z]) t.dispose();
  });

  test('from a backend that reads only asynchronously: to() names toAsync, which works', async () => {
    const slow = asyncOnly();
    const x = on(slow, () => tensor([1, 2]));
    expect(() => x.to(a)).toThrow(/^to: tensor #\d+ lives on 'async#\d+', which reads asynchronously; move it with `await t.toAsync\(backend\)`$/);
    const y = await x.toAsync({ backend: a, dtype: 'int32' });
    expect([y.device, y.dtype, Array.from(await y.data())]).toEqual([a, 'int32', [1, 2]]);
    // a tensor that requires grad cannot move to it: its gradient could not come back synchronously
    const w = on(a, () => tensor([1], { requiresGrad: true }));
    expect(() => w.to(slow)).toThrow(/requires grad, and its gradient could not come back from 'async#\d+'/);
    expect(w.detach().to(slow).device).toBe(slow);
    for (const t of [x, y, w]) t.dispose();
  });

  test('bad targets are ValueErrors naming what to.() takes', () => {
    const x = on(a, () => tensor([1]));
    expect(() => x.to('float16' as never)).toThrow(/^to: unknown dtype "float16"/);
    expect(() => x.to({ device: a } as never)).toThrow(/^to: unknown option 'device' \(known options: dtype, backend\)/);
    x.dispose();
  });
});

describe('mixing backends: the message tells instances apart and names a method that exists', () => {
  test("'cpu#i' and 'cpu#j', and t.to(backend)", () => {
    const x = on(a, () => tensor([1]));
    const y = on(b, () => tensor([2]));
    const before = memory().tensors;
    let message = '';
    try {
      x.add(y);
    } catch (e) {
      expect(e).toBeInstanceOf(BackendError);
      message = (e as Error).message;
    }
    const m = /^add: inputs live on different backends \('(cpu#\d+)' and '(cpu#\d+)'\); move one with t\.to\(backend\) \(or await t\.toAsync\(backend\)\)$/.exec(message);
    expect(m, message).not.toBeNull();
    expect(m![1]).not.toBe(m![2]);
    expect(memory().tensors).toBe(before);
    // the method the message names exists and fixes the call
    const sum = tidy(() => x.add(y.to(x.device)));
    expect(sum.dataSync()[0]).toBe(3);
    for (const t of [x, y, sum] as Tensor[]) t.dispose();
  });
});
