import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { optim, setFusedKernelsEnabled, tensor, Tensor, tidy, type DType } from '@logit/core';

// Trajectories from tools/goldens/optim.py (PyTorch 1.13): three parameters of shapes [3], [2, 3]
// and [] (0-d), six steps of fixed gradients, the third parameter without a gradient at steps 0
// and 3. Every step's parameters, then the final state dict, are compared to PyTorch's: once with
// the backend's fused optimizer kernels (sgdStep, adamStep) and once composed from primitives.

type JsonNum = number | 'nan' | 'inf' | '-inf';
type JsonState = Record<string, Record<string, JsonNum | JsonNum[] | null>>;
interface Trajectory {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop';
  dtype: DType;
  options: Record<string, unknown>;
  groups: ({ params: number[] } & Record<string, unknown>)[] | null;
  shapes: number[][];
  initial: JsonNum[][];
  grads: (JsonNum[] | null)[][];
  trajectory: JsonNum[][][];
  stateDict: { state: JsonState; paramGroups: Record<string, unknown>[] };
}

const golden = JSON.parse(readFileSync(new URL('./goldens/optim.json', import.meta.url), 'utf8')) as {
  trajectories: Trajectory[];
};

const num = (v: JsonNum): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);

// float32 within rtol 1e-5 / atol 1e-6 of PyTorch's float32 run (the two round differently only
// where PyTorch fuses a multiply-add); float64 within 1e-9.
const TOL: Record<string, { rtol: number; atol: number }> = {
  float32: { rtol: 1e-5, atol: 1e-6 },
  float64: { rtol: 1e-9, atol: 1e-9 },
};

function expectClose(actual: ArrayLike<number>, expected: JsonNum[], dtype: DType, what: string): void {
  const { rtol, atol } = TOL[dtype];
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = num(expected[i]);
    const a = actual[i];
    if (Number.isNaN(e)) expect(a, `${what}[${i}]`).toBeNaN();
    else if (Math.abs(a - e) > atol + rtol * Math.abs(e)) {
      expect.fail(`${what}[${i}]: got ${a}, PyTorch ${e} (|diff| ${Math.abs(a - e)} > ${atol + rtol * Math.abs(e)})`);
    }
  }
}

const CLASSES = { SGD: optim.SGD, Adam: optim.Adam, AdamW: optim.AdamW, RMSprop: optim.RMSprop } as const;

function build(t: Trajectory, params: Tensor[]): optim.Optimizer {
  const Cls = CLASSES[t.optimizer] as unknown as new (p: unknown, o: unknown) => optim.Optimizer;
  if (t.groups === null) return new Cls(params, t.options);
  return new Cls(t.groups.map((g) => ({ ...g, params: g.params.map((i) => params[i]) })), t.options);
}

function makeParams(t: Trajectory): Tensor[] {
  return t.shapes.map((shape, i) => tensor(t.initial[i].map(num), { shape, dtype: t.dtype, requiresGrad: true }));
}

function setGrads(t: Trajectory, params: Tensor[], step: number): void {
  params.forEach((p, i) => {
    const g = t.grads[step][i];
    p.grad = g === null ? null : tensor(g.map(num), { shape: t.shapes[i], dtype: t.dtype });
  });
}

function checkStateDict(t: Trajectory, opt: optim.Optimizer): void {
  const sd = opt.stateDict();
  try {
    expect(Object.keys(sd.state).sort()).toEqual(Object.keys(t.stateDict.state).sort());
    for (const [idx, expected] of Object.entries(t.stateDict.state)) {
      const mine = sd.state[Number(idx)];
      expect(Object.keys(mine).sort(), `state ${idx} keys`).toEqual(Object.keys(expected).sort());
      for (const [k, v] of Object.entries(expected)) {
        const m = mine[k];
        if (v === null) expect(m, `${idx}.${k}`).toBeNull();
        else if (k === 'step') expect(m, `${idx}.step`).toBe(num(v as JsonNum));
        else {
          expect(m, `${idx}.${k}`).toBeInstanceOf(Tensor);
          expect((m as Tensor).dtype).toBe(t.dtype);
          expectClose((m as Tensor).dataSync(), v as JsonNum[], t.dtype, `state ${idx}.${k}`);
        }
      }
    }
    expect(sd.paramGroups).toEqual(t.stateDict.paramGroups);
  } finally {
    for (const s of Object.values(sd.state)) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
  }
}

describe.each([
  ['fused kernels', true],
  ['composed', false],
] as const)('optimizer trajectories match PyTorch 1.13 (%s)', (_path, fused) => {
  const setPath = (): void => setFusedKernelsEnabled(fused);
  afterAll(() => setFusedKernelsEnabled(true));

  test('the golden file covers every optimizer in both dtypes', () => {
    const seen = new Set(golden.trajectories.map((t) => `${t.optimizer}/${t.dtype}`));
    for (const o of Object.keys(CLASSES)) for (const d of ['float32', 'float64']) expect(seen.has(`${o}/${d}`)).toBe(true);
  });

  test.for(golden.trajectories.map((t) => [t.name, t] as const))('%s', ([_name, t], ctx) => {
    needs(ctx, t.dtype);
    setPath();
    const params = makeParams(t);
    const opt = build(t, params);
    try {
      t.trajectory.forEach((expected, step) => {
        setGrads(t, params, step);
        opt.step();
        params.forEach((p, i) => {
          expect(p.dtype).toBe(t.dtype);
          expectClose(p.dataSync(), expected[i], t.dtype, `step ${step} param ${i}`);
        });
      });
      checkStateDict(t, opt);
    } finally {
      opt.dispose();
      for (const p of params) p.dispose();
    }
  });

  test.for(golden.trajectories.filter((t) => t.dtype === 'float64').map((t) => [t.name, t] as const))('%s: a stateDict taken mid-way, loaded into a fresh optimizer, continues identically', ([_name, t], ctx) => {
      needs(ctx, t.dtype);
      setPath();
      const half = 3;
      const params = makeParams(t);
      const opt = build(t, params);
      for (let s = 0; s < half; s++) {
        setGrads(t, params, s);
        opt.step();
      }
      // a second set of parameters with the same values, and a fresh optimizer fed the saved state
      const copies = params.map((p) => tidy(() => p.detach().clone()).requiresGrad_());
      const fresh = build(t, copies);
      const sd = opt.stateDict();
      fresh.loadStateDict(sd);
      for (const s of Object.values(sd.state)) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
      try {
        for (let s = half; s < t.grads.length; s++) {
          setGrads(t, params, s);
          setGrads(t, copies, s);
          opt.step();
          fresh.step();
          params.forEach((p, i) => expect(Array.from(copies[i].dataSync())).toEqual(Array.from(p.dataSync())));
        }
        copies.forEach((p, i) => expectClose(p.dataSync(), t.trajectory[t.grads.length - 1][i], t.dtype, `param ${i}`));
      } finally {
        for (const o of [opt, fresh]) o.dispose();
        for (const p of [...params, ...copies]) p.dispose();
      }
    },
  );
});
