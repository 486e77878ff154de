import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { optim, tensor, Tensor, type DType } from '@logit/core';

// Shared by the tests that read tools/goldens/optim2.py's file: PyTorch's numbers (nan and
// infinities as strings), the comparison, and the parameters and gradients of a trajectory.

export type JsonNum = number | 'nan' | 'inf' | '-inf';
export type JsonState = Record<string, Record<string, JsonNum | JsonNum[] | null>>;
export interface JsonStateDict {
  state: JsonState;
  paramGroups: Record<string, unknown>[];
}

export interface Trajectory {
  name: string;
  optimizer: string;
  dtype: DType;
  options: Record<string, unknown>;
  groups: ({ params: number[] } & Record<string, unknown>)[] | null;
  shapes: number[][];
  initial: JsonNum[][];
  grads: (JsonNum[] | null)[][];
  trajectory: JsonNum[][][];
  initialStateDict: JsonStateDict;
  stateDict: JsonStateDict;
}

export const num = (v: JsonNum): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);

/** optim2.json, parsed once. */
export function loadOptim2<T>(): T & { torch: string } {
  return JSON.parse(readFileSync(new URL('../goldens/optim2.json', import.meta.url), 'utf8')) as T & { torch: string };
}

/**
 * float32 within rtol 1e-5 / atol 1e-6 of PyTorch's float32 run (the two round differently
 * where PyTorch fuses a multiply-add, and sums in another order); float64 within 1e-12.
 */
export const TOL: Record<string, { rtol: number; atol: number }> = {
  float32: { rtol: 1e-5, atol: 1e-6 },
  float64: { rtol: 1e-12, atol: 1e-14 },
};

export function expectClose(actual: ArrayLike<number>, expected: readonly JsonNum[], dtype: DType, what: string): void {
  const { rtol, atol } = TOL[dtype];
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = num(expected[i]);
    const a = actual[i];
    if (Number.isNaN(e)) expect(a, `${what}[${i}]`).toBeNaN();
    else if (!Number.isFinite(e)) expect(a, `${what}[${i}]`).toBe(e);
    else if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`${what}[${i}]: got ${a}, PyTorch ${e} (|diff| ${Math.abs(a - e)} > ${atol + rtol * Math.abs(e)})`);
    }
  }
}

export function makeParams(t: Trajectory): Tensor[] {
  return t.shapes.map((shape, i) => tensor(t.initial[i].map(num), { shape, dtype: t.dtype, requiresGrad: true }));
}

export function setGrads(t: Trajectory, params: Tensor[], step: number): void {
  params.forEach((p, i) => {
    const g = t.grads[step][i];
    p.grad = g === null ? null : tensor(g.map(num), { shape: t.shapes[i], dtype: t.dtype });
  });
}

export function disposeStateDict(sd: optim.OptimizerStateDict): void {
  for (const s of Object.values(sd.state)) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
}

/** The optimizer's stateDict() equals PyTorch's: the same keys, steps, tensors and groups. */
export function expectStateDict(opt: optim.Optimizer, expected: JsonStateDict, dtype: DType): void {
  const sd = opt.stateDict();
  try {
    expect(Object.keys(sd.state).sort()).toEqual(Object.keys(expected.state).sort());
    for (const [idx, want] of Object.entries(expected.state)) {
      const mine = sd.state[Number(idx)];
      expect(Object.keys(mine).sort(), `state ${idx} keys`).toEqual(Object.keys(want).sort());
      for (const [k, v] of Object.entries(want)) {
        const m = mine[k];
        if (v === null) expect(m, `${idx}.${k}`).toBeNull();
        else if (k === 'step') expect(m, `${idx}.step`).toBe(num(v as JsonNum));
        else {
          expect(m, `${idx}.${k}`).toBeInstanceOf(Tensor);
          expect((m as Tensor).dtype).toBe(dtype);
          expectClose((m as Tensor).dataSync(), v as JsonNum[], dtype, `state ${idx}.${k}`);
        }
      }
    }
    expect(sd.paramGroups).toEqual(expected.paramGroups);
  } finally {
    disposeStateDict(sd);
  }
}
