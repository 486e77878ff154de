import {
  argsort, bmm, cat, nn, chunk, cumprod, cumsum, manualSeed, maskedFill, max, min, multinomial, norm, outer, sort, split, std, tidy, topk,
  tril, triu, variance,
  type DType, type Tensor, type ValuesIndices,
} from '@logit/core';
import { decode, decodeAll, loadGoldens, type Encoded } from '../oracles/torch.js';
import type { Case, InputSpec, TfjsOracle } from '../types.js';
import { dtypesOf, goldenInput, groupByBase } from './golden.js';
import { defineCase, input } from './define.js';

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
type Runner = (xs: Tensor[], a: Args) => Tensor | Tensor[] | ValuesIndices;

const F = nn.functional;
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
  sort: ([x], a) => (a.descending ? x.sort({ dim: dim(a, -1), descending: true }) : sort(x, { dim: dim(a, -1) })),
  argsort: ([x], a) => (a.descending ? argsort(x, { dim: dim(a, -1), descending: true }) : x.argsort({ dim: dim(a, -1) })),
  topk: ([x], a) => (a.largest ? x.topk(a.k as number, { dim: dim(a, -1) }) : topk(x, a.k as number, { dim: dim(a, -1), largest: false })),
  max: ([x], a) => (a.keepdim ? max(x, dim(a), true) : x.max(dim(a))),
  min: ([x], a) => (a.keepdim ? min(x, dim(a), true) : x.min(dim(a))),
  cumsum: ([x], a) => (dim(a) === 0 ? cumsum(x, 0) : x.cumsum(dim(a))),
  cumprod: ([x], a) => (dim(a) === 0 ? cumprod(x, 0) : x.cumprod(dim(a))),
  norm: ([x], a) => {
    const p = a.p === undefined ? undefined : a.p === 'fro' ? 'fro' : num(a.p);
    return a.keepdim ? norm(x, p, dims(a), true) : x.norm(p, dims(a));
  },
  repeat: ([x], a) => x.repeat(a.sizes as number[]),
  viewAs: ([x], a) => tidy(() => x.viewAs(x.newZeros(a.shape as number[])).mul(1)),
  newZeros: ([x], a) => x.newZeros(a.shape as number[]),
  newOnes: ([x], a) => x.newOnes(a.shape as number[]),
  newFull: ([x], a) => x.newFull(a.shape as number[], num(a.value)),
  bmm: ([a, b]) => bmm(a, b),
  outer: ([a, b]) => (a.dtype === 'int32' ? outer(a, b) : a.outer(b)),
  // the functional form where the case pads, the layer otherwise
  maxPool2d: ([x], a) => {
    const { kernelSize, ...opts } = a as unknown as { kernelSize: number | [number, number] } & nn.functional.MaxPool2dOptions;
    const [values, indices] = opts.padding === undefined
      ? new nn.MaxPool2d(kernelSize, { ...opts, returnIndices: true }).forward(x)
      : F.maxPool2d(x, kernelSize, { ...opts, returnIndices: true });
    return { values, indices };
  },
  maxUnpool2d: ([x, i], a) => {
    const { kernelSize, ...opts } = a as unknown as { kernelSize: number } & nn.functional.MaxUnpool2dOptions;
    return F.maxUnpool2d(x, i, kernelSize, opts);
  },
  maxUnpool1d: ([x, i], a) => {
    const { kernelSize, ...opts } = a as unknown as { kernelSize: number } & nn.functional.MaxUnpool1dOptions;
    return F.maxUnpool1d(x, i, kernelSize, opts);
  },
  'nn.MaxUnpool2d': ([x, i], a) => {
    const { kernelSize, outputSize, ...opts } = a as unknown as { kernelSize: number } & nn.functional.MaxUnpool2dOptions;
    return new nn.MaxUnpool2d(kernelSize, opts).forward(x, i, outputSize);
  },
  'nn.MaxUnpool1d': ([x, i], a) => {
    const { kernelSize, outputSize, ...opts } = a as unknown as { kernelSize: number } & nn.functional.MaxUnpool1dOptions;
    return new nn.MaxUnpool1d(kernelSize, opts).forward(x, i, outputSize);
  },
  maxPool1d: ([x], a) => {
    const { kernelSize, ...opts } = a as unknown as { kernelSize: number } & nn.functional.MaxPool1dOptions;
    const [values, indices] = opts.padding === undefined
      ? new nn.MaxPool1d(kernelSize, { ...opts, returnIndices: true }).forward(x)
      : F.maxPool1d(x, kernelSize, { ...opts, returnIndices: true });
    return { values, indices };
  },
};

/** TensorFlow.js where it has the op with PyTorch's semantics. */
const square = (x: Encoded): boolean => x.shape.length >= 2 && x.shape.at(-1) === x.shape.at(-2) && x.data.length > 0;

const TFJS: Record<string, (a: Args, inputs: Encoded[], pick: string | null) => TfjsOracle | undefined> = {
  // (tfjs's bandPart throws on a matrix with more rows than columns, or on an empty one)
  tril: (a, [x]) => (a.diagonal === 0 && square(x) ? { fn: (tf, [t]) => tf.linalg.bandPart(t, -1, 0) } : undefined),
  triu: (a, [x]) => (a.diagonal === 0 && square(x) ? { fn: (tf, [t]) => tf.linalg.bandPart(t, 0, -1) } : undefined),
  // tf.moments is the population variance: correction 0
  var: (a) => (a.correction === 0 && a.dim !== undefined ? { fn: (tf, [x]) => tf.moments(x, a.dim, a.keepdim ?? false).variance } : undefined),
  // tf.cumsum is torch.cumsum; its gradient is only right along the last axis (and it takes no negative axis)
  cumsum: (a, [x]) => (x.dtype !== 'bool' && a.dim === x.shape.length - 1 ? { fn: (tf, [t]) => tf.cumsum(t, a.dim) } : undefined),
  // tf.topk drops nan and has no gradient: compared on the values of nan-free inputs
  topk: (a, [x], pick) =>
    pick === 'values' && a.largest && a.dim === -1 && x.dtype !== 'int32' && !decodeAll(x).some(Number.isNaN)
      ? { fn: (tf, [t]) => tf.topk(t, a.k).values, noGrad: 'tf.topk has no gradient' }
      : undefined,
  bmm: () => ({ fn: (tf, [a, b]) => tf.matMul(a, b) }),
  outer: () => ({ fn: (tf, [a, b]) => tf.outerProduct(a, b) }),
  repeat: (a, [x]) => (a.sizes as number[]).length === x.shape.length ? { fn: (tf, [t]) => tf.tile(t, a.sizes) } : undefined,
};

/** Ops whose gradient jumps where two inputs are equal (and the +-inf norm at equal |x|): finite differences straddle the tie. */
const KINKED_AT_TIES = new Set(['sort', 'topk', 'max', 'min', 'maxPool2d', 'maxPool1d']);

function pickOutput(r: ReturnType<Runner>, pick: string | null): Tensor {
  if (Array.isArray(r)) throw new Error('tensor-ops: a runner returned pieces; combine them in the runner');
  if (pick === null) return r as Tensor;
  return (r as ValuesIndices)[pick as keyof ValuesIndices];
}

/** Whether an unpooling's indices name one output position twice within a plane. */
function repeatsInAPlane(indices: Encoded, spatial: number): boolean {
  const plane = indices.shape.slice(-spatial).reduce((a, b) => a * b, 1);
  const data = decodeAll(indices);
  for (let p = 0; p < data.length; p += plane) {
    if (new Set(data.slice(p, p + plane)).size < Math.min(plane, data.length - p)) return true;
  }
  return false;
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
    const values = decodeAll(g.inputs[0]);
    const kinked = KINKED_AT_TIES.has(g.op) || (g.op === 'norm' && !Number.isFinite(num(g.args.p ?? 2)));
    const tied = kinked && new Set(g.op === 'norm' ? values.map(Math.abs) : values).size < values.length;
    const rewritten = /axUnpool/.test(g.op) && repeatsInAPlane(g.inputs[1], g.op.endsWith('2d') ? 2 : 1);
    cases.push(
      defineCase('tensor-ops', {
        name, op: g.op, dtypes: dtypesOf(group), inputs, grad: differentiable,
        // tidy frees the pieces and the output not picked
        run: (xs) => tidy(() => pickOutput(run(xs, g.args), g.pick)),
        upstream: differentiable ? (d, n) => ((group[d] ?? g).upstream ? decodeAll((group[d] ?? g).upstream!) : new Array(n).fill(1)) : undefined,
        torch, tfjs: TFJS[g.op]?.(g.args, g.inputs, g.pick),
        fd: tied ? { skip: 'ties are a kink' } : rewritten ? { skip: 'a position written twice: PyTorch gives both values its gradient, a finite difference sees only the one kept' } : undefined,
      }),
    );
  }
  return cases;
}

/**
 * multinomial has no PyTorch goldens (PyTorch's generator is not Philox): each case seeds the
 * global generator and the samples must equal the float64 reference's exactly. Probabilities are
 * dyadic, so the CDF and u * total are exact in float32 and float64 alike and no sample can sit on
 * a rounding boundary; the race keys of the draws without replacement are far apart.
 */
const DYADIC = [0.25, 0.5, 0.125, 0.125, 0, 0.5, 0, 0.5, 1, 2, 0.5, 0.5];
const draw = (seed: number, n: number, replacement: boolean) => ([p]: Tensor[]): Tensor => {
  manualSeed(seed);
  return replacement ? p.multinomial(n, { replacement: true }) : multinomial(p, n);
};
const multinomialCases: Case[] = [
  defineCase('tensor-ops', { name: 'multinomial with replacement [3,4] (zero-probability categories, unnormalized row)', op: 'multinomial', grad: false, inputs: [input([3, 4], { values: DYADIC })], run: draw(5, 40, true) }),
  defineCase('tensor-ops', { name: 'multinomial with replacement 1-D, one sample', op: 'multinomial', grad: false, inputs: [input([4], { values: DYADIC.slice(0, 4) })], run: draw(11, 1, true) }),
  defineCase('tensor-ops', { name: 'multinomial without replacement [3,4] 2 samples', op: 'multinomial', grad: false, inputs: [input([3, 4], { values: DYADIC })], run: draw(3, 2, false) }),
  defineCase('tensor-ops', { name: 'multinomial without replacement, every category (zeros last)', op: 'multinomial', grad: false, inputs: [input([3, 4], { values: DYADIC })], run: draw(8, 4, false) }),
];

export const tensorOpCasesAll: Case[] = [...opGoldenCases(), ...multinomialCases];
