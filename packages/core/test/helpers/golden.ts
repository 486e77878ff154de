import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { nn, tensor, tidy, type DType, type Tensor } from '@logit/core';

/** Reading the golden JSON that tools/goldens/*.py write, and comparing tensors with it. */

export type JsonNum = number | 'nan' | 'inf' | '-inf';
export interface JsonTensor {
  shape: number[];
  dtype: DType;
  data: JsonNum[];
}

/** One layer case of a golden file (tools/goldens/nn.py and conv.py write the same layout). */
export interface LayerCase {
  name: string;
  layer: string;
  args: unknown[];
  options: Record<string, unknown>;
  mode: 'train' | 'eval';
  dtype: 'float32' | 'float64';
  state: Record<string, JsonTensor>;
  input: JsonTensor;
  output: JsonTensor;
  gradWeights: JsonTensor;
  gradInput: JsonTensor;
  gradParams: Record<string, JsonTensor>;
  buffersAfter: Record<string, JsonTensor>;
}

export function readGolden<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../goldens/${file}`, import.meta.url), 'utf8')) as T;
}

export const num = (v: JsonNum): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);

/**
 * float32 within rtol 1e-5 / atol 1e-6 of PyTorch's float32 run, float64 within 1e-9; atol is
 * scaled by the tensor's largest magnitude (when above 1), as conformance does: a float32 sum of
 * terms near 12 carries about 1e-6 of rounding wherever it cancels to a small value.
 */
export const GOLDEN_TOL: Record<string, { rtol: number; atol: number }> = {
  float32: { rtol: 1e-5, atol: 1e-6 },
  float64: { rtol: 1e-9, atol: 1e-9 },
};

export function load(t: JsonTensor, requiresGrad = false): Tensor {
  return tensor(t.data.map(num), { shape: t.shape, dtype: t.dtype, requiresGrad });
}

export function expectClose(actual: Tensor | null, expected: JsonTensor, what: string): void {
  expect(actual, `${what}: missing`).not.toBeNull();
  expect(actual!.shape, `${what}: shape`).toEqual(expected.shape);
  const got = actual!.dataSync();
  const { rtol, atol: atol1 } = GOLDEN_TOL[actual!.dtype] ?? { rtol: 0, atol: 0 };
  const atol = atol1 * expected.data.reduce<number>((m, v) => (Number.isFinite(num(v)) ? Math.max(m, Math.abs(num(v))) : m), 1);
  for (let i = 0; i < expected.data.length; i++) {
    const e = num(expected.data[i]);
    const a = got[i];
    if (Number.isNaN(e)) expect(Number.isNaN(a), `${what}[${i}]: expected nan, got ${a}`).toBe(true);
    else if (!Number.isFinite(e)) expect(a, `${what}[${i}]`).toBe(e);
    else if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`${what}[${i}]: got ${a}, PyTorch ${e} (|diff| ${Math.abs(a - e)} > ${atol} + ${rtol} * |expected|)`);
    }
  }
}

/** Builds nn[layer](...args, options) at the case's dtype (`withDType`: layers with parameters or buffers). */
export function buildLayer(c: Pick<LayerCase, 'layer' | 'args' | 'options' | 'dtype'>, takesOptions: ReadonlySet<string>, withDType: ReadonlySet<string>): nn.Module {
  const Ctor = (nn as unknown as Record<string, new (...a: unknown[]) => nn.Module>)[c.layer];
  const opts = withDType.has(c.layer) ? { ...c.options, dtype: c.dtype } : c.options;
  return takesOptions.has(c.layer) ? new Ctor(...c.args, opts) : new Ctor(...c.args);
}

export function loadState(m: nn.Module, state: Record<string, JsonTensor>): void {
  tidy(() => {
    const sd = Object.fromEntries(Object.entries(state).map(([k, v]) => [k, load(v)]));
    m.loadStateDict(sd);
  });
}

export function disposeModule(m: nn.Module): void {
  for (const p of m.parameters()) p.dispose();
  for (const b of m.buffers()) b.dispose();
}
