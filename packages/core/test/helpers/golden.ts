import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { memory, nn, tensor, tidy, type DType, type Tensor } from '@logit/core';

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

/** A BatchNorm run over several training steps, then eval (nn.py and conv.py write the same layout). */
export interface BatchNormRun {
  name: string;
  options: Record<string, unknown>;
  dtype: 'float32' | 'float64';
  numFeatures: number;
  state: Record<string, JsonTensor>;
  steps: { input: JsonTensor; output: JsonTensor; buffers: Record<string, JsonTensor> }[];
  evalInput: JsonTensor;
  evalOutput: JsonTensor;
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

/** How golden values are compared: `scaleAtol` false keeps atol absolute (the older nn goldens, whose values are small). */
export interface CloseOptions {
  scaleAtol?: boolean;
}

export function expectClose(actual: Tensor | null, expected: JsonTensor, what: string, opts: CloseOptions = {}): void {
  expect(actual, `${what}: missing`).not.toBeNull();
  expect(actual!.shape, `${what}: shape`).toEqual(expected.shape);
  const got = actual!.dataSync();
  const { rtol, atol: atol1 } = GOLDEN_TOL[actual!.dtype] ?? { rtol: 0, atol: 0 };
  const scale = opts.scaleAtol === false ? 1 : expected.data.reduce<number>((m, v) => (Number.isFinite(num(v)) ? Math.max(m, Math.abs(num(v))) : m), 1);
  const atol = atol1 * scale;
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

/**
 * One layer case: PyTorch's state dict loaded into the Logit layer (its keys must be the layer's
 * own), the same input, then the output, the input gradient and every parameter gradient of
 * sum(output * w), and the buffers after (names and values) compared with PyTorch's; nothing left
 * allocated.
 */
export function runLayerCase(c: LayerCase, takesOptions: ReadonlySet<string>, withDType: ReadonlySet<string>, close: CloseOptions = {}): void {
  const before = memory();
  const m = buildLayer(c, takesOptions, withDType);
  loadState(m, c.state);
  if (c.mode === 'eval') m.eval();
  const sd = m.stateDict();
  expect(Object.keys(sd)).toEqual(Object.keys(c.state));
  for (const t of Object.values(sd)) t.dispose();
  tidy(() => {
    const x = load(c.input, true);
    const y = m.forward(x as never) as Tensor;
    expectClose(y, c.output, 'output', close);
    y.mul(load(c.gradWeights)).sum().backward();
    expectClose(x.grad, c.gradInput, 'input grad', close);
    const params = new Map(m.namedParameters());
    expect([...params.keys()]).toEqual(Object.keys(c.gradParams));
    for (const [k, g] of Object.entries(c.gradParams)) expectClose(params.get(k)!.grad, g, `grad of ${k}`, close);
    const buffers = new Map(m.namedBuffers());
    expect([...buffers.keys()]).toEqual(Object.keys(c.buffersAfter));
    for (const [k, b] of Object.entries(c.buffersAfter)) {
      if (b.dtype === 'int32') expect(buffers.get(k)!.itemSync(), k).toBe(num(b.data[0]));
      else expectClose(buffers.get(k)!, b, `buffer ${k}`, close);
    }
  });
  disposeModule(m);
  expect(memory().tensors).toBe(before.tensors);
}
