import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { DTypeError, ShapeError, ValueError, enableGrad, isGradEnabled, memory, noGrad, tensor, tidy } from '@logit/core';

const f64 = (v: number[], requiresGrad = true) => tensor(Float64Array.from(v), { requiresGrad });

describe('gradient accumulation and graph shapes', () => {
  test('.grad accumulates across two backward() calls', async (ctx) => {
    needs(ctx, 'float64');
    const x = f64([1, 2, 3]);
    x.mul(x).sum().backward();
    expect(await x.grad!.tolist()).toEqual([2, 4, 6]);
    x.mul(3).sum().backward();
    expect(await x.grad!.tolist()).toEqual([5, 7, 9]);
  });

  test('a leaf used twice in one op gets both contributions', async (ctx) => {
    needs(ctx, 'float64');
    const x = f64([1, 2]);
    x.add(x).sum().backward();
    expect(await x.grad!.tolist()).toEqual([2, 2]);
  });

  test('diamond: a reused non-leaf node gets its full gradient, and its rule runs once', async (ctx) => {
    needs(ctx, 'float64');
    // y = exp(x) feeds two branches; without retainGraph a second run of exp's rule would throw
    const x = f64([0, 1]);
    const y = x.exp();
    const z = y.mul(2).add(y.mul(3)).add(y.square());
    z.sum().backward();
    const g = await x.grad!.data();
    [0, 1].forEach((v, i) => expect(Math.abs(g[i] - (5 * Math.exp(v) + 2 * Math.exp(2 * v)))).toBeLessThan(1e-12));
    expect(y.grad).toBeNull(); // non-leaf tensors do not keep .grad, as in PyTorch
    expect(y.isLeaf).toBe(false);
    expect(x.isLeaf).toBe(true);
  });

  test('a chain of 100,000 ops backpropagates without overflowing the stack', async (ctx) => {
    needs(ctx, 'float64');
    const x = f64([1]);
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.add(1e-5);
    y.sum().backward();
    expect(await x.grad!.tolist()).toEqual([1]);
    expect(Math.abs(((await y.tolist()) as number[])[0] - 2)).toBeLessThan(1e-9);
  }, 30_000);

  test('a second backward without retainGraph throws; with retainGraph it works', async (ctx) => {
    needs(ctx, 'float64');
    const x = f64([2]);
    const y = x.mul(x).sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(await x.grad!.tolist()).toEqual([8]);
    expect(() => y.backward()).toThrow(/backward through the graph a second time.*retainGraph/);
    expect(await x.grad!.tolist()).toEqual([8]); // unchanged by the failed call
  });

  test('backward on a tensor that does not require grad throws', (ctx) => {
    needs(ctx, 'float64');
    expect(() => f64([1], false).sum().backward()).toThrow(ValueError);
  });

  test('backward of a leaf gives its own .grad', async (ctx) => {
    needs(ctx, 'float64');
    const x = f64([3]);
    x.backward();
    expect(await x.grad!.tolist()).toEqual([1]);
  });
});

describe('noGrad, enableGrad, detach, requiresGrad_', () => {
  test('noGrad records nothing and restores the mode, sync and async', async (ctx) => {
    needs(ctx, 'float64');
    const x = f64([1, 2]);
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(isGradEnabled()).toBe(true);
    const z = await noGrad(async () => {
      await Promise.resolve();
      return x.mul(3);
    });
    expect(z.requiresGrad).toBe(false);
    expect(isGradEnabled()).toBe(true);
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
    const w = noGrad(() => enableGrad(() => x.mul(4)));
    expect(w.requiresGrad).toBe(true);
  });

  test('detach cuts the graph and shares the data', async (ctx) => {
    needs(ctx, 'float64');
    const x = f64([1, 2]);
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    expect(await d.tolist()).toEqual([1, 2]);
    x.detach().mul(x).sum().backward();
    expect(await x.grad!.tolist()).toEqual([1, 2]); // only the non-detached path
  });

  test('requiresGrad_ on int32 or bool throws DTypeError; tensor({requiresGrad}) too', () => {
    expect(() => tensor([1], { dtype: 'int32' }).requiresGrad_()).toThrow(DTypeError);
    expect(() => tensor([true]).requiresGrad_(true)).toThrow(/only floating-point tensors can require gradients, got dtype bool/);
    expect(() => tensor([1], { dtype: 'int32', requiresGrad: true })).toThrow(DTypeError);
    expect(() => { tensor([1], { dtype: 'int32' }).requiresGrad = true; }).toThrow(DTypeError);
  });

  test('requiresGrad_(false) on a non-leaf throws; on a leaf it stops recording', (ctx) => {
    needs(ctx, 'float64');
    const x = f64([1]);
    expect(() => x.mul(2).requiresGrad_(false)).toThrow(/non-leaf/);
    x.requiresGrad_(false);
    expect(x.mul(2).requiresGrad).toBe(false);
  });

  test('ops on int32 inputs are not recorded', (ctx) => {
    needs(ctx, 'float64');
    const x = f64([1, 2]);
    const idx = tensor([1, 0], { dtype: 'int32' });
    expect(idx.add(1).requiresGrad).toBe(false);
    expect(x.argmax().requiresGrad).toBe(false);
    expect(x.gt(0).requiresGrad).toBe(false);
  });
});

describe('backward(gradient) and the .grad property', () => {
  test('non-scalar outputs take an explicit gradient', async (ctx) => {
    needs(ctx, 'float64');
    const x = f64([1, 2, 3]);
    x.mul(x).backward(tensor(Float64Array.from([1, 0.5, -1])));
    expect(await x.grad!.tolist()).toEqual([2, 2, -6]);
  });

  test('a float32 gradient for a float64 output is cast, and memory is released', async (ctx) => {
    needs(ctx, 'float64');
    const x = f64([1, 2]);
    const y = x.mul(2);
    const g = tensor([1, 1]);
    const before = memory();
    y.backward(g);
    expect(x.grad!.dtype).toBe('float64');
    expect(await x.grad!.tolist()).toEqual([2, 2]);
    // what is left is exactly x.grad (2 float64s); the graph's saved tensors are gone
    expect(memory().tensors).toBe(before.tensors + 1);
  });

  test('omitting the gradient for a non-scalar output is a ShapeError naming the shape', (ctx) => {
    needs(ctx, 'float64');
    const y = f64([1, 2]).mul(2);
    expect(() => y.backward()).toThrow(ShapeError);
    expect(() => y.backward()).toThrow(/backward: grad can be implicitly created only for scalar outputs; got shape \[2\]/);
    expect(() => y.backward(tensor([1, 2, 3]))).toThrow(/backward: gradient has shape \[3\], expected the output's shape \[2\]/);
  });

  test('a one-element non-scalar output needs no gradient', async (ctx) => {
    needs(ctx, 'float64');
    const x = f64([3]);
    x.mul(x).backward();
    expect(await x.grad!.tolist()).toEqual([6]);
  });

  test('.grad is settable with shape and dtype checked, and null clears it', async (ctx) => {
    needs(ctx, 'float64');
    const x = f64([1, 2]);
    x.grad = tensor(Float64Array.from([5, 6]));
    x.mul(2).sum().backward();
    expect(await x.grad!.tolist()).toEqual([7, 8]);
    expect(() => { x.grad = tensor(Float64Array.from([1, 2, 3])); }).toThrow(/grad: assigned grad has shape \[3\], expected \[2\]/);
    expect(() => { x.grad = tensor([1, 2]); }).toThrow(DTypeError);
    expect(await x.grad!.tolist()).toEqual([7, 8]);
    x.grad = null;
    expect(x.grad).toBeNull();
    x.sum().backward();
    expect(await x.grad!.tolist()).toEqual([1, 1]);
  });

  test('a grad assigned inside tidy survives the scope', async (ctx) => {
    needs(ctx, 'float64');
    const x = f64([1]);
    tidy(() => { x.grad = tensor(Float64Array.from([4])); });
    expect(await x.grad!.tolist()).toEqual([4]);
  });
});

describe('in-place ops', () => {
  test('on a leaf that requires grad: throw outside noGrad, work inside', async (ctx) => {
    needs(ctx, 'float64');
    const p = f64([1, 2]);
    expect(() => p.sub_(1)).toThrow(/sub_: a tensor that requires grad cannot be modified in place/);
    expect(() => p.add_(1)).toThrow(ValueError);
    expect(() => p.zero_()).toThrow(ValueError);
    expect(await p.tolist()).toEqual([1, 2]);
    noGrad(() => p.sub_(tensor(Float64Array.from([0.5, 0.5]))).mul_(2));
    expect(await p.tolist()).toEqual([1, 3]);
    expect(p.requiresGrad).toBe(true);
    expect(p.dtype).toBe('float64');
  });

  test('a graph that saved the old value still backpropagates correctly after an in-place update', async (ctx) => {
    needs(ctx, 'float64');
    const p = f64([3]);
    const y = p.mul(p);
    noGrad(() => p.fill_(100));
    y.backward();
    expect(await p.grad!.tolist()).toEqual([6]);
  });

  test('in-place ops keep the dtype and check the shape', async () => {
    const t = tensor([1, 2], { dtype: 'int32' });
    t.add_(1.7);
    expect(t.dtype).toBe('int32');
    expect(await t.tolist()).toEqual([2, 3]);
    expect(() => t.add_(tensor([[1, 2], [3, 4]], { dtype: 'int32' }))).toThrow(/add_: result of shape \[2, 2\] cannot be written into a tensor of shape \[2\]/);
    const c = tensor([0, 0, 0]);
    c.copy_(tensor([7]));
    expect(await c.tolist()).toEqual([7, 7, 7]);
  });
});
