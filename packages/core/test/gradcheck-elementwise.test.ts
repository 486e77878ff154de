import { describe, expect, test } from 'vitest';
import { clamp, tensor, where, type Tensor } from '@logit/core';
import { gradcheck, input } from './helpers/gradcheck.js';
import { allNeed } from './helpers/needs.js';

// every gradient here is checked in float64, against central differences
allNeed('float64');

type Unary = (x: Tensor) => Tensor;

// Each op on a domain where it is smooth: positive for log/sqrt, away from kinks at 0 for abs/relu.
const UNARY: [string, Unary, number, number][] = [
  ['neg', (x) => x.neg(), -2, 2],
  ['abs', (x) => x.abs(), -2, 2],
  ['exp', (x) => x.exp(), -2, 2],
  ['log', (x) => x.log(), 0.2, 3],
  ['log1p', (x) => x.log1p(), -0.7, 2],
  ['expm1', (x) => x.expm1(), -2, 2],
  ['sqrt', (x) => x.sqrt(), 0.2, 3],
  ['rsqrt', (x) => x.rsqrt(), 0.2, 3],
  ['reciprocal', (x) => x.reciprocal(), -2, 2],
  ['square', (x) => x.square(), -2, 2],
  ['relu', (x) => x.relu(), -2, 2],
  ['sigmoid', (x) => x.sigmoid(), -3, 3],
  ['tanh', (x) => x.tanh(), -2, 2],
  ['sin', (x) => x.sin(), -3, 3],
  ['cos', (x) => x.cos(), -3, 3],
  ['erf', (x) => x.erf(), -2, 2],
  // piecewise constant: zero gradient (values are never within h of a step)
  ['sign', (x) => x.sign(), -2, 2],
  ['floor', (x) => x.floor(), -2.9, 2.9],
  ['ceil', (x) => x.ceil(), -2.9, 2.9],
  ['round', (x) => x.round(), -2.9, 2.9],
];

describe('gradcheck: unary ops', () => {
  for (const [name, fn, lo, hi] of UNARY) {
    test(name, async () => {
      await gradcheck(fn, [input([2, 3], undefined, lo, hi)]);
      await gradcheck(fn, [input([], [(lo + hi) / 2 + 0.37])]);
    });
  }
});

type Binary = (a: Tensor, b: Tensor) => Tensor;

const BINARY: [string, Binary, [number, number], [number, number]][] = [
  ['add', (a, b) => a.add(b), [-2, 2], [-2, 2]],
  ['sub', (a, b) => a.sub(b), [-2, 2], [-2, 2]],
  ['mul', (a, b) => a.mul(b), [-2, 2], [-2, 2]],
  ['div', (a, b) => a.div(b), [-2, 2], [-2, 2]],
  ['pow', (a, b) => a.pow(b), [0.3, 2], [-2, 2]],
  ['maximum', (a, b) => a.maximum(b), [-2, 2], [-2, 2]],
  ['minimum', (a, b) => a.minimum(b), [-2, 2], [-2, 2]],
];

// Broadcast patterns: same shape, a scalar tensor on either side, outer product, trailing dim.
const PATTERNS: [number[], number[]][] = [
  [[2, 3], [2, 3]],
  [[], [2, 3]],
  [[2, 3], []],
  [[3, 1], [1, 4]],
  [[2, 3, 4], [4]],
  [[4], [2, 3, 1]],
];

describe('gradcheck: binary ops with broadcasting', () => {
  for (const [name, fn, ra, rb] of BINARY) {
    test(name, async () => {
      for (const [sa, sb] of PATTERNS) {
        await gradcheck(fn, [input(sa, undefined, ra[0], ra[1], 3), input(sb, undefined, rb[0], rb[1], 11)]);
      }
    });
  }

  test('number operands', async () => {
    const x = input([2, 3], undefined, 0.3, 2);
    const fns: Unary[] = [
      (t) => t.add(2.5), (t) => t.sub(-1.5), (t) => t.mul(3), (t) => t.div(-2.5), (t) => t.pow(2.5),
      (t) => t.pow(-1), (t) => t.maximum(1), (t) => t.minimum(1), (t) => where(t.gt(1), 4, t),
    ];
    for (const fn of fns) await gradcheck(fn, [x]);
  });
});

describe('gradcheck: where and clamp', () => {
  test('where with broadcasting of condition and both branches', async () => {
    const cond = tensor([[true], [false], [true]]);
    await gradcheck((a, b) => where(cond, a, b), [input([3, 4]), input([4], undefined, -2, 2, 5)]);
    await gradcheck((a, b) => where(cond, a, b), [input([]), input([1, 4], undefined, -2, 2, 5)]);
    await gradcheck((a) => a.where(tensor([true, false, true, false]), 0.5), [input([2, 4])]);
    cond.dispose();
  });

  test('clamp with min only, max only and both (inputs away from the bounds)', async () => {
    const x = input([3, 4], undefined, -2, 2);
    await gradcheck((t) => t.clamp(0.1), [x]);
    await gradcheck((t) => t.clamp(null, -0.1), [x]);
    await gradcheck((t) => clamp(t, -1.1, 1.1), [x]);
    await gradcheck((t) => t.clamp(-1.1, 1.1).mul(t), [x]);
  });
});

describe('gradcheck: clone and dtype conversion', () => {
  test('clone passes the gradient through', async () => {
    await gradcheck((t) => t.clone().mul(t), [input([2, 3])]);
  });

  test('to(float32) and back passes the gradient through exactly, in the input dtype', async () => {
    const x = tensor([1.5, -2, 0.25], { dtype: 'float64', requiresGrad: true });
    const y = x.to('float32');
    expect(y.dtype).toBe('float32');
    y.backward(tensor([0.5, 3, -1]));
    expect(x.grad!.dtype).toBe('float64');
    expect(await x.grad!.tolist()).toEqual([0.5, 3, -1]);
    const z = tensor([1, 2], { requiresGrad: true });
    const w = z.to('float64').mul(tensor([2, -3], { dtype: 'float64' }));
    w.sum().backward();
    expect(z.grad!.dtype).toBe('float32');
    expect(await z.grad!.tolist()).toEqual([2, -3]);
  });
});

describe('broadcast gradients are summed back to each input shape', () => {
  test('exact sums for add and mul over [3,1] x [1,4] and [2,3,4] x [4] x []', async () => {
    const a = tensor(Float64Array.from([1, 2, 3]), { shape: [3, 1], requiresGrad: true });
    const b = tensor(Float64Array.from([10, 20, 30, 40]), { shape: [1, 4], requiresGrad: true });
    a.mul(b).add(a).sum().backward();
    expect(a.grad!.shape).toEqual([3, 1]);
    expect(b.grad!.shape).toEqual([1, 4]);
    expect(await a.grad!.tolist()).toEqual([[104], [104], [104]]); // sum(b) = 100, plus 1 from each of the 4 columns of add(a)
    expect(await b.grad!.tolist()).toEqual([[6, 6, 6, 6]]); // sum(a)
    const x = tensor(new Float64Array(24).fill(1), { shape: [2, 3, 4], requiresGrad: true });
    const v = tensor(Float64Array.from([1, 2, 3, 4]), { requiresGrad: true });
    const s = tensor(2, { dtype: 'float64', requiresGrad: true });
    x.mul(v).mul(s).sum().backward();
    expect(await v.grad!.tolist()).toEqual([12, 12, 12, 12]); // 6 rows of x times s
    expect(s.grad!.shape).toEqual([]);
    expect(await s.grad!.tolist()).toBe(60); // 6 * (1 + 2 + 3 + 4)
    expect(await x.grad!.tolist()).toEqual([[[2, 4, 6, 8], [2, 4, 6, 8], [2, 4, 6, 8]], [[2, 4, 6, 8], [2, 4, 6, 8], [2, 4, 6, 8]]]);
  });

  test('broadcast gradients match the numeric gradient, which sums over the broadcast dims', async () => {
    await gradcheck((p, q) => p.mul(q).sin(), [input([2, 1, 3]), input([4, 1], undefined, -2, 2, 5)]);
    await gradcheck((p, q) => p.sub(q).square(), [input([1]), input([2, 3], undefined, -2, 2, 5)]);
  });
});
