import { describe, expect, test } from 'vitest';
import {
  arange, BackendError, full, IndexError, memory, nn, randint, randn, tensor, tidy, ValueError, zeros, zerosLike,
} from '@logit/core';
import { expectCleanThrow } from './helpers/expect-error.js';

// Issue 15, items 6, 7, 9, 10 and 12 on backend-cpu (the same cases run on every backend through
// @logit/conformance's error cases; see packages/conformance/src/cases/errors.ts).

describe('int32 creation and fills refuse values that would wrap (as PyTorch: "without overflow")', () => {
  test('tensor, full, fill_, arange and randint', () => {
    expectCleanThrow(() => tensor([2 ** 31], { dtype: 'int32' }), ValueError, /^tensor: value 2147483648 at index 0 cannot be converted to type int32 without overflow$/);
    expectCleanThrow(() => tensor(new Float32Array([1, -3e9]), { dtype: 'int32' }), ValueError, /value -3000000000 at index 1 cannot be converted to type int32/);
    expectCleanThrow(() => full([2], 1e10, { dtype: 'int32' }), ValueError, /^full: value 10000000000 cannot be converted to type int32 without overflow$/);
    expectCleanThrow(() => full([2], NaN, { dtype: 'int32' }), ValueError, /^full: value NaN cannot be converted/);
    expectCleanThrow(() => full([2], -Infinity, { dtype: 'int32' }), ValueError, /value -Infinity cannot be converted/);
    const t = zeros([2], { dtype: 'int32' });
    expectCleanThrow(() => t.fill_(2 ** 31), ValueError, /^fill_: value 2147483648 cannot be converted to type int32/, [t]);
    expectCleanThrow(() => t.fill_(NaN), ValueError, /fill_: value NaN/, [t]);
    expectCleanThrow(() => tidy(() => zerosLike(t).fill_(Infinity)), ValueError, /fill_: value Infinity/);
    t.dispose();
    expectCleanThrow(() => arange(0, 2 ** 31 + 10, 2 ** 30), ValueError, /^arange: value 2147483648 \(the last of 3 values\) cannot be converted to type int32/);
    expectCleanThrow(() => randint(2 ** 31, 2 ** 31 + 5, [2]), ValueError, /randint: value 2147483648 cannot be converted/);
  });

  test('values that fit still work: the extremes of int32, and truncation toward zero as PyTorch', async () => {
    const a = tensor([2 ** 31 - 1, -(2 ** 31)], { dtype: 'int32' });
    expect(Array.from(await a.data())).toEqual([2147483647, -2147483648]);
    const b = full([2], -2.7, { dtype: 'int32' });
    expect(Array.from(await b.data())).toEqual([-2, -2]);
    const c = arange(2 ** 31 - 3, 2 ** 31);
    expect(Array.from(await c.data())).toEqual([2147483645, 2147483646, 2147483647]);
    for (const t of [a, b, c]) t.dispose();
  });
});

describe('a disposed leaf cannot receive a gradient', () => {
  test('backward into a disposed leaf throws before any .grad changes, and leaks nothing', () => {
    const before = memory().tensors;
    const w = randn([3], { requiresGrad: true });
    const x = randn([3], { requiresGrad: true });
    const loss = tidy(() => w.mul(x).sum());
    w.dispose();
    expectCleanThrow(() => loss.backward(), ValueError, /^backward: leaf tensor #\d+ of shape \[3\] was disposed before backward, so it cannot receive a gradient/);
    expect(x.grad).toBeNull(); // nothing accumulated into the live leaf either
    expect(w.grad).toBeNull();
    loss.dispose();
    x.dispose();
    expect(memory().tensors).toBe(before);
  });

  test('assigning .grad to a disposed tensor throws', () => {
    const w = randn([2], { requiresGrad: true });
    w.dispose();
    const g = zeros([2]);
    expect(() => {
      w.grad = g;
    }).toThrow(/grad: tensor #\d+ of shape \[2\] was disposed and cannot hold a gradient/);
    g.dispose();
  });
});

describe('impossible sizes are a BackendError on backend-cpu (no raw RangeError)', () => {
  test('zeros([1e6, 1e6]), arange(0, 1e12), an op whose output cannot be allocated', () => {
    expectCleanThrow(() => zeros([1e6, 1e6]), BackendError, /^cpu: fill could not allocate its result in host memory/);
    expectCleanThrow(() => arange(0, 1e12), BackendError, /^arange: cannot hold 1000000000000 int32 elements in host memory/);
    const x = zeros([1e6, 1]);
    expectCleanThrow(() => x.expand([1e6, 1e6]), BackendError, /^cpu: expand could not allocate/, [x]);
    x.dispose();
  });
});

describe('0-d tensors as PyTorch', () => {
  test('transpose(0, -1) returns the tensor; select, slice and narrow raise IndexError', async () => {
    const s = tensor(5);
    const t = s.transpose(0, -1);
    expect(t.shape).toEqual([]);
    expect(await t.item()).toBe(5);
    t.dispose();
    expectCleanThrow(() => s.transpose(0, 1), IndexError, /transpose: dim 1 is out of range for a tensor of rank 0/);
    expectCleanThrow(() => s.select(0, 0), IndexError, /^select: cannot be applied to a 0-dim tensor/, [s]);
    expectCleanThrow(() => s.slice(0, 0, 1), IndexError, /^slice: cannot be applied to a 0-dim tensor/);
    expectCleanThrow(() => s.narrow(0, 0, 1), IndexError, /^narrow: cannot be applied to a 0-dim tensor/);
    // gather on a 0-d input sees one element along dim 0, as PyTorch
    const g = tidy(() => s.gather(0, tensor(0, { dtype: 'int32' })));
    expect(await g.item()).toBe(5);
    g.dispose();
    expectCleanThrow(() => tidy(() => s.gather(0, tensor(1, { dtype: 'int32' }))), IndexError, /gather: index 1 is out of bounds for dim 0 with size 1/);
    s.dispose();
  });
});

describe('BatchNorm1d with momentum null (a cumulative average)', () => {
  test('running stats are the plain mean of the batches seen, without reading the counter back', async () => {
    const bn = new nn.BatchNorm1d(2, { momentum: null });
    const batches = [tensor([[1, 2], [3, 6]]), tensor([[5, 0], [7, 2]]), tensor([[0, 1], [2, 1]])];
    // batch means [2, 4], [6, 1], [1, 1]; unbiased variances [2, 8], [2, 2], [2, 0]
    for (const b of batches) tidy(() => bn.forward(b));
    const mean = await bn.runningMean!.data();
    const variance = await bn.runningVar!.data();
    // cumulative: after k batches, running = average of (initial, batch stats) weighted 1/k each step
    // = mean of the batch stats (the initial value's weight goes to 0 after the first batch)
    expect(Array.from(mean).map((v) => +v.toFixed(5))).toEqual([3, 2]);
    expect(Array.from(variance).map((v) => +v.toFixed(5))).toEqual([2, 3.33333]);
    expect(await bn.numBatchesTracked!.item()).toBe(3);
    for (const t of [...batches, ...bn.parameters(), ...bn.buffers()]) t.dispose();
  });
});
