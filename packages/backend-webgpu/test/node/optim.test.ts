import type { AdamStepSpec, Backend, SgdStepSpec, Storage } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { cpu, expectClose, seeded, upload, webgpu } from '../helpers.js';

// The fused optimizer steps against backend-cpu's, which round to float32 exactly where core's
// composed path does. Each step's products and sums are single f32 operations on both sides;
// WGSL allows divisions 2.5 ulp and sqrt a few ulp of error, and Adam's update goes through
// both, so a few ulps of difference are allowed (on SwiftShader the results are bit-identical).
const TOL = { rtol: 2e-6, atol: 1e-7 };
const SIZE = 301; // not a multiple of the workgroup size: the last group's tail is exercised
const STEPS = 5;

/** Parameters and gradients of each step, with a nan gradient (it must propagate) and a zero. */
function problem(seed: number): { param: Float32Array; grads: Float32Array[] } {
  const param = seeded(SIZE, seed, -3, 3);
  const grads = Array.from({ length: STEPS }, (_, s) => seeded(SIZE, seed * 31 + s + 1, -2, 2));
  grads[0][7] = Number.NaN;
  grads[1][11] = 0;
  return { param, grads };
}

const readAll = (be: Backend, xs: (Storage | null)[]): Promise<(Float32Array | null)[]> =>
  Promise.all(xs.map(async (s) => (s ? ((await be.read(s)) as Float32Array) : null)));

/** Runs STEPS SGD steps on one backend; returns [param, momentumBuffer] after each step. */
async function sgdRun(be: Backend, spec: SgdStepSpec, seed: number): Promise<(Float32Array | null)[][]> {
  const { param: p0, grads } = problem(seed);
  const before = be.memory();
  let param = upload(be, p0);
  let buf: Storage | null = null;
  const states: (Float32Array | null)[][] = [];
  for (const g of grads) {
    const grad = upload(be, g);
    const r = be.fused!.sgdStep!(param, grad, buf, SIZE, spec, 'float32');
    // inputs are untouched: the old parameter still holds its values
    if (states.length === 0) expect(await be.read(param)).toEqual(p0);
    for (const s of [param, grad, buf]) if (s) be.free(s);
    param = r.param;
    buf = r.momentumBuffer;
    expect(buf === null, 'a buffer exactly when momentum != 0').toBe(spec.momentum === 0);
    states.push(await readAll(be, [param, buf]));
  }
  be.free(param);
  if (buf) be.free(buf);
  expect(be.memory()).toEqual(before);
  return states;
}

/** Runs STEPS Adam steps (t = 1..STEPS); returns [param, expAvg, expAvgSq, maxExpAvgSq] each step. */
async function adamRun(be: Backend, spec: Omit<AdamStepSpec, 'step'>, seed: number): Promise<(Float32Array | null)[][]> {
  const { param: p0, grads } = problem(seed);
  const before = be.memory();
  let param = upload(be, p0);
  let state = { expAvg: upload(be, new Float32Array(SIZE)), expAvgSq: upload(be, new Float32Array(SIZE)), maxExpAvgSq: null as Storage | null };
  const states: (Float32Array | null)[][] = [];
  for (let t = 1; t <= STEPS; t++) {
    const grad = upload(be, grads[t - 1]);
    const r = be.fused!.adamStep!(param, grad, state, SIZE, { ...spec, step: t }, 'float32');
    if (t === 1) expect(await be.read(param)).toEqual(p0);
    for (const s of [param, grad, state.expAvg, state.expAvgSq, state.maxExpAvgSq]) if (s) be.free(s);
    param = r.param;
    state = { expAvg: r.expAvg, expAvgSq: r.expAvgSq, maxExpAvgSq: r.maxExpAvgSq };
    expect(state.maxExpAvgSq !== null, 'a running max exactly with amsgrad').toBe(spec.amsgrad);
    states.push(await readAll(be, [param, state.expAvg, state.expAvgSq, state.maxExpAvgSq]));
  }
  for (const s of [param, state.expAvg, state.expAvgSq, state.maxExpAvgSq]) if (s) be.free(s);
  expect(be.memory()).toEqual(before);
  return states;
}

function compareRuns(got: (Float32Array | null)[][], want: (Float32Array | null)[][], names: string[]): void {
  want.forEach((step, s) => step.forEach((w, k) => {
    const g = got[s][k];
    if (w === null || g === null) expect(g, `${names[k]} after step ${s + 1}`).toBe(w);
    else expectClose(g, w, TOL, `${names[k]} after step ${s + 1}`);
  }));
}

const SGD_BASE: SgdStepSpec = { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };
const SGD_CASES: [string, Partial<SgdStepSpec>][] = [
  ['plain', {}],
  ['maximize', { maximize: true, lr: 0.03 }],
  ['weightDecay', { weightDecay: 0.01 }],
  ['momentum', { momentum: 0.9 }],
  ['momentum dampening weightDecay', { momentum: 0.9, dampening: 0.3, weightDecay: 0.05 }],
  ['nesterov weightDecay maximize', { momentum: 0.8, nesterov: true, weightDecay: 0.2, maximize: true }],
  ['nesterov dampening', { lr: 0.7, momentum: 0.5, dampening: 0.5, nesterov: true }],
];

describe('fused sgdStep', () => {
  it.each(SGD_CASES)('%s: %s steps match backend-cpu', async (_, opts) => {
    const spec = { ...SGD_BASE, ...opts };
    const want = await sgdRun(cpu, spec, 3);
    const got = await sgdRun(await webgpu(), spec, 3);
    compareRuns(got, want, ['param', 'momentumBuffer']);
    // the nan gradient reached the parameter on both
    expect(Number.isNaN(got[STEPS - 1][0]![7])).toBe(true);
  });
});

const ADAM_BASE = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, amsgrad: false, maximize: false };
const ADAM_CASES: [string, Partial<AdamStepSpec>][] = [
  ['Adam defaults', {}],
  ['Adam amsgrad', { amsgrad: true, lr: 0.1 }],
  ['Adam weightDecay maximize betas eps', { weightDecay: 0.2, maximize: true, beta1: 0.8, beta2: 0.9, eps: 1e-3, lr: 0.02 }],
  ['Adam weightDecay amsgrad', { weightDecay: 0.1, amsgrad: true }],
  ['AdamW', { decoupled: true, weightDecay: 0.01, lr: 0.001 }],
  ['AdamW amsgrad maximize', { decoupled: true, weightDecay: 0.3, amsgrad: true, maximize: true, lr: 0.05 }],
  ['AdamW no decay', { decoupled: true, weightDecay: 0, beta2: 0.5 }],
];

describe('fused adamStep', () => {
  it.each(ADAM_CASES)('%s: steps 1 to 5 (bias correction) match backend-cpu', async (_, opts) => {
    const spec = { ...ADAM_BASE, ...opts };
    const want = await adamRun(cpu, spec, 5);
    const got = await adamRun(await webgpu(), spec, 5);
    compareRuns(got, want, ['param', 'expAvg', 'expAvgSq', 'maxExpAvgSq']);
    expect(Number.isNaN(got[STEPS - 1][0]![7])).toBe(true);
    // an update moved every other parameter (the kernel did run on every element, tail included)
    const p0 = problem(5).param;
    expect(got[0][0]!.every((v, i) => i === 7 || v !== p0[i])).toBe(true);
  });
});
