import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { Tensor, cat, memory, nn, tensor, tidy, type DType } from '@logit/core';

// Sequence-model goldens from tools/goldens/transformer.py (PyTorch 2.x): every case builds the
// layer (or calls the function) with PyTorch's state dict and inputs, and compares the output and
// the gradients of sum(output * w) for every float input and parameter; the containers section
// pins module names, apply order and tied-weight loading to what PyTorch reports.
// The same goldens run on every backend through @logit/conformance (cases/transformer.ts).

type JsonNum = number | 'nan' | 'inf' | '-inf';
interface JsonTensor {
  shape: number[];
  dtype: DType;
  data: JsonNum[];
}
interface GoldenCase {
  name: string;
  kind: 'module' | 'function';
  layer: string;
  args: unknown[];
  options: Record<string, unknown>;
  forward: Record<string, unknown>;
  mode: 'train' | 'eval';
  dtype: 'float32' | 'float64';
  state: Record<string, JsonTensor>;
  inputs: { name: string; role: 'arg' | 'option' | 'ctor'; grad: boolean; value: JsonTensor }[];
  output: JsonTensor;
  gradWeights: JsonTensor;
  gradInputs: (JsonTensor | null)[];
  gradParams: Record<string, JsonTensor>;
}
interface Containers {
  moduleList: { namedParameters: string[]; stateDict: string[]; namedModules: string[]; outFeatures: number[] };
  moduleDict: { keys: string[]; namedParameters: string[] };
  applyOrder: string[];
  tied: {
    namedParameters: string[];
    stateDict: string[];
    loadSecondNameOnly: { missingKeys: string[]; unexpectedKeys: string[]; value: number };
    loadBothNames: number;
  };
  encoder: { layerStateDict: string[]; encoderStateDict: string[]; mhaKdim: string[] };
}

const golden = JSON.parse(readFileSync(new URL('./goldens/transformer.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: GoldenCase[];
  containers: Containers;
  rmsNormEps: Record<string, JsonTensor>;
};

const num = (v: JsonNum): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);
const load = (t: JsonTensor, requiresGrad = false): Tensor => tensor(t.data.map(num), { shape: t.shape, dtype: t.dtype, requiresGrad });

// float32 within rtol 1e-5 / atol 1e-6 of PyTorch's float32 run (the conformance default); float64 1e-9.
const TOL = { float32: { rtol: 1e-5, atol: 1e-6 }, float64: { rtol: 1e-9, atol: 1e-9 } };

function expectClose(actual: Tensor | null, expected: JsonTensor, what: string): void {
  expect(actual, `${what}: missing`).not.toBeNull();
  const got = actual!.dataSync();
  expect(got.length, `${what}: size`).toBe(expected.data.length);
  const { rtol, atol } = TOL[actual!.dtype as 'float32'];
  const scale = Math.max(1, ...expected.data.map((v) => Math.abs(num(v))).filter(Number.isFinite));
  for (let i = 0; i < expected.data.length; i++) {
    const e = num(expected.data[i]);
    const a = got[i];
    if (Number.isNaN(e)) expect(Number.isNaN(a), `${what}[${i}]: expected nan, got ${a}`).toBe(true);
    else if (!Number.isFinite(e)) expect(a, `${what}[${i}]`).toBe(e);
    else if (!(Math.abs(a - e) <= atol * scale + rtol * Math.abs(e))) expect.fail(`${what}[${i}]: got ${a}, PyTorch ${e}`);
  }
}

const FACTORY = new Set(['Embedding', 'LayerNorm', 'RMSNorm', 'MultiheadAttention', 'TransformerEncoderLayer', 'TransformerEncoder']);
type Ctor = new (...a: unknown[]) => nn.Module;
type Callable = (...a: unknown[]) => unknown;

function construct(c: GoldenCase, ctor: Record<string, Tensor>): nn.Module {
  const opts: Record<string, unknown> = { ...c.options, ...ctor, ...(FACTORY.has(c.layer) ? { dtype: c.dtype } : {}) };
  if (c.layer === 'TransformerEncoder') {
    const { args, ...layerOpts } = opts.layer as { args: number[] };
    const layer = new nn.TransformerEncoderLayer(args[0], args[1], { ...layerOpts, dtype: c.dtype });
    const enc = new nn.TransformerEncoder(layer, c.args[0] as number, { norm: opts.norm ? new nn.LayerNorm(opts.norm as number, { dtype: c.dtype }) : null });
    for (const p of layer.parameters()) p.dispose();
    return enc;
  }
  const Layer = (nn as unknown as Record<string, Ctor>)[c.layer];
  return new Layer(...c.args, ...(Object.keys(opts).length ? [opts] : []));
}

function joined(y: unknown): Tensor {
  if (!Array.isArray(y)) return y as Tensor;
  return cat((y as (Tensor | null)[]).filter((t): t is Tensor => t !== null).map((t) => t.reshape([-1])), 0);
}

describe(`sequence-model layers against PyTorch ${golden.torch}`, () => {
  test('the goldens cover every new layer and function, in both dtypes', () => {
    const layers = new Set(golden.cases.map((c) => c.layer));
    expect([...layers].sort()).toEqual([
      'CrossEntropyLoss', 'Embedding', 'Identity', 'LayerNorm', 'MultiheadAttention', 'RMSNorm', 'SiLU',
      'TransformerEncoder', 'TransformerEncoderLayer', 'embedding', 'layerNorm', 'rmsNorm', 'scaledDotProductAttention',
    ]);
    expect(golden.cases.filter((c) => c.dtype === 'float64').length).toBe(golden.cases.length / 2);
  });

  test.for(golden.cases.map((c) => [c.name, c] as const))('%s', ([_name, c], ctx) => {
    needs(ctx, c.dtype);
    const before = memory();
    tidy(() => {
      const xs = c.inputs.map((inp) => load(inp.value, inp.grad));
      const by = (role: string) => Object.fromEntries(c.inputs.flatMap((inp, i) => (inp.role === role ? [[inp.name, xs[i]]] : [])));
      const positional = c.inputs.flatMap((inp, i) => (inp.role === 'arg' ? [xs[i]] : []));
      const callOpts = { ...c.forward, ...by('option') };
      const extra = Object.keys(callOpts).length ? [callOpts] : [];
      let m: nn.Module | null = null;
      let y: Tensor;
      if (c.kind === 'function') {
        y = joined((nn.functional as unknown as Record<string, Callable>)[c.layer](...positional, ...c.args, ...extra));
      } else {
        m = construct(c, by('ctor'));
        m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, load(v)])));
        if (c.mode === 'eval') m.eval();
        const sd = m.stateDict();
        expect(Object.keys(sd), 'state-dict keys').toEqual(Object.keys(c.state));
        for (const t of Object.values(sd)) t.dispose();
        y = joined((m as unknown as { forward: Callable }).forward(...positional, ...extra));
      }
      expectClose(y, c.output, 'output');
      y.mul(load(c.gradWeights).reshape(y.shape)).sum().backward();
      c.inputs.forEach((inp, i) => {
        if (inp.grad) expectClose(xs[i].grad, c.gradInputs[i]!, `grad of ${inp.name}`);
      });
      if (m) {
        const params = new Map(m.namedParameters());
        expect([...params.keys()], 'parameter names').toEqual(Object.keys(c.gradParams));
        for (const [k, gp] of Object.entries(c.gradParams)) expectClose(params.get(k)!.grad, gp, `grad of ${k}`);
        for (const t of [...m.parameters(), ...m.buffers()]) t.dispose();
      }
    });
    expect(memory().tensors).toBe(before.tensors);
  });

  test("RMSNorm's default eps is the dtype's machine epsilon (visible on tiny inputs)", (ctx) => {
    needs(ctx, 'float64');
    const e = golden.rmsNormEps;
    for (const dtype of ['float32', 'float64'] as const) {
      tidy(() => expectClose(new nn.RMSNorm(4, { dtype }).forward(load(e.input).to(dtype)), e[dtype], `RMSNorm ${dtype}`));
    }
  });
});

describe("containers and weight tying report PyTorch's names", () => {
  const k = golden.containers;
  const names = (m: nn.Module): string[] => m.namedParameters().map(([n]) => n);
  const keys = (m: nn.Module): string[] => {
    const sd = m.stateDict();
    for (const t of Object.values(sd)) t.dispose();
    return Object.keys(sd);
  };

  test('ModuleList after append, extend, insert (a module held twice)', () => {
    const [a, b, c, d] = [1, 2, 3, 4].map((o) => new nn.Linear(1, o));
    const l = new nn.ModuleList([a]);
    l.append(b).extend([c]).insert(1, d).insert(3, a);
    expect([...l].map((m) => (m as nn.Linear).outFeatures)).toEqual(k.moduleList.outFeatures);
    expect(names(l)).toEqual(k.moduleList.namedParameters);
    expect(keys(l)).toEqual(k.moduleList.stateDict);
    expect(l.namedModules().map(([n]) => n)).toEqual(k.moduleList.namedModules);
  });

  test('ModuleDict keeps insertion order; a replaced key keeps its place', () => {
    const d = new nn.ModuleDict({ b: new nn.Linear(1, 1) });
    d.set('10', new nn.Linear(1, 2)).update([['a', new nn.Linear(1, 3)]]).set('b', new nn.Linear(1, 5));
    expect(d.keys()).toEqual(k.moduleDict.keys);
    expect(names(d)).toEqual(k.moduleDict.namedParameters);
  });

  test('apply order', () => {
    const order: string[] = [];
    new nn.Sequential(new nn.Linear(1, 1), new nn.Sequential(new nn.ReLU(), new nn.Tanh())).apply((m) => order.push(m.constructor.name));
    expect(order).toEqual(k.applyOrder);
  });

  test('tied weights: names, and loading the second name alone or both names', () => {
    class Tied extends nn.Module {
      wte = new nn.Embedding(5, 3);
      proj = new nn.Linear(3, 3);
      lm_head = new nn.Linear(3, 5, { bias: false });
      constructor() {
        super();
        this.lm_head.weight = this.wte.weight;
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new Tied();
    expect(names(m)).toEqual(k.tied.namedParameters);
    expect(keys(m)).toEqual(k.tied.stateDict);
    const r = m.loadStateDict({ 'lm_head.weight': tensor(new Array(15).fill(7), { shape: [5, 3] }) }, { strict: false });
    expect(r).toEqual({ missingKeys: k.tied.loadSecondNameOnly.missingKeys, unexpectedKeys: k.tied.loadSecondNameOnly.unexpectedKeys });
    expect(m.wte.weight.dataSync()[0]).toBe(k.tied.loadSecondNameOnly.value);
    const sd = m.stateDict();
    m.loadStateDict({ 'lm_head.weight': tensor(new Array(15).fill(2), { shape: [5, 3] }), 'proj.weight': sd['proj.weight'], 'proj.bias': sd['proj.bias'], 'wte.weight': tensor(new Array(15).fill(1), { shape: [5, 3] }) });
    expect(m.wte.weight.dataSync()[0]).toBe(k.tied.loadBothNames);
  });

  test("TransformerEncoderLayer / TransformerEncoder / MultiheadAttention(kdim, vdim) state-dict keys", () => {
    const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true });
    expect(keys(layer)).toEqual(k.encoder.layerStateDict);
    expect(keys(new nn.TransformerEncoder(layer, 2, { norm: new nn.LayerNorm(8) }))).toEqual(k.encoder.encoderStateDict);
    expect(names(new nn.MultiheadAttention(8, 2, { kdim: 5, vdim: 3 }))).toEqual(k.encoder.mhaKdim);
  });
});
