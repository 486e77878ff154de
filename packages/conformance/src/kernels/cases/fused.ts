import type { AdamStepSpec, CrossEntropySpec, DType, SgdStepSpec, Shape } from '@logit/core';
import { randomData, rng, uniformData } from '../data.js';
import type { KernelCase } from '../types.js';
import { FLOAT_DTYPES, call, fmtShape, int32, kernelCase } from './define.js';

// The fused kernels a backend declares, called directly (a backend without one is 'unsupported'
// here; the conformance catalogue checks core's composition in its place).

const SOFTMAX_SHAPES: readonly [Shape, number][] = [[[5], 0], [[3, 4], 1], [[3, 4], 0], [[2, 3, 4], 1], [[64, 10], 1], [[0, 3], 1], [[2, 0], 1], [[1, 1000], 1]];
/** Rows holding nan, +inf or only -inf are nan everywhere; -inf entries of a finite row are 0 (or -inf in log space). */
const EDGE_ROWS = [[1, NaN, 2], [1, Infinity, 2], [-Infinity, -Infinity, -Infinity], [-Infinity, 0, 1], [1e30, -1e30, 0], [88, 89, 90], [1000, 999, -1000]];

function softmaxCase(name: 'logSoftmax' | 'softmax'): KernelCase {
  return kernelCase(`fused.${name}`, `fused ${name}, every axis and edge rows`, FLOAT_DTYPES, (dtype) => [
    ...SOFTMAX_SHAPES.map(([shape, axis], n) => {
      const x = Array.from(randomData(dtype, shape.reduce((a, b) => a * b, 1), n + 100), (v) => v * 7);
      return call(`${fmtShape(shape)} axis ${axis}`, [x], (be, [s], d) => be.fused![name]!(s, shape, axis, d));
    }),
    call('edge rows', [EDGE_ROWS.flat()], (be, [s], d) => be.fused![name]!(s, [EDGE_ROWS.length, 3], 1, d)),
  ], {
    // x - max - log(sum) cancels: a float32 kernel is a few ulps of max |x| (here up to 21) off in absolute terms
    tol: { float32: { rtol: 4e-6, atol: 1e-5 } },
  });
}

function crossEntropyCalls(dtype: DType) {
  const calls = [];
  for (const [batch, classes, inner] of [[4, 5, 1], [1, 3, 1], [3, 4, 6], [64, 10, 1], [0, 3, 1]]) {
    for (const reduction of ['none', 'mean', 'sum'] as const) {
      for (const labelSmoothing of [0, 0.1]) {
        for (const weighted of [false, true]) {
          const r = rng(batch * 100 + classes + (weighted ? 7 : 0));
          const x = randomData(dtype, batch * classes * inner, classes + inner, true);
          const target = Int32Array.from({ length: batch * inner }, () => (r() < 0.2 ? -100 : Math.floor(r() * classes)));
          const weight = weighted ? Array.from({ length: classes }, () => r() * 2) : null;
          const spec: CrossEntropySpec = { batch, classes, inner, ignoreIndex: -100, labelSmoothing, reduction };
          calls.push(call(`${JSON.stringify(spec)} weighted ${weighted}`, weight ? [x, int32(target), weight] : [x, int32(target)], (be, [l, t, w], d) => {
            const out = be.fused!.crossEntropy!(l, t, w ?? null, spec, d);
            return [out.loss, out.logProbs, out.weightSum];
          }));
        }
      }
    }
  }
  // every entry ignored: mean is nan (0 / 0), sum is 0
  for (const reduction of ['mean', 'sum'] as const) {
    const spec: CrossEntropySpec = { batch: 2, classes: 3, inner: 1, ignoreIndex: 1, labelSmoothing: 0, reduction };
    calls.push(call(`every entry ignored, ${reduction}`, [[1, 2, 3, 4, 5, 6], int32([1, 1])], (be, [l, t], d) => {
      const out = be.fused!.crossEntropy!(l, t, null, spec, d);
      return [out.loss, out.logProbs, out.weightSum];
    }));
  }
  return calls;
}

const SGD_SPECS: readonly SgdStepSpec[] = [
  { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false },
  { lr: 0.05, momentum: 0.9, dampening: 0.3, nesterov: false, weightDecay: 0.01, maximize: false },
  { lr: 0.1, momentum: 0.8, dampening: 0, nesterov: true, weightDecay: 0.05, maximize: true },
];

function sgdCalls(dtype: DType) {
  const n = 301; // not a multiple of 4 or of a workgroup: vector tails run
  const param = uniformData(dtype, n, 1, -3, 3);
  const grad = uniformData(dtype, n, 2, -2, 2);
  grad[7] = NaN;
  const buf = uniformData(dtype, n, 3, -1, 1);
  return SGD_SPECS.flatMap((spec) => [
    call(`${JSON.stringify(spec)}, first step`, [param, grad], (be, [p, g], d) => {
      const r = be.fused!.sgdStep!(p, g, null, n, spec, d);
      return [r.param, r.momentumBuffer];
    }),
    ...(spec.momentum === 0 ? [] : [call(`${JSON.stringify(spec)}, with a momentum buffer`, [param, grad, buf], (be, [p, g, b], d) => {
      const r = be.fused!.sgdStep!(p, g, b, n, spec, d);
      return [r.param, r.momentumBuffer];
    })]),
  ]);
}

const ADAM_SPECS: readonly AdamStepSpec[] = [
  { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, amsgrad: false, maximize: false, step: 1 },
  { lr: 0.02, beta1: 0.8, beta2: 0.9, eps: 1e-3, weightDecay: 0.2, decoupled: false, amsgrad: true, maximize: true, step: 3 },
  { lr: 0.05, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.3, decoupled: true, amsgrad: true, maximize: false, step: 7 },
];

function adamCalls(dtype: DType) {
  const n = 301;
  const [param, grad, m, v, vmax] = [1, 2, 3, 4, 5].map((seed, i) => uniformData(dtype, n, seed, i === 3 || i === 4 ? 0 : -2, 2));
  grad[11] = NaN;
  return ADAM_SPECS.flatMap((spec) => [
    call(`${JSON.stringify(spec)}`, [param, grad, m, v], (be, [p, g, em, ev], d) => {
      const r = be.fused!.adamStep!(p, g, { expAvg: em, expAvgSq: ev, maxExpAvgSq: null }, n, spec, d);
      return [r.param, r.expAvg, r.expAvgSq, r.maxExpAvgSq];
    }),
    ...(spec.amsgrad ? [call(`${JSON.stringify(spec)} with a running max`, [param, grad, m, v, vmax], (be, [p, g, em, ev, vm], d) => {
      const r = be.fused!.adamStep!(p, g, { expAvg: em, expAvgSq: ev, maxExpAvgSq: vm }, n, spec, d);
      return [r.param, r.expAvg, r.expAvgSq, r.maxExpAvgSq];
    })] : []),
  ]);
}

export const fusedKernelCases = (): KernelCase[] => [
  softmaxCase('logSoftmax'),
  softmaxCase('softmax'),
  kernelCase('fused.crossEntropy', 'fused crossEntropy, reductions, weights, smoothing, ignored entries, K-dim', FLOAT_DTYPES, crossEntropyCalls),
  // divisions and square roots in float32 are a few ulps off the double ones
  kernelCase('fused.sgdStep', 'fused sgdStep, every option', FLOAT_DTYPES, sgdCalls, { tol: { float32: { rtol: 2e-6, atol: 1e-7 } } }),
  kernelCase('fused.adamStep', 'fused adamStep, every option', FLOAT_DTYPES, adamCalls, { tol: { float32: { rtol: 2e-6, atol: 1e-7 } } }),
];
