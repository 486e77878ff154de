import { afterAll, describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { optim, setFusedKernelsEnabled, tidy, Tensor, ValueError } from '@logit/core';
import {
  disposeStateDict, expectClose, expectStateDict, loadOptim2, makeParams, setGrads, type Trajectory,
} from './helpers/optim-golden.js';

// Trajectories from tools/goldens/optim2.py (PyTorch 2.x): Adagrad and Adadelta with each option,
// and the first round's optimizers (SGD, Adam, AdamW, RMSprop) rechecked under this PyTorch.
// Three parameters of shapes [3], [2, 3] and [], six steps, the third without a gradient at
// steps 0 and 3. Each step's parameters, the state right after construction (Adagrad's is
// eager) and the final state dict are compared with PyTorch's.

const golden = loadOptim2<{ trajectories: Trajectory[]; errors: Record<string, string> }>();

const CLASSES = {
  SGD: optim.SGD, Adam: optim.Adam, AdamW: optim.AdamW, RMSprop: optim.RMSprop,
  Adagrad: optim.Adagrad, Adadelta: optim.Adadelta,
} as const;

function build(t: Trajectory, params: Tensor[]): optim.Optimizer {
  const Cls = CLASSES[t.optimizer as keyof typeof CLASSES] as unknown as new (p: unknown, o: unknown) => optim.Optimizer;
  if (t.groups === null) return new Cls(params, t.options);
  return new Cls(t.groups.map((g) => ({ ...g, params: g.params.map((i) => params[i]) })), t.options);
}

describe.each([
  ['fused kernels', true],
  ['composed', false],
] as const)(`optimizer trajectories match PyTorch ${golden.torch} (%s)`, (_path, fused) => {
  afterAll(() => setFusedKernelsEnabled(true));

  test('the golden file covers Adagrad and Adadelta in both dtypes, and was written by PyTorch 2', () => {
    expect(golden.torch).toMatch(/^2\./);
    const seen = new Set(golden.trajectories.map((t) => `${t.optimizer}/${t.dtype}`));
    for (const o of ['Adagrad', 'Adadelta']) for (const d of ['float32', 'float64']) expect(seen.has(`${o}/${d}`)).toBe(true);
  });

  test.for(golden.trajectories.map((t) => [t.name, t] as const))('%s', ([_name, t], ctx) => {
    needs(ctx, t.dtype);
    setFusedKernelsEnabled(fused);
    const params = makeParams(t);
    const opt = build(t, params);
    try {
      expectStateDict(opt, t.initialStateDict, t.dtype);
      t.trajectory.forEach((expected, step) => {
        setGrads(t, params, step);
        opt.step();
        params.forEach((p, i) => {
          expect(p.dtype).toBe(t.dtype);
          expectClose(p.dataSync(), expected[i], t.dtype, `step ${step} param ${i}`);
        });
      });
      expectStateDict(opt, t.stateDict, t.dtype);
    } finally {
      opt.dispose();
      for (const p of params) p.dispose();
    }
  });
});

describe('Adagrad and Adadelta state dicts', () => {
  const newOnes = golden.trajectories.filter((t) => t.dtype === 'float64' && /^ada(grad|delta)/.test(t.name));

  test.for(newOnes.map((t) => [t.name, t] as const))('%s: a stateDict taken mid-way continues identically in a fresh optimizer', ([_name, t], ctx) => {
    needs(ctx, t.dtype);
    const params = makeParams(t);
    const opt = build(t, params);
    for (let s = 0; s < 3; s++) {
      setGrads(t, params, s);
      opt.step();
    }
    const copies = params.map((p) => tidy(() => p.detach().clone()).requiresGrad_());
    const fresh = build(t, copies);
    const sd = opt.stateDict();
    fresh.loadStateDict(sd);
    disposeStateDict(sd);
    try {
      for (let s = 3; s < t.grads.length; s++) {
        setGrads(t, params, s);
        setGrads(t, copies, s);
        opt.step();
        fresh.step();
        params.forEach((p, i) => expect(Array.from(copies[i].dataSync())).toEqual(Array.from(p.dataSync())));
      }
      copies.forEach((p, i) => expectClose(p.dataSync(), t.trajectory.at(-1)![i], t.dtype, `param ${i}`));
    } finally {
      for (const o of [opt, fresh]) o.dispose();
      for (const p of [...params, ...copies]) p.dispose();
    }
  });
});

describe('Adagrad and Adadelta hyperparameter errors carry PyTorch messages', () => {
  const e = golden.errors;
  const made: Tensor[] = [];
  afterAll(() => made.forEach((t) => t.dispose()));
  const p = () => {
    const t = makeParams({ shapes: [[2]], initial: [[0, 0]], dtype: 'float32' } as unknown as Trajectory)[0];
    made.push(t);
    return t;
  };

  test.each([
    ['adagradLr', () => new optim.Adagrad([p()], { lr: -0.1 })],
    ['adagradLrDecay', () => new optim.Adagrad([p()], { lrDecay: -0.5 })],
    ['adagradWeightDecay', () => new optim.Adagrad([p()], { weightDecay: -0.5 })],
    ['adagradInitialAccumulator', () => new optim.Adagrad([p()], { initialAccumulatorValue: -1 })],
    ['adagradEps', () => new optim.Adagrad([p()], { eps: -1e-3 })],
    ['adadeltaLr', () => new optim.Adadelta([p()], { lr: -1 })],
    ['adadeltaRho', () => new optim.Adadelta([p()], { rho: 1.5 })],
    ['adadeltaRhoNegative', () => new optim.Adadelta([p()], { rho: -0.1 })],
    ['adadeltaEps', () => new optim.Adadelta([p()], { eps: -1e-3 })],
    ['adadeltaWeightDecay', () => new optim.Adadelta([p()], { weightDecay: -0.5 })],
  ] as const)('%s', (key, make) => {
    expect(make).toThrow(ValueError);
    // PyTorch prints floats with a trailing .0 (-1.0) where JS prints -1
    expect(make).toThrow(e[key].replace(/\.0$/, ''));
    expect(make).toThrow(/^Ada(grad|delta): /);
  });

  test('Adagrad refuses a group that overrides initialAccumulatorValue (PyTorch silently ignores it)', () => {
    const [a, b] = [p(), p()];
    expect(() => new optim.Adagrad([{ params: [a] }, { params: [b], initialAccumulatorValue: 0.5 }])).toThrow(
      /paramGroups\[1\] sets initialAccumulatorValue 0.5, but it is optimizer-wide/,
    );
    const opt = new optim.Adagrad([a], { initialAccumulatorValue: 0.5 });
    opt.addParamGroup({ params: [b], initialAccumulatorValue: 0.5 });
    expect(opt.paramGroups.length).toBe(2);
    expect(() => opt.addParamGroup({ params: [p()], initialAccumulatorValue: 0 })).toThrow(ValueError);
    expect(opt.paramGroups.length).toBe(2);
    opt.dispose();
  });
});
