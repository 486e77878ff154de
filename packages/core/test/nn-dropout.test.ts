import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { ValueError, manualSeed, memory, nn, ones, randn, tidy } from '@logit/core';
import { expectCleanThrow } from './helpers/expect-error.js';

const F = nn.functional;

describe('Dropout', () => {
  test('zeroes about p of the elements and scales the rest by 1 / (1 - p)', () => {
    manualSeed(5);
    const x = ones([200, 500]);
    const y = new nn.Dropout(0.3).forward(x);
    const d = y.dataSync();
    const scale = Math.fround(1 / 0.7);
    const zeros = d.filter((v) => v === 0).length;
    expect(d.filter((v) => v === scale).length).toBe(d.length - zeros);
    // 100000 Bernoulli(0.3) draws: sd of the fraction is 0.0014
    expect(Math.abs(zeros / d.length - 0.3)).toBeLessThan(0.007);
  });

  test('the mask is determined by manualSeed, and a second call draws a new one', () => {
    const drop = new nn.Dropout(0.5);
    const x = randn([64, 32]);
    manualSeed(123);
    const a = Array.from(drop.forward(x).dataSync());
    const b = Array.from(drop.forward(x).dataSync());
    manualSeed(123);
    const a2 = Array.from(drop.forward(x).dataSync());
    expect(a2).toEqual(a);
    expect(b).not.toEqual(a);
  });

  test('the gradient is the same mask times the same scale', () => {
    manualSeed(9);
    const x = randn([40, 30], { requiresGrad: true });
    const y = F.dropout(x, 0.25, true);
    y.sum().backward();
    const g = x.grad!.dataSync();
    const yd = y.dataSync();
    const xd = x.dataSync();
    for (let i = 0; i < g.length; i++) {
      expect(g[i]).toBe(yd[i] === 0 ? 0 : Math.fround(1 / 0.75));
      if (yd[i] !== 0) expect(yd[i]).toBe(Math.fround(xd[i] * Math.fround(1 / 0.75)));
    }
  });

  test('is the identity in eval mode (the input itself), with p = 0, and for training = false', () => {
    const x = randn([4, 4], { requiresGrad: true });
    const drop = new nn.Dropout(0.9);
    drop.eval();
    expect(drop.training).toBe(false);
    expect(drop.forward(x)).toBe(x);
    expect(new nn.Dropout(0).forward(x)).toBe(x);
    expect(F.dropout(x, 0.5, false)).toBe(x);
    drop.train();
    expect(drop.forward(x)).not.toBe(x);
  });

  test('p = 1 gives zeros with a zero gradient; float64 works', (ctx) => {
    needs(ctx, 'float64');
    const x = randn([3, 3], { requiresGrad: true, dtype: 'float64' });
    const y = F.dropout(x, 1);
    expect(y.dtype).toBe('float64');
    // x * 0, as PyTorch computes it (so -0 where x < 0)
    expect(Array.from(y.dataSync()).every((v) => v === 0)).toBe(true);
    y.sum().backward();
    expect(Array.from(x.grad!.dataSync()).every((v) => v === 0)).toBe(true);
    expect(F.dropout(x, 0.5).dtype).toBe('float64');
  });

  test('p outside [0, 1] is rejected', () => {
    for (const p of [-0.1, 1.5, NaN]) {
      expect(() => new nn.Dropout(p)).toThrow(ValueError);
      expect(() => new nn.Dropout(p)).toThrow(/dropout probability has to be between 0 and 1/);
    }
    const x = randn([2]);
    expectCleanThrow(() => F.dropout(x, 2), ValueError, /^dropout: dropout probability has to be between 0 and 1, but got 2$/, [x]);
  });

  test('leaves no tensors behind', () => {
    const x = randn([8, 8], { requiresGrad: true });
    const before = memory();
    tidy(() => new nn.Dropout(0.5).forward(x).sum().backward());
    x.grad = null;
    expect(memory().tensors).toBe(before.tensors);
    expect(memory().storages).toBe(before.storages);
  });
});
