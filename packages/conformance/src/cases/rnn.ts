import { cat, manualSeed, nn, tidy, type DType, type Tensor } from '@logit/core';
import { decodeAll, loadGoldens, type Encoded } from '../oracles/torch.js';
import type { Case, Program, TfjsOracle } from '../types.js';
import { defineCase, input } from './define.js';
import { dtypesOf, goldenInput, groupByBase } from './golden.js';

// The recurrent layers and cells from PyTorch's goldens (tools/goldens/rnn.py): the module is
// built with PyTorch's state dict; the case's output is every result flattened and joined
// (output, h_n, c_n; or h', c' for a cell), and its gradient inputs are the input, the initial
// states and every parameter. Checked against PyTorch, the float64 reference, finite
// differences, TensorFlow.js's basicLSTMCell for the LSTM cell, and (where a backend has the
// fused lstmCell / gruCell kernels) the composition from primitives.

type Module = 'RNN' | 'LSTM' | 'GRU' | 'RNNCell' | 'LSTMCell' | 'GRUCell';

interface RnnGolden {
  name: string;
  module: Module;
  args: [number, number];
  options: Record<string, unknown>;
  mode: 'train' | 'eval';
  dtype: DType;
  state: Record<string, Encoded>;
  input: Encoded;
  states: Encoded[];
  outputs: Encoded[];
  upstream: Encoded[];
  gradInput: Encoded;
  gradStates: Encoded[];
  gradParams: Record<string, Encoded>;
}

type Forward = nn.Module & { forward(x: Tensor, hx?: unknown): unknown };

/** Every result of a forward, flattened and joined in PyTorch's order. */
function joined(module: Module, r: unknown): Tensor {
  const parts = module === 'RNNCell' || module === 'GRUCell' ? [r as Tensor] : ((r as unknown[]).flat(2) as Tensor[]);
  return cat(parts.map((t) => t.flatten()), 0);
}

function build(g: RnnGolden, keys: string[]) {
  return (xs: Tensor[], { dtype }: { dtype: DType }): Program => {
    const Ctor = (nn as unknown as Record<string, new (i: number, h: number, o: object) => Forward>)[g.module];
    const m = new Ctor(g.args[0], g.args[1], { ...g.options, dtype });
    const ns = g.states.length;
    m.loadStateDict(Object.fromEntries(keys.map((k, i) => [k, xs[1 + ns + i]])));
    if (g.mode === 'eval') m.eval();
    const states = xs.slice(1, 1 + ns);
    const pair = g.module === 'LSTM' || g.module === 'LSTMCell';
    const hx = ns === 0 ? undefined : pair ? [states[0], states[1]] : states[0];
    const params = new Map(m.namedParameters());
    return {
      output: tidy(() => joined(g.module, m.forward(xs[0], hx))),
      wrt: [xs[0], ...states, ...keys.map((k) => params.get(k)!)],
      dispose: () => m.parameters().forEach((p) => p.dispose()),
    };
  };
}

/**
 * tfjs-core's basicLSTMCell takes one kernel over [x, h] and gates in the order i, j (= g), f, o,
 * with a forget bias added to f: PyTorch's weights, reordered, with forget bias 0.
 */
function tfjsLstmCell(g: RnnGolden): TfjsOracle | undefined {
  if (g.module !== 'LSTMCell' || g.states.length !== 2 || g.options.bias === false || g.input.shape.length !== 2) return undefined;
  return {
    fn: (tf, [x, h, c, wih, whh, bih, bhh]) => {
      const order = (t: unknown, axis: number) => {
        const [i, f, gg, o] = tf.split(t, 4, axis);
        return tf.concat([i, gg, f, o], axis);
      };
      const kernel = order(tf.transpose(tf.concat([wih, whh], 1)), 1);
      const bias = order(tf.add(bih, bhh), 0);
      const [cNew, hNew] = tf.basicLSTMCell(tf.scalar(0), kernel, bias, x, c, h);
      return tf.concat([tf.reshape(hNew, [-1]), tf.reshape(cNew, [-1])], 0);
    },
  };
}

function rnnGoldenCases(): Case[] {
  const golden = loadGoldens<{ cases: RnnGolden[] }>('rnn.json');
  if (!golden) return [];
  const cases: Case[] = [];
  for (const [name, group] of groupByBase(golden.cases)) {
    const g = Object.values(group)[0]!;
    const keys = Object.keys(g.gradParams);
    const torch: Case['torch'] = {};
    for (const [d, gd] of Object.entries(group) as [DType, RnnGolden][]) {
      torch[d] = {
        source: 'rnn.json',
        output: gd.outputs.flatMap(decodeAll),
        grads: [decodeAll(gd.gradInput), ...gd.gradStates.map(decodeAll), ...keys.map((k) => decodeAll(gd.gradParams[k]))],
      };
    }
    cases.push(
      defineCase('rnn', {
        name: `nn.${name}`, op: `nn.${g.module}`, dtypes: dtypesOf(group),
        inputs: [
          goldenInput(group, (c) => c.input, true),
          ...g.states.map((_, k) => goldenInput(group, (c) => c.states[k], true)),
          ...keys.map((k) => goldenInput(group, (c) => c.state[k], true)),
        ],
        run: build(g, keys),
        upstream: (d) => (group[d] ?? g).upstream.flatMap(decodeAll),
        torch,
        tfjs: tfjsLstmCell(g),
        note: g.module === 'LSTMCell' ? undefined : 'tfjs: tfjs-core has no recurrent layer op (tf.layers is a separate package)',
      }),
    );
  }
  return cases;
}

/** Dropout between layers in training: the masks come from the seeded Philox stream, the same on every backend. */
const lstmDropoutTrain = defineCase('rnn', {
  name: 'nn.LSTM 2 layers dropout 0.3 train (seeded)', op: 'nn.LSTM', inputs: [input([4, 2, 3])],
  run: ([x]) => {
    manualSeed(17);
    const m = new nn.LSTM(3, 4, { numLayers: 2, dropout: 0.3, dtype: x.dtype as 'float32' });
    const output = tidy(() => {
      const [out, [h, c]] = m.forward(x);
      return cat([out.flatten(), h.flatten(), c.flatten()], 0);
    });
    return { output, wrt: [x], dispose: () => m.parameters().forEach((p) => p.dispose()) };
  },
});

export const rnnCasesAll: Case[] = [...rnnGoldenCases(), lstmDropoutTrain];
