import { cat, chunk, tidy, maskedFill, split, std, tril, triu, variance, type DType, type Tensor } from '@logit/core';
import { decode, decodeAll, loadGoldens, type Encoded } from '../oracles/torch.js';
import type { Case, InputSpec, TfjsOracle } from '../types.js';
import { dtypesOf, goldenInput, groupByBase } from './golden.js';
import { defineCase } from './define.js';

// The sequence-model tensor ops (masks, triangles, splits, moments...) from PyTorch's goldens
// (tools/goldens/ops.py): each golden entry becomes a case through the runner of its op below,
// which calls the method form or the function form of the op, alternating, so both are covered.

interface OpGolden {
  name: string;
  op: string;
  args: Record<string, unknown>;
  /** Which output of a two-output op the entry holds ('values' | 'indices'), else null. */
  pick: string | null;
  dtype: DType;
  inputs: Encoded[];
  gradInputs: boolean[];
  output: Encoded;
  upstream: Encoded | null;
  grads: (Encoded | null)[];
}

type Args = Record<string, unknown>;
type Runner = (xs: Tensor[], a: Args) => Tensor | Tensor[] | Record<string, Tensor>;

const num = (v: unknown): number => decode(v as number | string);
const dim = (a: Args, dflt = 0): number => (a.dim === undefined ? dflt : (a.dim as number));
const dims = (a: Args): number | number[] | undefined => a.dim as number | number[] | undefined;
const varOpts = (a: Args) => ({ correction: a.correction as number | undefined, keepdim: a.keepdim as boolean | undefined });

/** cat([piece_i * (i + 1)]): as the generator writes split/chunk results (where each piece starts shows). */
const scaled = (parts: Tensor[], d: number): Tensor => cat(parts.map((p, i) => (p.dtype === 'bool' ? p : p.mul(i + 1))), d);

const RUNNERS: Record<string, Runner> = {
  maskedFill: ([x, m, v], a) => (v ? maskedFill(x, m, v) : x.maskedFill(m, num(a.value))),
  tril: ([x], a) => (a.diagonal === 0 ? tril(x) : x.tril(a.diagonal as number)),
  triu: ([x], a) => (a.diagonal === 0 ? triu(x) : x.triu(a.diagonal as number)),
  split: ([x], a) => scaled(typeof a.split === 'number' ? x.split(a.split, dim(a)) : split(x, a.split as number[], dim(a)), dim(a)),
  chunk: ([x], a) => scaled((a.chunks as number) % 2 ? x.chunk(a.chunks as number, dim(a)) : chunk(x, a.chunks as number, dim(a)), dim(a)),
  var: ([x], a) => (a.keepdim ? variance(x, dims(a), varOpts(a)) : x.var(dims(a), varOpts(a))),
  std: ([x], a) => (a.keepdim ? std(x, dims(a), varOpts(a)) : x.std(dims(a), varOpts(a))),
};

/** TensorFlow.js where it has the op with PyTorch's semantics. */
const square = (x: Encoded): boolean => x.shape.length >= 2 && x.shape.at(-1) === x.shape.at(-2) && x.data.length > 0;

const TFJS: Record<string, (a: Args, inputs: Encoded[]) => TfjsOracle | undefined> = {
  // (tfjs's bandPart throws on a matrix with more rows than columns, or on an empty one)
  tril: (a, [x]) => (a.diagonal === 0 && square(x) ? { fn: (tf, [t]) => tf.linalg.bandPart(t, -1, 0) } : undefined),
  triu: (a, [x]) => (a.diagonal === 0 && square(x) ? { fn: (tf, [t]) => tf.linalg.bandPart(t, 0, -1) } : undefined),
  // tf.moments is the population variance: correction 0
  var: (a) => (a.correction === 0 && a.dim !== undefined ? { fn: (tf, [x]) => tf.moments(x, a.dim, a.keepdim ?? false).variance } : undefined),
};

function pickOutput(r: ReturnType<Runner>, pick: string | null): Tensor {
  if (Array.isArray(r)) throw new Error('tensor-ops: a runner returned pieces; combine them in the runner');
  if (pick === null) return r as Tensor;
  return (r as Record<string, Tensor>)[pick];
}

function opGoldenCases(): Case[] {
  const golden = loadGoldens<{ cases: OpGolden[] }>('ops.json');
  const cases: Case[] = [];
  for (const [name, group] of groupByBase(golden.cases)) {
    const g = Object.values(group)[0]!;
    const run = RUNNERS[g.op];
    if (!run) throw new Error(`tensor-ops: no runner for golden op '${g.op}' (${name})`);
    const inputs: InputSpec[] = g.inputs.map((_, i) => goldenInput(group, (c) => c.inputs[i], g.gradInputs[i]));
    const torch: Case['torch'] = {};
    for (const [d, gd] of Object.entries(group) as [DType, OpGolden][]) {
      const grads = gd.grads.filter((_, i) => gd.gradInputs[i]).map((e) => (e ? decodeAll(e) : null));
      torch[d] = { source: 'ops.json', output: decodeAll(gd.output), grads };
    }
    const differentiable = g.upstream !== null;
    cases.push(
      defineCase('tensor-ops', {
        name, op: g.op, dtypes: dtypesOf(group), inputs, grad: differentiable,
        // tidy frees the pieces and the output not picked
        run: (xs) => tidy(() => pickOutput(run(xs, g.args), g.pick)),
        upstream: differentiable ? (d, n) => ((group[d] ?? g).upstream ? decodeAll((group[d] ?? g).upstream!) : new Array(n).fill(1)) : undefined,
        torch, tfjs: TFJS[g.op]?.(g.args, g.inputs),
      }),
    );
  }
  return cases;
}

export const tensorOpCasesAll: Case[] = opGoldenCases();
