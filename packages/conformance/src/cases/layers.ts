import { manualSeed, nn, type DType, type Tensor } from '@logit/core';
import { decodeAll, loadGoldens, type Encoded } from '../oracles/torch.js';
import type { Case, Program, TfjsOracle } from '../types.js';
import { defineCase, input } from './define.js';
import { dtypesOf, goldenInput, groupByBase } from './golden.js';

// Every layer of nn with its options, from PyTorch's goldens (tools/goldens/nn.py): the layer is
// built with PyTorch's state dict, the output and the gradients of the input and of every
// parameter are checked against PyTorch, the float64 reference, finite differences and, where
// tfjs-core has the op, TensorFlow.js. A layer added to nn.py's goldens becomes cases here with
// no code; a layer without goldens is one `layerCase(...)` line below.

export interface LayerGolden {
  name: string;
  layer: string;
  args: unknown[];
  options: Record<string, unknown>;
  mode: 'train' | 'eval';
  dtype: DType;
  state: Record<string, Encoded>;
  input: Encoded;
  output: Encoded;
  gradWeights: Encoded;
  gradInput: Encoded;
  gradParams: Record<string, Encoded>;
}

type Ctor = new (...a: unknown[]) => nn.Module;
const TAKES_OPTIONS = new Set(['Linear', 'Conv2d', 'MaxPool2d', 'BatchNorm1d', 'GELU',
  'Conv1d', 'ConvTranspose2d', 'BatchNorm2d', 'GroupNorm', 'AvgPool2d', 'MaxPool1d', 'Upsample']);
const HAS_PARAMS = new Set(['Linear', 'Conv2d', 'BatchNorm1d', 'Conv1d', 'ConvTranspose2d', 'BatchNorm2d', 'GroupNorm']);

/** Builds `nn[layer]` at the run's dtype, loads the state tensors (inputs 1..) and runs x (input 0). */
export function buildLayer(layer: string, args: unknown[], options: Record<string, unknown>, mode: 'train' | 'eval', stateKeys: string[]) {
  return (xs: Tensor[], { dtype }: { dtype: DType }): Program => {
    const Layer = (nn as unknown as Record<string, Ctor>)[layer];
    const opts = HAS_PARAMS.has(layer) ? { ...options, dtype } : options;
    const m = TAKES_OPTIONS.has(layer) ? new Layer(...args, opts) : new Layer(...args);
    if (stateKeys.length) m.loadStateDict(Object.fromEntries(stateKeys.map((k, i) => [k, xs[i + 1]])));
    if (mode === 'eval') m.eval();
    const output = (m as unknown as { forward(x: Tensor): Tensor }).forward(xs[0]);
    const params = new Map(m.namedParameters());
    return {
      output,
      wrt: [xs[0], ...stateKeys.filter((k) => params.has(k)).map((k) => params.get(k)!)],
      dispose: () => {
        for (const p of m.parameters()) p.dispose();
        for (const b of m.buffers()) b.dispose();
      },
    };
  };
}

/** TensorFlow.js versions of the layers tfjs-core has (NCHW layers are transposed to its NHWC). */
export function tfjsFor(g: LayerGolden): TfjsOracle | undefined {
  const o = g.options;
  switch (g.layer) {
    case 'Linear':
      // tfjs's batched matMul gradient does not reduce a broadcast weight, and it has no 1-D matMul
      if (g.input.shape.length !== 2) return undefined;
      return { fn: (tf, [x, w, b]) => (b ? tf.add(tf.matMul(x, w, false, true), b) : tf.matMul(x, w, false, true)) };
    case 'ReLU': return { fn: (tf, [x]) => tf.relu(x) };
    case 'Tanh': return { fn: (tf, [x]) => tf.tanh(x) };
    case 'Sigmoid': return { fn: (tf, [x]) => tf.sigmoid(x) };
    case 'LeakyReLU': return { fn: (tf, [x]) => tf.leakyRelu(x, (g.args[0] as number | undefined) ?? 0.01) };
    case 'Softmax':
    case 'LogSoftmax': {
      const dim = g.args[0] as number;
      const last = dim === -1 || dim === g.input.shape.length - 1;
      const f = g.layer === 'Softmax' ? 'softmax' : 'logSoftmax';
      return last ? { fn: (tf, [x]) => tf[f](x) } : undefined;
    }
    case 'Conv2d': {
      const plain = !o.groups && !o.dilation && typeof o.padding !== 'string' && g.input.shape.length === 4 && !Array.isArray(o.padding);
      if (!plain) return undefined;
      const pad = (o.padding as number | undefined) ?? 0;
      const stride = (o.stride as number | undefined) ?? 1;
      return {
        fn: (tf, [x, w, b]) => {
          const y = tf.conv2d(tf.transpose(x, [0, 2, 3, 1]), tf.transpose(w, [2, 3, 1, 0]), stride, pad === 0 ? 'valid' : [[0, 0], [pad, pad], [pad, pad], [0, 0]]);
          return tf.transpose(b ? tf.add(y, b) : y, [0, 3, 1, 2]);
        },
      };
    }
    default:
      return undefined;
  }
}

const TFJS_MISSING: Record<string, string> = {
  GELU: 'tfjs-core has no gelu op',
  Flatten: 'a reshape; covered by the shape cases',
  MaxPool2d: 'tfjs maxPool has no dilation or PyTorch-style explicit padding',
  BatchNorm1d: 'tfjs batchNorm takes precomputed moments; training-mode statistics are not one op',
  Dropout: 'tfjs dropout draws from a different random stream',
};

/**
 * The layer cases of a golden file in nn.json's layout (tools/goldens/nn.py, conv.py), with the
 * TensorFlow.js oracle `tfjs` gives and the reasons `missing` gives where it has none.
 */
export function layerGoldenCases(
  file = 'nn.json', family = 'layers', tfjs: (g: LayerGolden) => TfjsOracle | undefined = tfjsFor, missing: Record<string, string> = TFJS_MISSING,
): Case[] {
  const golden = loadGoldens<{ cases: LayerGolden[] }>(file);
  const cases: Case[] = [];
  for (const [name, group] of groupByBase(golden.cases)) {
    const g = Object.values(group)[0]!;
    const paramKeys = Object.keys(g.gradParams);
    const stateKeys = [...paramKeys, ...Object.keys(g.state).filter((k) => !paramKeys.includes(k))];
    const torch: Case['torch'] = {};
    for (const [d, gd] of Object.entries(group) as [DType, LayerGolden][]) {
      torch[d] = { source: file, output: decodeAll(gd.output), grads: [decodeAll(gd.gradInput), ...paramKeys.map((k) => decodeAll(gd.gradParams[k]))] };
    }
    cases.push(
      defineCase(family, {
        name: `nn.${name}`, op: `nn.${g.layer}`, dtypes: dtypesOf(group),
        inputs: [goldenInput(group, (c) => c.input, true), ...stateKeys.map((k) => goldenInput(group, (c) => c.state[k], paramKeys.includes(k)))],
        run: buildLayer(g.layer, g.args, g.options, g.mode, stateKeys),
        upstream: (d) => decodeAll((group[d] ?? g).gradWeights),
        torch,
        tfjs: tfjs(g),
        note: missing[g.layer] ? `tfjs: ${missing[g.layer]}` : undefined,
        fd: g.layer === 'MaxPool2d' || g.layer === 'MaxPool1d' ? { skip: 'max pooling has ties and kinks' } : undefined,
      }),
    );
  }
  return cases;
}

/** Training-mode dropout: the mask comes from the seeded Philox stream (the bernoulli random kernel). */
const dropoutTrain = defineCase('layers', {
  name: 'nn.Dropout p 0.3 train (seeded)', op: 'nn.Dropout', inputs: [input([4, 6])],
  run: ([x]) => {
    manualSeed(7);
    const m = new nn.Dropout(0.3);
    return m.forward(x);
  },
});

export const layerCasesAll: Case[] = [...layerGoldenCases(), dropoutTrain];
