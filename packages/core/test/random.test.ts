import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import {
  fillRandom, getRngState, initialSeed, manualSeed, philox4x32, rand, randint, randn, randLike, setRngState, tensor,
} from '@logit/core';

const hex = (a: Uint32Array) => Array.from(a, (v) => v.toString(16).padStart(8, '0')).join(' ');

function philox(ctr: number[], key: number[]): string {
  const out = new Uint32Array(4);
  philox4x32(key[0], key[1], ctr[0], ctr[1], out, ctr[2], ctr[3]);
  return hex(out);
}

describe('Philox 4x32-10 known-answer vectors (Random123 kat_vectors)', () => {
  test('zero key and counter', () => {
    expect(philox([0, 0, 0, 0], [0, 0])).toBe('6627e8d5 e169c58d bc57ac4c 9b00dbd8');
  });
  test('all ones', () => {
    expect(philox([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff])).toBe('408f276d 41c83b0e a20bc7c6 6d5451fd');
  });
  test('digits of pi', () => {
    expect(philox([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0])).toBe('d16cfe09 94fdcceb 5001e420 24126ea1');
  });
});

describe('the seeded global stream', () => {
  test('manualSeed makes rand/randn/randint reproducible', async () => {
    manualSeed(1234);
    const a = [await rand([7]).data(), await randn([3, 3]).data(), await randint(0, 10, [5]).data()];
    manualSeed(1234);
    const b = [await rand([7]).data(), await randn([3, 3]).data(), await randint(0, 10, [5]).data()];
    expect(b).toEqual(a);
    expect(initialSeed()).toBe(1234);
  });

  test('the stream advances: two calls differ, and each consumes ceil(n / 4) counters', async () => {
    manualSeed(5);
    const a = await rand([6]).data();
    expect(getRngState()).toEqual({ seed: 5, offset: 2 });
    const b = await rand([6]).data();
    expect(getRngState()).toEqual({ seed: 5, offset: 4 });
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  test('getRngState/setRngState resume the stream exactly', async () => {
    manualSeed(9);
    await rand([10]).data();
    const state = getRngState();
    const next = await randn([4]).data();
    setRngState(state);
    expect(await randn([4]).data()).toEqual(next);
  });

  test('backend values are the reference fillRandom for the key and offset the generator hands out', async (ctx) => {
    needs(ctx, 'float64');
    const seed = 2 ** 32 + 17; // spans both key words
    manualSeed(seed);
    rand([5]); // offset 2
    const got = await rand([9], { dtype: 'float64' }).data();
    const ref = new Float64Array(9);
    fillRandom({ kind: 'uniform', key: [17, 1], offset: 2, params: [0, 1] }, 9, ref);
    expect(got).toEqual(ref);
    // uniform bits: the top 24 bits of each 32-bit word
    const out = new Uint32Array(4);
    philox4x32(17, 1, 2, 0, out);
    expect(got[0]).toBe((out[0] >>> 8) / 2 ** 24);
  });
});

describe('distributions', () => {
  const N = 100_000;

  test('rand is in [0, 1) with mean 1/2 and variance 1/12', async () => {
    manualSeed(0);
    const u = await rand([N]).data();
    let min = Infinity;
    let max = -Infinity;
    let s = 0;
    let s2 = 0;
    for (const v of u) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      s += v;
      s2 += v * v;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // standard errors: 0.29/sqrt(N) = 9e-4 for the mean; bounds are > 10 sigma
    expect(Math.abs(s / N - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(s2 / N - (s / N) ** 2 - 1 / 12)).toBeLessThan(0.005);
  });

  test('randn has mean 0, std 1, and the normal tail mass', async (ctx) => {
    needs(ctx, 'float64');
    manualSeed(0);
    const z = await randn([N], { dtype: 'float64' }).data();
    let s = 0;
    let s2 = 0;
    let beyond2 = 0;
    for (const v of z) {
      expect(Number.isFinite(v)).toBe(true);
      s += v;
      s2 += v * v;
      if (Math.abs(v) > 2) beyond2++;
    }
    const mean = s / N;
    const std = Math.sqrt(s2 / N - mean * mean);
    // standard errors: 1/sqrt(N) = 3.2e-3 (mean), 1/sqrt(2N) = 2.2e-3 (std); bounds are > 6 sigma
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(std - 1)).toBeLessThan(0.015);
    // P(|Z| > 2) = 0.0455; binomial standard error 6.6e-4
    expect(Math.abs(beyond2 / N - 0.0455)).toBeLessThan(0.005);
  });

  test('randint covers exactly [low, high)', async () => {
    manualSeed(3);
    const r = randint(-3, 4, [20_000]);
    expect(r.dtype).toBe('int32');
    const v = await r.data();
    const counts = new Map<number, number>();
    for (const x of v) counts.set(x, (counts.get(x) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    // each value about 20000/7 = 2857 times (standard error ~50)
    for (const c of counts.values()) expect(Math.abs(c - 20_000 / 7)).toBeLessThan(400);
    const f = randint(0, 2, [4], { dtype: 'float32' });
    expect(f.dtype).toBe('float32');
  });

  test('shapes, dtypes, empty tensors and *Like', async (ctx) => {
    needs(ctx, 'float64');
    manualSeed(1);
    expect(rand([2, 3]).shape).toEqual([2, 3]);
    expect(rand([]).shape).toEqual([]);
    expect(await rand([0]).tolist()).toEqual([]);
    expect(randn([2], { dtype: 'float64' }).dtype).toBe('float64');
    const like = randLike(tensor([[1, 2]], { dtype: 'int32' }));
    expect(like.shape).toEqual([1, 2]);
    expect(like.dtype).toBe('float32');
    expect(rand([2], { requiresGrad: true }).requiresGrad).toBe(true);
  });
});
