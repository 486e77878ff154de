import { cat, manualSeed, nn, tidy, type DType, type Tensor } from '@logit/core';
import { decodeAll, loadGoldens, type Encoded } from '../oracles/torch.js';
import type { Case, Program, TfjsOracle } from '../types.js';
import { bools, defineCase, input } from './define.js';
import { dtypesOf, goldenInput, groupByBase } from './golden.js';

// The sequence-model layers from PyTorch's goldens (tools/goldens/transformer.py): Embedding,
// LayerNorm, RMSNorm, SiLU, Identity, scaledDotProductAttention, MultiheadAttention,
// TransformerEncoderLayer, TransformerEncoder and CrossEntropyLoss on (N, C, T) logits, with
// masks of both kinds, padding and fully masked rows. Each golden input is an input of the case:
// 'arg' inputs are passed positionally, 'option' inputs by name in the forward (or function)
// options, 'ctor' inputs in the constructor's; the module's state tensors follow them. A call
// with two outputs (MultiheadAttention's [output, weights]) is checked flattened and joined, as
// the generator recorded it. LayerNorm and attention run the backends' fused kernels where they
// exist, and the runner compares those with the composed path.

export interface GoldenInput {
  name: string;
  role: 'arg' | 'option' | 'ctor';
  grad: boolean;
  value: Encoded;
}

export interface TransformerGolden {
  name: string;
  kind: 'module' | 'function';
  layer: string;
  args: unknown[];
  options: Record<string, unknown>;
  forward: Record<string, unknown>;
  mode: 'train' | 'eval';
  dtype: DType;
  state: Record<string, Encoded>;
  inputs: GoldenInput[];
  output: Encoded;
  gradWeights: Encoded;
  gradInputs: (Encoded | null)[];
  gradParams: Record<string, Encoded>;
}

const FACTORY = new Set(['Embedding', 'LayerNorm', 'RMSNorm', 'MultiheadAttention', 'TransformerEncoderLayer', 'TransformerEncoder']);
type Ctor = new (...a: unknown[]) => nn.Module;
type Callable = (...a: unknown[]) => unknown;

/** Builds the module: the dtype for layers with parameters; TransformerEncoder gets its layer (copied, then freed) and norm. */
function construct(g: TransformerGolden, dtype: DType, ctorInputs: Record<string, Tensor>): nn.Module {
  const Layer = (nn as unknown as Record<string, Ctor>)[g.layer];
  const opts: Record<string, unknown> = { ...g.options, ...ctorInputs };
  if (FACTORY.has(g.layer)) opts.dtype = dtype;
  if (g.layer !== 'TransformerEncoder') return new Layer(...g.args, ...(Object.keys(opts).length ? [opts] : []));
  const { args, ...layerOpts } = opts.layer as { args: number[] } & Record<string, unknown>;
  const layer = new nn.TransformerEncoderLayer(args[0], args[1], { ...layerOpts, dtype: dtype as 'float32' });
  const norm = opts.norm ? new nn.LayerNorm(opts.norm as number, { dtype: dtype as 'float32' }) : null;
  const encoder = new Layer(layer, ...g.args, { norm });
  for (const p of layer.parameters()) p.dispose(); // the encoder holds copies
  return encoder;
}

/** Calls fn and joins its outputs as the generator did: one tensor as it is, a tuple flattened and joined. */
function joined(fn: () => unknown): Tensor {
  return tidy(() => {
    const y = fn();
    if (!Array.isArray(y)) return y as Tensor;
    const parts = (y as (Tensor | null)[]).filter((t): t is Tensor => t !== null);
    return parts.length === 1 ? parts[0].reshape([-1]) : cat(parts.map((t) => t.reshape([-1])), 0);
  });
}

/**
 * Runs one golden: inputs (in the golden's order), then the module's state tensors. Returns the
 * joined output and the tensors whose gradients are compared: the gradient inputs, then the
 * parameters named by `paramKeys`.
 */
export function buildTransformerCase(g: TransformerGolden, stateKeys: string[], paramKeys: string[]) {
  return (xs: Tensor[], { dtype }: { dtype: DType }): Program => {
    const byName = (role: string): Record<string, Tensor> =>
      Object.fromEntries(g.inputs.flatMap((inp, i) => (inp.role === role ? [[inp.name, xs[i]]] : [])));
    const positional = g.inputs.flatMap((inp, i) => (inp.role === 'arg' ? [xs[i]] : []));
    const callOpts = { ...g.forward, ...byName('option') };
    const hasOpts = Object.keys(callOpts).length > 0;
    const gradTensors = g.inputs.flatMap((inp, i) => (inp.grad ? [xs[i]] : []));
    if (g.kind === 'function') {
      const fn = (nn.functional as unknown as Record<string, Callable>)[g.layer];
      const output = joined(() => fn(...positional, ...g.args, ...(hasOpts ? [callOpts] : [])));
      return { output, wrt: gradTensors };
    }
    const m = construct(g, dtype, byName('ctor'));
    const state = xs.slice(g.inputs.length);
    if (stateKeys.length) m.loadStateDict(Object.fromEntries(stateKeys.map((k, i) => [k, state[i]])));
    if (g.mode === 'eval') m.eval();
    const forward = (m as unknown as { forward: Callable }).forward.bind(m);
    const output = joined(() => forward(...positional, ...(hasOpts ? [callOpts] : [])));
    const params = new Map(m.namedParameters({ removeDuplicate: false }));
    return {
      output,
      wrt: [...gradTensors, ...paramKeys.map((k) => params.get(k)!)],
      dispose: () => {
        for (const p of m.parameters()) p.dispose();
        for (const b of m.buffers()) b.dispose();
      },
    };
  };
}

function tfjsFor(g: TransformerGolden): TfjsOracle | undefined {
  if (g.layer === 'SiLU') return { fn: (tf, [x]) => tf.mul(x, tf.sigmoid(x)) };
  return undefined;
}

function fdFor(g: TransformerGolden): Case['fd'] {
  const padded = g.options.paddingIdx !== undefined || g.forward.paddingIdx !== undefined;
  if (padded) return { skip: "the paddingIdx row's gradient is 0 by definition, not the derivative" };
  if (g.output.data.some((v) => v === 'nan')) return { skip: 'fully masked rows give nan, as in PyTorch' };
  // hundreds of whole-module runs per case (~10 s each on a loaded 2-core machine); every parameter
  // gradient is checked against PyTorch's float64 goldens and the float64 reference instead, and
  // finite differences cover the pieces (sdpa, layerNorm, linear) in their own cases
  if (['MultiheadAttention', 'TransformerEncoderLayer', 'TransformerEncoder'].includes(g.layer)) {
    return { skip: 'a whole attention block: PyTorch float64 goldens check its gradients; its pieces have finite-difference cases' };
  }
  return undefined;
}

function goldenCases(file: string, family: string): Case[] {
  const golden = loadGoldens<{ cases: TransformerGolden[] }>(file);
  const cases: Case[] = [];
  for (const [name, group] of groupByBase(golden.cases)) {
    const g = Object.values(group)[0]!;
    const paramKeys = Object.keys(g.gradParams);
    const stateKeys = [...paramKeys, ...Object.keys(g.state).filter((k) => !paramKeys.includes(k))];
    const torch: Case['torch'] = {};
    for (const [d, gd] of Object.entries(group) as [DType, TransformerGolden][]) {
      const inputGrads = gd.inputs.flatMap((inp, i) => (inp.grad ? [gd.gradInputs[i] ? decodeAll(gd.gradInputs[i]!) : null] : []));
      torch[d] = { source: file, output: decodeAll(gd.output), grads: [...inputGrads, ...paramKeys.map((k) => decodeAll(gd.gradParams[k]))] };
    }
    const op = g.kind === 'function' ? `functional.${g.layer}` : `nn.${g.layer}`;
    cases.push(
      defineCase(family, {
        name: `${g.kind === 'function' ? 'F.' : 'nn.'}${name}`, op, dtypes: dtypesOf(group),
        inputs: [
          ...g.inputs.map((inp, i) => goldenInput(group, (c) => c.inputs[i].value, inp.grad)),
          ...stateKeys.map((k) => goldenInput(group, (c) => c.state[k], paramKeys.includes(k))),
        ],
        run: buildTransformerCase(g, stateKeys, paramKeys),
        upstream: (d) => decodeAll((group[d] ?? g).gradWeights),
        torch,
        tfjs: tfjsFor(g),
        fd: fdFor(g),
        note: tfjsFor(g) ? undefined : 'tfjs: no such layer in tfjs-core',
      }),
    );
  }
  return cases;
}

/**
 * Training-mode dropout inside attention and the encoder layer: the masks come from the seeded
 * Philox stream, so every backend draws the same ones (PyTorch's stream differs; no torch oracle).
 */
function seeded(name: string, op: string, inputs: Case['inputs'], body: (xs: Tensor[], dtype: DType) => { output: Tensor; m?: nn.Module }): Case {
  return defineCase('transformer', {
    name, op, inputs,
    run: (xs, { dtype }) => {
      manualSeed(11);
      const { output, m } = body(xs, dtype);
      const gradIdx = inputs.flatMap((spec, i) => (spec.dtype === undefined ? [xs[i]] : []));
      return { output, wrt: gradIdx, dispose: () => m && [...m.parameters(), ...m.buffers()].forEach((t) => t.dispose()) };
    },
  });
}

const dropoutCases: Case[] = [
  seeded('F.sdpa dropoutP 0.3 (seeded)', 'functional.scaledDotProductAttention', [input([2, 3, 4]), input([2, 5, 4]), input([2, 5, 3])], ([q, k, v]) => ({
    output: nn.functional.scaledDotProductAttention(q, k, v, { dropoutP: 0.3 }),
  })),
  seeded('F.sdpa dropoutP 0.5 bool mask (seeded)', 'functional.scaledDotProductAttention', [input([2, 4, 4]), input([2, 4, 4]), input([2, 4, 4]), bools([2, 1, 4], [1, 1, 0, 1, 1, 1, 1, 0])], ([q, k, v, m]) => ({
    output: nn.functional.scaledDotProductAttention(q, k, v, { dropoutP: 0.5, attnMask: m }),
  })),
  seeded('nn.MHA dropout 0.4 train, weights (seeded)', 'nn.MultiheadAttention', [input([2, 3, 8])], ([x], dtype) => {
    const m = new nn.MultiheadAttention(8, 2, { dropout: 0.4, batchFirst: true, dtype: dtype as 'float32' });
    return { output: joined(() => m.forward(x, x, x)), m };
  }),
  seeded('nn.EncoderLayer default dropout 0.1 train (seeded)', 'nn.TransformerEncoderLayer', [input([3, 2, 8])], ([x], dtype) => {
    const m = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dtype: dtype as 'float32' });
    return { output: m.forward(x), m };
  }),
];

export const transformerCasesAll: Case[] = [...goldenCases('transformer.json', 'transformer'), ...dropoutCases];
