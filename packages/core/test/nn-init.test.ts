import { describe, expect, test } from 'vitest';
import { DTypeError, ValueError, manualSeed, nn, tensor, zeros, type Tensor } from '@logit/core';

const { init } = nn;

function stats(t: Tensor): { min: number; max: number; mean: number; variance: number } {
  const d = Array.from(t.dataSync());
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const variance = d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length;
  return { min: Math.min(...d), max: Math.max(...d), mean, variance };
}

describe('nn.init', () => {
  test("Linear draws weight and bias from U(-1/sqrt(in), 1/sqrt(in)), PyTorch's default", () => {
    manualSeed(0);
    const fc = new nn.Linear(64, 400);
    const bound = 1 / 8;
    const w = stats(fc.weight);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.max).toBeLessThanOrEqual(bound);
    // 25600 draws: the extremes come within 0.1% of the bounds, the moments match U(-b, b)
    expect(w.min).toBeLessThan(-bound * 0.999);
    expect(w.max).toBeGreaterThan(bound * 0.999);
    expect(Math.abs(w.mean)).toBeLessThan(0.003);
    // within 5%: about 9 standard errors of a variance estimated from 25600 uniform draws (seeded, so fixed)
    expect(w.variance / (bound ** 2 / 3)).toBeCloseTo(1, 1);
    const b = stats(fc.bias!);
    expect(b.min).toBeGreaterThanOrEqual(-bound);
    expect(b.max).toBeLessThanOrEqual(bound);
    expect(b.max - b.min).toBeGreaterThan(bound); // 400 draws spread over the interval
    expect(fc.weight.requiresGrad && fc.weight.isLeaf).toBe(true);
  });

  test('Conv2d draws from U(-1/sqrt(fanIn), 1/sqrt(fanIn)) with fanIn = C / groups * kH * kW', () => {
    manualSeed(1);
    const conv = new nn.Conv2d(8, 64, [3, 2], { groups: 2 });
    const bound = 1 / Math.sqrt(4 * 3 * 2);
    const w = stats(conv.weight);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.max).toBeLessThanOrEqual(bound);
    expect(w.max).toBeGreaterThan(bound * 0.99);
    const b = stats(conv.bias!);
    expect(b.max).toBeLessThanOrEqual(bound);
    expect(b.min).toBeGreaterThanOrEqual(-bound);
  });

  test('the same seed gives the same initial weights; a new draw differs', () => {
    manualSeed(42);
    const a = Array.from(new nn.Linear(5, 3).weight.dataSync());
    const a2 = Array.from(new nn.Linear(5, 3).weight.dataSync());
    manualSeed(42);
    const b = Array.from(new nn.Linear(5, 3).weight.dataSync());
    expect(b).toEqual(a);
    expect(a2).not.toEqual(a);
  });

  test('calculateGain matches torch.nn.init.calculate_gain', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('conv2d')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(init.calculateGain('relu')).toBeCloseTo(1.4142135623730951, 15);
    expect(init.calculateGain('leaky_relu')).toBeCloseTo(1.4141428569978354, 15);
    expect(init.calculateGain('leaky_relu', 0.2)).toBeCloseTo(1.3867504905630728, 15);
    expect(init.calculateGain('leakyRelu', Math.sqrt(5))).toBeCloseTo(0.5773502691896258, 15);
    expect(init.calculateGain('selu')).toBe(0.75);
    expect(() => init.calculateGain('softplus' as never)).toThrow(ValueError);
  });

  test('fan in / fan out as PyTorch computes them', () => {
    expect(init.calculateFanInAndFanOut(zeros([16, 3, 5, 4]))).toEqual({ fanIn: 60, fanOut: 320 });
    expect(init.calculateFanInAndFanOut(zeros([7, 9]))).toEqual({ fanIn: 9, fanOut: 7 });
    expect(() => init.calculateFanInAndFanOut(zeros([7]))).toThrow(/fewer than 2 dimensions/);
  });

  test('uniform_, normal_, xavier and kaiming have the documented moments', () => {
    manualSeed(3);
    const t = zeros([300, 200]);
    // 60000 seeded draws each: the moment checks below allow 5%, many standard errors wide
    const u = stats(init.uniform_(t, -2, 3));
    expect(u.min).toBeGreaterThanOrEqual(-2);
    expect(u.max).toBeLessThan(3);
    expect(u.mean).toBeCloseTo(0.5, 1);
    expect(u.variance / (25 / 12)).toBeCloseTo(1, 1);
    const n = stats(init.normal_(t, 1, 0.5));
    expect(n.mean).toBeCloseTo(1, 2);
    expect(Math.sqrt(n.variance) / 0.5).toBeCloseTo(1, 1);
    // fan_in 200, fan_out 300
    const xu = stats(init.xavierUniform_(t, 2));
    const a = 2 * Math.sqrt(6 / 500);
    expect(xu.max).toBeLessThanOrEqual(a);
    expect(xu.min).toBeGreaterThanOrEqual(-a);
    expect(xu.max).toBeGreaterThan(a * 0.999);
    const xn = stats(init.xavierNormal_(t));
    expect(Math.sqrt(xn.variance) / Math.sqrt(2 / 500)).toBeCloseTo(1, 1);
    const ku = stats(init.kaimingUniform_(t, { nonlinearity: 'relu' }));
    const kb = Math.sqrt(2) * Math.sqrt(3 / 200);
    expect(ku.max).toBeLessThanOrEqual(kb);
    expect(ku.max).toBeGreaterThan(kb * 0.999);
    const kn = stats(init.kaimingNormal_(t, { mode: 'fan_out', nonlinearity: 'relu' }));
    expect(Math.sqrt(kn.variance) / (Math.sqrt(2) / Math.sqrt(300))).toBeCloseTo(1, 1);
    t.dispose();
  });

  test('the fills work in place on a parameter: same tensor, still a leaf that requires grad', () => {
    const fc = new nn.Linear(3, 2);
    const w = fc.weight;
    expect(init.ones_(w)).toBe(w);
    expect(Array.from(fc.weight.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    init.constant_(w, 0.5);
    init.zeros_(fc.bias!);
    expect(Array.from(w.dataSync())).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(fc.bias!.dataSync())).toEqual([0, 0]);
    init.normal_(w);
    expect(w.isLeaf && w.requiresGrad && w.gradFn === null).toBe(true);
    expect(fc.parameters()[0]).toBe(w);
  });

  test('bad calls throw', () => {
    expect(() => init.uniform_(tensor([1, 2], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => init.uniform_(zeros([2]), 1, 0)).toThrow(/expected a <= b/);
    expect(() => init.normal_(zeros([2]), 0, -1)).toThrow(/std must be non-negative/);
    expect(() => init.kaimingUniform_(zeros([3, 3]), { mode: 'fan_avg' as never })).toThrow(/fan_in, fan_out/);
    expect(() => init.xavierUniform_(zeros([3]))).toThrow(ValueError);
  });
});
