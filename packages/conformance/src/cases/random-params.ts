import { cat, manualSeed, nn, ones, randint, tidy, zeros, type DType, type RandomSpec } from '@logit/core';
import type { AnalyticValues, Case } from '../types.js';
import { defineCase } from './define.js';

// Every parameter of every random kind, not only the defaults: the draws are compared with the
// float64 reference value by value (Philox makes them deterministic), and their moments with the
// distribution's own (the analytic oracle), which holds the reference itself to the law. Bounds
// are 6 standard errors of n draws; the seeds are fixed, so a pass is repeatable.

const N = 65536;

interface Moments {
  mean: number;
  variance: number;
  min: number;
  max: number;
  /** Share of draws within one standard deviation of the mean (0.6827 for a normal). */
  within1: number;
}

function moments(x: ArrayLike<number>): Moments {
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    s += x[i];
    min = Math.min(min, x[i]);
    max = Math.max(max, x[i]);
  }
  const mean = s / x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - mean) ** 2;
  const variance = v / x.length;
  let w = 0;
  for (let i = 0; i < x.length; i++) if (Math.abs(x[i] - mean) <= Math.sqrt(variance)) w++;
  return { mean, variance, min, max, within1: w / x.length };
}

const se = (p: number, n = N): number => 6 * Math.sqrt((p * (1 - p)) / n);

/** The law of each kind at its parameters, as the statistics `moments` gives. */
export function law(kind: RandomSpec['kind'], [a, b]: readonly [number, number], n = N): AnalyticValues & { of: (x: ArrayLike<number>) => number[] } {
  if (kind === 'uniform') {
    const w = b - a;
    return {
      source: `U(${a}, ${b}): mean ${(a + b) / 2}, variance ${w * w / 12}, min -> ${a}, max -> ${b}`,
      values: [(a + b) / 2, (w * w) / 12, a, b],
      within: [(6 * w) / Math.sqrt(12 * n), (6 * 0.0745 * w * w) / Math.sqrt(n), (20 * w) / n, (20 * w) / n],
      of: (x) => { const m = moments(x); return [m.mean, m.variance, m.min, m.max]; },
    };
  }
  if (kind === 'normal') {
    return {
      source: `N(${a}, ${b}^2): mean ${a}, variance ${b * b}, P(|x - mean| <= std) = 0.6827`,
      values: [a, b * b, 0.6827],
      within: [(6 * b) / Math.sqrt(n), 6 * b * b * Math.sqrt(2 / n), se(0.6827, n)],
      of: (x) => { const m = moments(x); return [m.mean, m.variance, m.within1]; },
    };
  }
  return {
    source: `Bernoulli(${a}): mean ${a}, values 0 and 1 only`,
    values: [a, 0, 1],
    within: [se(a, n), 0, 0],
    of: (x) => { const m = moments(x); return [m.mean, a === 1 ? 0 : m.min, a === 0 ? 1 : m.max]; },
  };
}

function drawCase(spec: RandomSpec, dtypes: readonly DType[]): Case {
  const l = law(spec.kind, spec.params);
  return defineCase('random', {
    name: `random ${spec.kind}(${spec.params.join(', ')}) moments of ${N} draws`, op: `random.${spec.kind}`, grad: false, dtypes, inputs: [],
    kernel: (be, _xs, { dtype }) => ({ storage: be.ops.random(spec, N, dtype), shape: [N], dtype }),
    analytic: () => l,
  });
}

const KEY: readonly [number, number] = [0x2545f491, 0x4f6cdd1d];

export const randomParamCasesAll: Case[] = [
  drawCase({ kind: 'uniform', key: KEY, offset: 11, params: [-3, 7] }, ['float32', 'float64']),
  drawCase({ kind: 'uniform', key: KEY, offset: 2 ** 32 - 3, params: [0.25, 0.5] }, ['float32', 'float64']),
  drawCase({ kind: 'uniform', key: KEY, offset: 5, params: [-1000, -990] }, ['float32', 'float64']),
  drawCase({ kind: 'normal', key: KEY, offset: 0, params: [0.5, 2] }, ['float32', 'float64']),
  drawCase({ kind: 'normal', key: KEY, offset: 77, params: [-3, 0.1] }, ['float32', 'float64']),
  drawCase({ kind: 'bernoulli', key: KEY, offset: 3, params: [0.1, 0] }, ['float32', 'float64', 'int32', 'bool']),
  drawCase({ kind: 'bernoulli', key: KEY, offset: 9, params: [0.93, 0] }, ['float32', 'float64', 'int32', 'bool']),
  // through the Tensor API: randint's range, dropout's p, init's a/b and mean/std
  defineCase('random', {
    name: `randint(-4, 9) moments of ${N} draws`, op: 'randint', grad: false, dtypes: ['int32'], inputs: [],
    run: () => (manualSeed(31), randint(-4, 9, [N])),
    analytic: () => {
      const u = law('uniform', [-4, 9]);
      // 13 equally likely integers: variance (13^2 - 1) / 12 = 14
      return { source: 'integers uniform in [-4, 9): mean 2, variance 14, min -4, max 8', values: [2, 14, -4, 8], within: [u.within[0], 0.3, 0, 0], of: u.of };
    },
  }),
  ...[0.2, 0.7].map((p) =>
    defineCase('random', {
      name: `dropout p ${p}: share of zeros and mean of ${N}`, op: 'nn.functional.dropout', grad: false, inputs: [],
      run: (_x, { dtype }) => tidy(() => (manualSeed(5), nn.functional.dropout(ones([N], { dtype }), p, true))),
      analytic: () => ({
        source: `dropout(p = ${p}) of ones: a share p of zeros, the rest 1 / (1 - p), mean 1`,
        values: [p, 1], within: [se(p), (6 * Math.sqrt(p / (1 - p))) / Math.sqrt(N)],
        of: (x: ArrayLike<number>) => {
          let zeros = 0;
          let sum = 0;
          for (let i = 0; i < x.length; i++) {
            if (x[i] === 0) zeros++;
            sum += x[i];
          }
          return [zeros / x.length, sum / x.length];
        },
      }),
    })),
  defineCase('random', {
    name: `nn.init.uniform_(-2, 6) and normal_(1, 3) moments of ${N}`, op: 'nn.init', grad: false, inputs: [],
    // normal_ is randn * std + mean in the dtype: float32 Box-Muller's last bits, scaled by 3
    tol: { float32: { rtol: 1e-4, atol: 1e-5 } },
    run: (_x, { dtype }) => tidy(() => {
      manualSeed(8);
      return cat([nn.init.uniform_(zeros([N], { dtype }), -2, 6), nn.init.normal_(zeros([N], { dtype }), 1, 3)]);
    }),
    analytic: () => {
      const u = law('uniform', [-2, 6]);
      const g = law('normal', [1, 3]);
      return {
        source: `${u.source}; ${g.source}`, values: [...u.values, ...g.values], within: [...u.within, ...g.within],
        of: (x: ArrayLike<number>) => [...u.of(Array.from(x).slice(0, N)), ...g.of(Array.from(x).slice(N))],
      };
    },
  }),
];
