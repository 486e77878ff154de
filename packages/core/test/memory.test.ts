import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { keep, memory, noGrad, randn, manualSeed, stack, tensor, tidy, ValueError, type DType, type Tensor } from '@logit/core';

// Every tensor this file creates is disposed or scoped: a forgotten one could be garbage-collected
// between two memory() readings and make a count move for reasons unrelated to the code under test.
const counts = () => {
  const m = memory();
  return { tensors: m.tensors, storages: m.storages, bytes: m.bytes };
};

describe('tidy, keep, dispose', () => {
  test('tidy disposes intermediates and keeps what it returns (a tensor, arrays, objects, Maps)', async () => {
    const before = counts();
    let inner: Tensor[] = [];
    const { a, list, map } = tidy(() => {
      const x = tensor([1, 2, 3]);
      const y = x.mul(2);
      const z = y.add(1);
      inner = [x, y];
      return { a: z, list: [z.mul(2), [z.sum()]], map: new Map([['k', z.neg()]]) };
    });
    expect(inner.every((t) => t.isDisposed)).toBe(true);
    expect(await a.tolist()).toEqual([3, 5, 7]);
    expect(await (list[0] as Tensor).tolist()).toEqual([6, 10, 14]);
    expect(await (list[1] as Tensor[])[0].tolist()).toBe(15);
    expect(await map.get('k')!.tolist()).toEqual([-3, -5, -7]);
    expect(counts().tensors).toBe(before.tensors + 4);
    for (const t of [a, list[0] as Tensor, (list[1] as Tensor[])[0], map.get('k')!]) t.dispose();
    expect(counts()).toEqual(before);
  });

  test('nested tidy hands returned tensors to the parent scope, which disposes them', () => {
    const before = counts();
    let mid: Tensor | null = null;
    tidy(() => {
      mid = tidy(() => tensor([1]).add(1));
      expect(mid.isDisposed).toBe(false);
    });
    expect(mid!.isDisposed).toBe(true);
    expect(counts()).toEqual(before);
  });

  test('keep() survives every enclosing tidy', async () => {
    const before = counts();
    let kept: Tensor | null = null;
    tidy(() => tidy(() => { kept = keep(tensor([4]).mul(2)); }));
    expect(await kept!.tolist()).toEqual([8]);
    kept!.dispose();
    expect(counts()).toEqual(before);
  });

  test('async tidy closes when the promise settles, also on rejection', async () => {
    const before = counts();
    let x: Tensor | null = null;
    const r = await tidy(async () => {
      x = tensor([1, 2]);
      await new Promise((res) => setTimeout(res, 1));
      return x.sum();
    });
    expect(x!.isDisposed).toBe(true);
    expect(await r.tolist()).toBe(3);
    r.dispose();
    await expect(tidy(async () => {
      tensor([1]);
      await Promise.resolve();
      throw new Error('fail');
    })).rejects.toThrow('fail');
    expect(counts()).toEqual(before);
  });

  test('a throwing tidy disposes what it made', () => {
    const before = counts();
    expect(() => tidy(() => { tensor([1, 2]).mul(3); throw new Error('x'); })).toThrow('x');
    expect(counts()).toEqual(before);
  });

  test('dispose is idempotent; a disposed tensor cannot be used, with a clear error', async () => {
    const before = counts();
    const t = tensor([1, 2]);
    t.dispose();
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(counts()).toEqual(before);
    expect(() => t.add(1)).toThrow(ValueError);
    expect(() => t.add(1)).toThrow(/tensor #\d+ of shape \[2\] was disposed and cannot be used/);
    await expect(t.data()).rejects.toThrow(/was disposed/);
    expect(counts()).toEqual(before);
  });

  test('a view keeps shared storage alive after its base is disposed', async () => {
    const before = counts();
    const base = tensor([1, 2, 3, 4]);
    const v = base.reshape(2, 2);
    base.dispose();
    expect(await v.tolist()).toEqual([[1, 2], [3, 4]]);
    expect(counts().storages).toBe(before.storages + 1);
    v.dispose();
    expect(counts()).toEqual(before);
  });
});

describe('graphs free their saved tensors', () => {
  test('a graph disposed without backward returns memory to the baseline', (ctx) => {
    needs(ctx, 'float64');
    const x = tensor(Float64Array.from([0.5, 1, 2]), { requiresGrad: true });
    const before = counts();
    const y = tidy(() => x.mul(x).exp().log().sum());
    expect(counts().storages).toBeGreaterThan(before.storages + 1); // the graph holds saved tensors
    y.dispose();
    expect(counts()).toEqual(before);
    x.dispose();
  });

  test('backward frees the saved tensors even while the output is alive', (ctx) => {
    needs(ctx, 'float64');
    const x = tensor(Float64Array.from([0.5, 1, 2]), { requiresGrad: true });
    const before = counts();
    const y = tidy(() => x.mul(x).exp().log().sum());
    y.backward();
    // left: y (1 storage) and x.grad (1 storage)
    expect(counts()).toEqual({ tensors: before.tensors + 2, storages: before.storages + 2, bytes: before.bytes + 8 + 24 });
    y.dispose();
    x.dispose();
  });
});

/** A 2-layer MLP regression problem: 16 samples, 4 -> 8 -> 1. */
function setup() {
  manualSeed(1);
  const x = randn([16, 4]);
  const target = tidy(() => x.sum(1, true).sin());
  const params = [randn([4, 8]).mul_(0.5), tensor(new Float32Array(8)), randn([8, 1]).mul_(0.5), tensor(new Float32Array(1))];
  for (const p of params) p.requiresGrad_();
  return { x, target, params };
}

describe('a training loop keeps memory() flat', () => {
  const lr = 0.05;

  test('1,000 steps of forward/backward/SGD inside tidy', async () => {
    const { x, target, params } = setup();
    const [w1, b1, w2, b2] = params;
    const step = () =>
      tidy(() => {
        const out = x.matmul(w1).add(b1).relu().matmul(w2).add(b2);
        const loss = out.sub(target).square().mean();
        loss.backward();
        noGrad(() => { for (const p of params) p.sub_(p.grad!.mul(lr)); });
        for (const p of params) p.grad = null;
        return keep(loss.detach());
      });
    let last = step();
    const l0 = await last.item();
    const base = counts();
    for (let i = 1; i < 1000; i++) {
      last.dispose();
      last = step();
    }
    expect(counts()).toEqual(base);
    expect(await last.item()).toBeLessThan(l0 * 0.5); // it really trained
    for (const t of [last, x, target, ...params]) t.dispose();
  }, 30_000);

  test('1,000 steps without tidy: backward frees the graph, the step disposes its own tensors', () => {
    const { x, target, params } = setup();
    const [w1, b1, w2, b2] = params;
    const step = () => {
      const made: Tensor[] = [];
      const m = (t: Tensor) => (made.push(t), t);
      const h = m(m(m(x.matmul(w1)).add(b1)).relu());
      const out = m(m(h.matmul(w2)).add(b2));
      const loss = m(m(m(out.sub(target)).square()).mean());
      loss.backward();
      for (const p of params) {
        const update = p.grad!.mul(lr);
        noGrad(() => p.sub_(update));
        update.dispose();
        p.grad = null;
      }
      for (const t of made) t.dispose();
    };
    step();
    const base = counts();
    for (let i = 1; i < 1000; i++) step();
    expect(counts()).toEqual(base);
    for (const t of [x, target, ...params]) t.dispose();
  }, 30_000);
});

describe('every op leaves exactly its output behind', () => {
  // Outside any tidy: an op that leaks an intermediate (e.g. a cast made before its own scope)
  // shows up here as a tensor that outlives the disposed result.
  const f = () => tensor([[0.5, -1, 2], [3, 0.25, -2]], { requiresGrad: true });
  const i = () => tensor([[1, 2, 0], [0, 1, 2]], { dtype: 'int32' });
  const idx = () => tensor([1, 1], { dtype: 'int32' });
  // an optional fourth entry: a dtype the op's output needs the backend to store
  const ops: [string, () => Tensor[], (x: Tensor, extra: Tensor) => Tensor, DType?][] = [
    ['exp of int32', () => [i()], (x) => x.exp()],
    ['div of int32', () => [i()], (x) => x.div(2)],
    ['mean', () => [f()], (x) => x.mean(1)],
    ['logsumexp of float', () => [f()], (x) => x.logsumexp(1)],
    ['logsumexp of int32', () => [i()], (x) => x.logsumexp(1)],
    ['softmax of int32', () => [i()], (x) => x.softmax(1)],
    ['logSoftmax', () => [f()], (x) => x.logSoftmax(0)],
    ['clamp', () => [f()], (x) => x.clamp(0, 1)],
    ['amax', () => [f()], (x) => x.amax([0, 1])],
    ['max along a dim', () => [f()], (x) => tidy(() => x.max(1).values)],
    ['argmax', () => [f()], (x) => x.argmax()],
    ['matmul', () => [f(), tensor([[1, 2], [3, 4], [5, 6]])], (x, e) => x.matmul(e)],
    ['matmul of a vector', () => [f(), tensor([1, 2, 3])], (x, e) => x.matmul(e)],
    ['rsqrt', () => [f()], (x) => x.rsqrt()],
    ['select', () => [f()], (x) => x.select(1, 2)],
    ['narrow', () => [f()], (x) => x.narrow(1, 1, 2)],
    ['gather', () => [f(), i()], (x, e) => x.gather(1, e)],
    ['indexSelect', () => [f(), idx()], (x, e) => x.indexSelect(0, e)],
    ['to float64', () => [f()], (x) => x.to('float64'), 'float64'],
    ['isnan', () => [f()], (x) => x.isnan()],
    ['logicalNot of int32', () => [i()], (x) => x.logicalNot()],
    ['add of a number', () => [f()], (x) => x.add(2)],
    ['where with a number', () => [f(), tensor([true, false, true])], (x, c) => x.where(c, 0)],
    ['stack', () => [f(), f()], (x, e) => stack([x, e], 1)],
    ['backward leaves only x.grad', () => [f()], (x) => {
      const loss = tidy(() => x.mul(x).sum());
      loss.backward();
      loss.dispose();
      return x.grad!;
    }],
  ];
  for (const [name, make, op, dtype] of ops) {
    test(name, (ctx) => {
      if (dtype) needs(ctx, dtype);
      const [x, extra] = make();
      const before = counts();
      const y = op(x, extra);
      expect(counts().tensors, 'only the output is new').toBe(before.tensors + 1);
      y.dispose();
      expect(counts()).toEqual(before);
      x.dispose();
      extra?.dispose();
    });
  }
});
