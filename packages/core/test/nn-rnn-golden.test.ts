import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { memory, nn, setFusedKernelsEnabled, tensor, tidy, type DType, type Tensor } from '@logit/core';

// Recurrent goldens from tools/goldens/rnn.py (PyTorch 2.x): each case loads PyTorch's state dict
// into the Logit module, runs the same input and initial states, and compares every output
// (output, h_n, c_n; or h', c' for the cells) and the gradients of the input, the initial states
// and every parameter of sum_k sum(outputs[k] * w[k]). Each case runs twice: with the backend's
// fused cell kernels and with the composition from primitives.

interface JsonTensor {
  shape: number[];
  dtype: DType;
  data: number[];
}
interface RnnCase {
  name: string;
  module: 'RNN' | 'LSTM' | 'GRU' | 'RNNCell' | 'LSTMCell' | 'GRUCell';
  args: [number, number];
  options: Record<string, unknown>;
  mode: 'train' | 'eval';
  dtype: 'float32' | 'float64';
  state: Record<string, JsonTensor>;
  input: JsonTensor;
  states: JsonTensor[];
  outputs: JsonTensor[];
  upstream: JsonTensor[];
  gradInput: JsonTensor;
  gradStates: JsonTensor[];
  gradParams: Record<string, JsonTensor>;
}

const golden = JSON.parse(readFileSync(new URL('./goldens/rnn.json', import.meta.url), 'utf8')) as {
  torch: string;
  names: Record<string, string[]>;
  cases: RnnCase[];
};

// float32 within rtol 1e-5 / atol 1e-6 of PyTorch's float32 run (as every layer golden); float64 within 1e-9
const TOL: Record<string, { rtol: number; atol: number }> = {
  float32: { rtol: 1e-5, atol: 1e-6 },
  float64: { rtol: 1e-9, atol: 1e-9 },
};

const load = (t: JsonTensor, requiresGrad = false): Tensor => tensor(t.data, { shape: t.shape, dtype: t.dtype, requiresGrad });

function expectClose(actual: Tensor | null, expected: JsonTensor, what: string): void {
  expect(actual, `${what}: missing`).not.toBeNull();
  expect(actual!.shape, `${what}: shape`).toEqual(expected.shape);
  const got = actual!.dataSync();
  const { rtol, atol } = TOL[actual!.dtype];
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i];
    if (!(Math.abs(got[i] - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`${what}[${i}]: got ${got[i]}, PyTorch ${e} (|diff| ${Math.abs(got[i] - e)} > ${atol} + ${rtol} * |expected|)`);
    }
  }
}

type AnyModule = nn.Module & { forward(x: Tensor, hx?: unknown): unknown };

function build(c: RnnCase): AnyModule {
  const Ctor = (nn as unknown as Record<string, new (i: number, h: number, o: object) => AnyModule>)[c.module];
  return new Ctor(c.args[0], c.args[1], { ...c.options, dtype: c.dtype });
}

/** The module's outputs flattened to PyTorch's list: [output, h_n(, c_n)] or [h'(, c')]. */
function outputsOf(c: RnnCase, m: AnyModule, x: Tensor, states: Tensor[]): Tensor[] {
  const pair = c.module === 'LSTM' || c.module === 'LSTMCell';
  const hx = states.length === 0 ? undefined : pair ? [states[0], states[1]] : states[0];
  const r = m.forward(x, hx);
  if (c.module === 'LSTM') {
    const [out, [h, cc]] = r as [Tensor, [Tensor, Tensor]];
    return [out, h, cc];
  }
  if (c.module === 'LSTMCell') return r as [Tensor, Tensor];
  if (c.module.endsWith('Cell')) return [r as Tensor];
  const [out, h] = r as [Tensor, Tensor];
  return [out, h];
}

function runCase(c: RnnCase): void {
  const before = memory().tensors;
  const m = build(c);
  tidy(() => m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, load(v)]))));
  if (c.mode === 'eval') m.eval();
  expect(m.namedParameters().map(([k]) => k)).toEqual(Object.keys(c.gradParams));
  tidy(() => {
    const x = load(c.input, true);
    const states = c.states.map((s) => load(s, true));
    const ys = outputsOf(c, m, x, states);
    expect(ys.length).toBe(c.outputs.length);
    ys.forEach((y, k) => expectClose(y, c.outputs[k], `output ${k}`));
    ys.map((y, k) => y.mul(load(c.upstream[k])).sum()).reduce((a, b) => a.add(b)).backward();
    expectClose(x.grad, c.gradInput, 'input grad');
    states.forEach((s, k) => expectClose(s.grad, c.gradStates[k], `initial state ${k} grad`));
    const params = new Map(m.namedParameters());
    for (const [k, g] of Object.entries(c.gradParams)) expectClose(params.get(k)!.grad, g, `grad of ${k}`);
  });
  for (const p of m.parameters()) p.dispose();
  expect(memory().tensors).toBe(before);
}

describe(`recurrent layers and cells against PyTorch ${golden.torch}`, () => {
  test('the golden file covers every module in both dtypes', () => {
    expect([...new Set(golden.cases.map((c) => c.module))].sort()).toEqual(['GRU', 'GRUCell', 'LSTM', 'LSTMCell', 'RNN', 'RNNCell']);
    expect(golden.cases.filter((c) => c.dtype === 'float64').length).toBe(golden.cases.length / 2);
  });

  test("parameter names of a 2-layer bidirectional module are PyTorch's, in its order", () => {
    for (const [name, expected] of Object.entries(golden.names)) {
      const Ctor = (nn as unknown as Record<string, new (i: number, h: number, o: object) => nn.Module>)[name];
      const m = new Ctor(3, 4, { numLayers: 2, bidirectional: true });
      expect(m.namedParameters().map(([k]) => k), name).toEqual(expected);
      for (const p of m.parameters()) p.dispose();
    }
  });

  test.each(golden.cases.map((c) => [c.name, c] as const))('%s (fused kernels where the backend has them)', (_n, c) => {
    runCase(c);
  });

  test.each(golden.cases.map((c) => [c.name, c] as const))('%s (composed from primitives)', (_n, c) => {
    setFusedKernelsEnabled(false);
    try {
      runCase(c);
    } finally {
      setFusedKernelsEnabled(true);
    }
  });
});
