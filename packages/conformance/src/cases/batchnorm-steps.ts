import { cat, nn, tidy, type DType, type Tensor } from '@logit/core';
import { decodeAll, loadGoldens, type Encoded } from '../oracles/torch.js';
import type { Case, Program } from '../types.js';
import { defineCase } from './define.js';
import { dtypesOf, goldenInput, groupByBase } from './golden.js';

// BatchNorm1d over several training steps then one eval step, from PyTorch's goldens
// (tools/goldens/nn.py, 'batchnorm'): the running statistics must follow PyTorch step by step,
// momentum null (a cumulative average over the batches seen) included, on every backend. The
// output checked is every step's output, then the final running mean and variance and the
// batch count, then the eval output, flattened and joined.

interface BatchNormGolden {
  name: string;
  options: Record<string, unknown>;
  dtype: DType;
  numFeatures: number;
  state: Record<string, Encoded>;
  steps: { input: Encoded; output: Encoded; buffers: Record<string, Encoded> }[];
  evalInput: Encoded;
  evalOutput: Encoded;
}

const BUFFERS = ['running_mean', 'running_var', 'num_batches_tracked'];

function run(g: BatchNormGolden, stateKeys: string[]) {
  return (xs: Tensor[], { dtype }: { dtype: DType }): Program => {
    const m = new nn.BatchNorm1d(g.numFeatures, { ...g.options, dtype: dtype as 'float32' | 'float64' });
    const steps = g.steps.length;
    m.loadStateDict(Object.fromEntries(stateKeys.map((k, i) => [k, xs[steps + 1 + i]])));
    const output = tidy(() => {
      const outs: Tensor[] = [];
      m.train();
      for (let s = 0; s < steps; s++) outs.push(m.forward(xs[s]).flatten());
      const buffers = new Map(m.namedBuffers());
      for (const k of BUFFERS) outs.push(buffers.get(k)!.to(dtype).flatten());
      m.eval();
      outs.push(m.forward(xs[steps]).flatten());
      return cat(outs, 0);
    });
    return {
      output,
      wrt: [],
      dispose: () => {
        for (const t of [...m.parameters(), ...m.buffers()]) t.dispose();
      },
    };
  };
}

function batchNormStepCases(): Case[] {
  const golden = loadGoldens<{ batchnorm: BatchNormGolden[] }>('nn.json');
  if (!golden) return [];
  const cases: Case[] = [];
  for (const [name, group] of groupByBase(golden.batchnorm)) {
    const g = Object.values(group)[0]!;
    const stateKeys = Object.keys(g.state);
    const torch: Case['torch'] = {};
    for (const [d, gd] of Object.entries(group) as [DType, BatchNormGolden][]) {
      const last = gd.steps[gd.steps.length - 1];
      const output = [...gd.steps.flatMap((s) => decodeAll(s.output)), ...BUFFERS.flatMap((k) => decodeAll(last.buffers[k])), ...decodeAll(gd.evalOutput)];
      torch[d] = { source: 'nn.json', output, grads: [] };
    }
    cases.push(
      defineCase('layers', {
        name: `nn.${name} (${g.steps.length} training steps, then eval)`, op: 'nn.BatchNorm1d', dtypes: dtypesOf(group), grad: false,
        inputs: [
          ...g.steps.map((_, s) => goldenInput(group, (c) => c.steps[s].input, false)),
          goldenInput(group, (c) => c.evalInput, false),
          ...stateKeys.map((k) => goldenInput(group, (c) => c.state[k], false)),
        ],
        run: run(g, stateKeys),
        torch,
      }),
    );
  }
  return cases;
}

export const batchNormStepCasesAll: Case[] = batchNormStepCases();
