import {
  chunk, clamp, full, manualSeed, multinomial, nn, oneHot, optim, outer, rand, randint, randn, split, stack, tidy, where, zeros,
  type DType, type Tensor,
} from '@logit/core';
import type { Case, InputSpec, Program, RunContext } from '../types.js';
import { bools, defineCase, input, ints } from './define.js';
import { LAYER_EDGES } from './edge-shapes-layers.js';

// 0-d and empty shapes everywhere: each op of the catalogue on a 0-d tensor and on a tensor with
// a size-0 dim, as PyTorch takes them, or the reason it does not (checked by test/catalogue.test.ts:
// every op has both, here or among its own cases).

interface Edge {
  inputs: InputSpec[];
  run: (xs: Tensor[], ctx: RunContext) => Tensor | Program;
  grad?: boolean;
}

/** An op's 0-d and empty cases; a string is why PyTorch has no such call. */
export interface EdgeEntry {
  zeroD: Edge | string;
  empty: Edge | string;
}

const one = (run: (x: Tensor) => Tensor, grad = true): EdgeEntry => ({
  zeroD: { inputs: [input([])], run: ([x]) => run(x), grad },
  empty: { inputs: [input([0, 3])], run: ([x]) => run(x), grad },
});

const noInput = (make: (shape: number[], ctx: RunContext) => Tensor): EdgeEntry => ({
  zeroD: { inputs: [], run: (_x, ctx) => make([], ctx), grad: false },
  empty: { inputs: [], run: (_x, ctx) => make([0, 2], ctx), grad: false },
});

const cmp = (op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'): EdgeEntry => ({
  zeroD: { inputs: [input([]), input([])], run: ([a, b]) => a[op](b), grad: false },
  empty: { inputs: [input([0, 3]), input([3])], run: ([a, b]) => a[op](b), grad: false },
});

/** A layer built at the run's dtype; its parameters are freed with the case. */
const layer = (make: (dtype: DType) => nn.Module, zeroD: string | null, emptyShape: number[]): EdgeEntry => {
  const run = ([x]: Tensor[], { dtype }: RunContext): Program => {
    const m = make(dtype);
    const output = (m as unknown as { forward(x: Tensor): Tensor }).forward(x);
    return { output, wrt: [x], dispose: () => m.parameters().forEach((p) => p.dispose()) };
  };
  return { zeroD: zeroD ?? { inputs: [input([])], run }, empty: { inputs: [input(emptyShape)], run } };
};

const NO_0D_SLICE = 'PyTorch cannot slice, narrow or select a 0-d tensor (it has no dim to index)';

/** Optimizer steps on a 0-d and an empty parameter (the gradient is input 1). */
const step = (make: (p: Tensor) => { step(): unknown; dispose(): void }): EdgeEntry => {
  const run = ([x, g]: Tensor[]): Program => {
    const p = tidy(() => x.detach().clone()).requiresGrad_();
    const opt = make(p);
    p.grad = tidy(() => g.clone());
    opt.step();
    opt.step();
    return { output: p, wrt: [], dispose: () => opt.dispose() };
  };
  return {
    zeroD: { inputs: [input([]), input([])], run, grad: false },
    empty: { inputs: [input([0]), input([0])], run, grad: false },
  };
};

/** Both clip functions on a 0-d and an empty gradient (with a second, ordinary one). */
const clip = (fn: (ps: Tensor[]) => Tensor | null): EdgeEntry => {
  const run = (gs: Tensor[]): Tensor => {
    const ps = gs.map((g) => tidy(() => g.detach().mul(0)).requiresGrad_());
    ps.forEach((p, i) => (p.grad = tidy(() => gs[i].detach().clone())));
    const total = fn(ps);
    const out = tidy(() => stack([...(total ? [total.reshape([])] : []), ...ps.map((p) => p.grad!.sum())]));
    total?.dispose();
    for (const p of ps) p.dispose();
    return out;
  };
  return { zeroD: { inputs: [input([]), input([2])], run, grad: false }, empty: { inputs: [input([0, 2]), input([2])], run, grad: false } };
};

export const EDGE_SHAPES: Record<string, EdgeEntry> = {
  rsqrt: one((x) => tidy(() => x.abs().add(0.5).rsqrt())),
  clamp: one((x) => clamp(x, -0.5, 0.5)),
  clone: one((x) => x.clone()),
  eq: cmp('eq'), ne: cmp('ne'), lt: cmp('lt'), le: cmp('le'), gt: cmp('gt'), ge: cmp('ge'),
  isnan: one((x) => x.isnan(), false),
  logicalNot: one((x) => x.logicalNot(), false),
  where: {
    zeroD: { inputs: [bools([], [1]), input([]), input([])], run: ([c, a, b]) => where(c, a, b) },
    empty: { inputs: [bools([0, 2]), input([2]), input([])], run: ([c, a, b]) => where(c, a, b) },
  },
  cast: one((x) => x.to('int32'), false),
  mean: one((x) => x.mean()),
  max: { zeroD: { inputs: [input([])], run: ([x]) => tidy(() => x.max(0).values) }, empty: { inputs: [input([0, 3])], run: ([x]) => tidy(() => x.max(1).values) } },
  min: { zeroD: { inputs: [input([])], run: ([x]) => tidy(() => x.min(0).values) }, empty: { inputs: [input([0, 3])], run: ([x]) => tidy(() => x.min(1).values) } },
  amax: { zeroD: { inputs: [input([])], run: ([x]) => x.amax() }, empty: { inputs: [input([0, 3])], run: ([x]) => x.amax(1) } },
  amin: { zeroD: { inputs: [input([])], run: ([x]) => x.amin() }, empty: { inputs: [input([0, 3])], run: ([x]) => x.amin(1) } },
  argmax: { zeroD: { inputs: [input([])], run: ([x]) => x.argmax(), grad: false }, empty: { inputs: [input([0, 3])], run: ([x]) => x.argmax(1), grad: false } },
  argmin: { zeroD: { inputs: [input([])], run: ([x]) => x.argmin(), grad: false }, empty: { inputs: [input([0, 3])], run: ([x]) => x.argmin(1), grad: false } },
  logsumexp: { zeroD: { inputs: [input([])], run: ([x]) => x.logsumexp(0) }, empty: { inputs: [input([0, 3])], run: ([x]) => x.logsumexp(0), grad: false } },
  matmul: { zeroD: 'PyTorch matmul needs tensors of at least one dim', empty: 'covered by matmul [0,4] [4,3] and [3,0] [0,2]' },
  reshape: { zeroD: { inputs: [input([])], run: ([x]) => tidy(() => x.reshape(1, 1).mul(2)) }, empty: { inputs: [input([0, 3])], run: ([x]) => tidy(() => x.reshape(3, 0, 1).mul(2)) } },
  view: { zeroD: { inputs: [input([])], run: ([x]) => tidy(() => x.view(-1).mul(2)) }, empty: { inputs: [input([2, 0])], run: ([x]) => tidy(() => x.view(5, 0).mul(2)) } },
  flatten: one((x) => tidy(() => x.flatten().mul(2))),
  squeeze: { zeroD: { inputs: [input([])], run: ([x]) => tidy(() => x.unsqueeze(0).squeeze().mul(2)) }, empty: { inputs: [input([0, 1])], run: ([x]) => tidy(() => x.squeeze(1).mul(2)) } },
  permute: { zeroD: { inputs: [input([])], run: ([x]) => x.permute() }, empty: 'covered by permute empty [0,3]' },
  transpose: { zeroD: { inputs: [input([])], run: ([x]) => x.T }, empty: { inputs: [input([0, 3])], run: ([x]) => x.transpose(0, 1) } },
  expand: { zeroD: 'covered by expand scalar to [2,2]', empty: { inputs: [input([1, 3])], run: ([x]) => x.expand(0, 3) } },
  slice: { zeroD: NO_0D_SLICE, empty: { inputs: [input([0, 4])], run: ([x]) => x.slice(1, 1, 3) } },
  narrow: { zeroD: NO_0D_SLICE, empty: { inputs: [input([0, 4])], run: ([x]) => x.narrow(1, 1, 2) } },
  select: { zeroD: NO_0D_SLICE, empty: { inputs: [input([0, 4])], run: ([x]) => x.select(1, 3) } },
  gather: { zeroD: { inputs: [input([]), ints([], [0])], run: ([x, i]) => x.gather(0, i) }, empty: 'covered by gather empty index' },
  indexSelect: { zeroD: { inputs: [input([]), ints([1], [0])], run: ([x, i]) => x.indexSelect(0, i) }, empty: { inputs: [input([3, 2]), ints([0], [])], run: ([x, i]) => x.indexSelect(0, i) } },
  cat: { zeroD: 'PyTorch cannot concatenate 0-d tensors (stack them)', empty: 'covered by cat dim 0 with an empty part' },
  stack: { zeroD: { inputs: [input([]), input([])], run: (xs) => stack(xs) }, empty: { inputs: [input([0, 2]), input([0, 2])], run: (xs) => stack(xs, 1) } },
  oneHot: { zeroD: { inputs: [ints([], [2])], run: ([t]) => oneHot(t, 4), grad: false }, empty: { inputs: [ints([0], [])], run: ([t]) => oneHot(t, 3), grad: false } },
  fill: noInput((s, { dtype }) => full(s, -1.5, { dtype })),
  rand: noInput((s, { dtype }) => (manualSeed(3), rand(s, { dtype }))),
  randn: noInput((s, { dtype }) => (manualSeed(3), randn(s, { dtype }))),
  randint: noInput((s) => (manualSeed(3), randint(-2, 5, s))),
  'random.uniform': noInput((s, { dtype }) => (manualSeed(4), tidy(() => rand(s, { dtype }).mul(10).sub(3)))),
  'random.normal': noInput((s, { dtype }) => (manualSeed(4), tidy(() => randn(s, { dtype }).mul(2).add(0.5)))),
  'random.bernoulli': noInput((s, { dtype }) => (manualSeed(4), tidy(() => nn.functional.dropout(full(s, 1, { dtype }), 0.3)))),
  'nn.functional.dropout': one((x) => (manualSeed(6), nn.functional.dropout(x, 0.4))),
  'nn.init': noInput((s, { dtype }) => (manualSeed(7), nn.init.uniform_(zeros(s, { dtype }), -1, 2))),
  scatterAdd: { zeroD: 'scatterAdd needs a dim to index: there is none in a 0-d tensor', empty: { inputs: [input([3, 2]), ints([0, 2], [])], run: ([x, i]) => x.gather(0, i) } },
  'nn.Linear': layer((dtype) => new nn.Linear(3, 2, { dtype: dtype as 'float32' }), 'a Linear input has at least one dim (in_features)', [0, 3]),
  'nn.ReLU': layer(() => new nn.ReLU(), null, [0, 3]),
  'nn.LeakyReLU': layer(() => new nn.LeakyReLU(0.1), null, [0, 3]),
  'nn.Tanh': layer(() => new nn.Tanh(), null, [0, 3]),
  'nn.Sigmoid': layer(() => new nn.Sigmoid(), null, [0, 3]),
  'nn.GELU': layer(() => new nn.GELU(), null, [0, 3]),
  'nn.SiLU': layer(() => new nn.SiLU(), null, [0, 3]),
  'nn.Identity': layer(() => new nn.Identity(), null, [0, 3]),
  'nn.Dropout': layer(() => new nn.Dropout(0.5).eval(), null, [0, 3]),
  'nn.Softmax': layer(() => new nn.Softmax(0), null, [0, 3]),
  'nn.LogSoftmax': layer(() => new nn.LogSoftmax(-1), null, [0, 3]),
  'nn.Flatten': layer(() => new nn.Flatten(), 'nn.Flatten starts at dim 1, which a 0-d tensor does not have', [0, 2, 3]),
  'nn.Conv2d': layer((dtype) => new nn.Conv2d(2, 3, 2, { dtype: dtype as 'float32' }), 'a Conv2d input is (C, H, W) or (N, C, H, W)', [0, 2, 4, 4]),
  'nn.MaxPool2d': layer(() => new nn.MaxPool2d(2), 'a MaxPool2d input is (C, H, W) or (N, C, H, W)', [0, 2, 4, 4]),
  'nn.NLLLoss': {
    zeroD: 'covered by the NLLLoss goldens (an unbatched input)',
    empty: { inputs: [input([0, 3]), ints([0], [])], run: ([x, t]) => nn.functional.nllLoss(x, t, { reduction: 'sum' }) },
  },
  'nn.CrossEntropyLoss': {
    zeroD: 'covered by the CrossEntropyLoss goldens (an unbatched input)',
    empty: { inputs: [input([0, 3]), ints([0], [])], run: ([x, t]) => nn.functional.crossEntropy(x, t, { reduction: 'sum' }) },
  },
  'nn.MSELoss': {
    zeroD: 'covered by the MSELoss goldens',
    empty: { inputs: [input([0, 2]), input([0, 2])], run: ([x, t]) => nn.functional.mseLoss(x, t, { reduction: 'mean' }) },
  },
  'nn.BCELoss': {
    zeroD: { inputs: [input([], { range: [0.1, 0.9] }), input([], { range: [0, 1] })], run: ([x, t]) => nn.functional.binaryCrossEntropy(x, t) },
    empty: { inputs: [input([0, 2], { range: [0.1, 0.9] }), input([0, 2])], run: ([x, t]) => nn.functional.binaryCrossEntropy(x, t, { reduction: 'sum' }) },
  },
  'nn.BCEWithLogitsLoss': {
    zeroD: { inputs: [input([]), input([], { range: [0, 1] })], run: ([x, t]) => nn.functional.binaryCrossEntropyWithLogits(x, t) },
    empty: { inputs: [input([0, 2]), input([0, 2])], run: ([x, t]) => nn.functional.binaryCrossEntropyWithLogits(x, t, { reduction: 'mean' }) },
  },
  'optim.SGD': step((p) => new optim.SGD([p], { lr: 0.1, momentum: 0.9 })),
  'optim.Adam': step((p) => new optim.Adam([p], { lr: 0.1 })),
  'optim.AdamW': step((p) => new optim.AdamW([p], { lr: 0.1 })),
  'optim.Adagrad': step((p) => new optim.Adagrad([p], { lr: 0.1 })),
  'optim.Adadelta': step((p) => new optim.Adadelta([p], { lr: 0.5 })),
  'nn.utils.clipGradNorm_': clip((ps) => nn.utils.clipGradNorm_(ps, 0.5)),
  'nn.utils.clipGradValue_': clip((ps) => (nn.utils.clipGradValue_(ps, 0.3), null)),
  maskedFill: { zeroD: 'covered by the maskedFill goldens', empty: { inputs: [input([0, 3]), bools([3], [1, 0, 1])], run: ([x, m]) => x.maskedFill(m, -1) } },
  tril: { zeroD: 'PyTorch tril needs a matrix (at least 2 dims)', empty: 'covered by the tril goldens' },
  triu: { zeroD: 'PyTorch triu needs a matrix (at least 2 dims)', empty: 'covered by the triu goldens' },
  split: { zeroD: 'PyTorch split needs a dim to split', empty: { inputs: [input([0, 4])], run: ([x]) => tidy(() => stack(split(x, 2, 1), 0)) } },
  chunk: { zeroD: 'PyTorch chunk needs a dim to split', empty: { inputs: [input([0, 4])], run: ([x]) => tidy(() => stack(chunk(x, 2, 1), 0)) } },
  var: { zeroD: 'covered by the var goldens', empty: { inputs: [input([0, 3])], run: ([x]) => x.var(1), grad: false } },
  std: { zeroD: 'covered by the std goldens', empty: { inputs: [input([0, 3])], run: ([x]) => x.std(1), grad: false } },
  'nn.Embedding': {
    zeroD: { inputs: [ints([], [2]), input([4, 3])], run: ([i, w]) => nn.functional.embedding(i, w) },
    empty: { inputs: [ints([0, 2], []), input([4, 3])], run: ([i, w]) => nn.functional.embedding(i, w) },
  },
  'nn.LayerNorm': { zeroD: 'LayerNorm normalizes at least one trailing dim', empty: { inputs: [input([0, 4])], run: ([x]) => nn.functional.layerNorm(x, 4) } },
  'nn.RMSNorm': { zeroD: 'RMSNorm normalizes at least one trailing dim', empty: { inputs: [input([0, 4])], run: ([x]) => nn.functional.rmsNorm(x, 4) } },
  'functional.scaledDotProductAttention': {
    zeroD: 'attention takes (..., L, E) queries',
    empty: { inputs: [input([0, 2, 3]), input([0, 4, 3]), input([0, 4, 3])], run: ([q, k, v]) => nn.functional.scaledDotProductAttention(q, k, v) },
  },
  argsort: { zeroD: { inputs: [input([])], run: ([x]) => x.argsort(), grad: false }, empty: { inputs: [input([0, 3])], run: ([x]) => x.argsort({ dim: 1 }), grad: false } },
  topk: {
    zeroD: { inputs: [input([])], run: ([x]) => tidy(() => x.topk(1).values) },
    empty: { inputs: [input([0, 3])], run: ([x]) => tidy(() => x.topk(2, { dim: 1 }).values) },
  },
  cumprod: { zeroD: { inputs: [input([])], run: ([x]) => x.cumprod(0) }, empty: { inputs: [input([0, 3])], run: ([x]) => x.cumprod(1) } },
  // the 2-norm of nothing is 0 (PyTorch's too)
  norm: one((x) => x.norm()),
  repeat: { zeroD: 'covered by the repeat golden "repeat scalar by (3)"', empty: { inputs: [input([0, 3])], run: ([x]) => x.repeat([2, 2]) } },
  viewAs: {
    zeroD: { inputs: [input([])], run: ([x]) => tidy(() => x.viewAs(x.newZeros([1, 1])).mul(2)) },
    empty: { inputs: [input([0, 3])], run: ([x]) => tidy(() => x.viewAs(x.newZeros([3, 0])).mul(2)) },
  },
  newZeros: one((x) => x.newZeros(x.shape.length ? [2, 0] : []), false),
  newOnes: one((x) => x.newOnes(x.shape.length ? [2, 0] : []), false),
  newFull: one((x) => x.newFull(x.shape.length ? [2, 0] : [], -2.5), false),
  bmm: { zeroD: 'PyTorch bmm needs 3-D tensors', empty: 'covered by the bmm golden "bmm empty inner dim"' },
  outer: { zeroD: 'PyTorch outer needs 1-D tensors', empty: { inputs: [input([0]), input([3])], run: ([a, b]) => outer(a, b) } },
  multinomial: {
    zeroD: 'PyTorch multinomial needs a 1-D or 2-D probability tensor',
    empty: { inputs: [input([0, 3], { range: [0.1, 1] })], run: ([p]) => (manualSeed(5), multinomial(p, 2, { replacement: true })), grad: false },
  },
  ...LAYER_EDGES,
};

/** Aliases of one row of the support matrix (the same function under two names). */
const ALIASES: Record<string, string> = {
  'functional.embedding': 'nn.Embedding', 'nn.functional.embedding': 'nn.Embedding', 'functional.layerNorm': 'nn.LayerNorm',
  'functional.rmsNorm': 'nn.RMSNorm', 'nn.MultiheadAttention': 'functional.scaledDotProductAttention',
  'nn.TransformerEncoderLayer': 'functional.scaledDotProductAttention', 'nn.TransformerEncoder': 'functional.scaledDotProductAttention',
};

/** The entry that covers an op's 0-d and empty shapes, where its own cases do not. */
export function edgeEntryOf(op: string): EdgeEntry | undefined {
  return EDGE_SHAPES[op] ?? EDGE_SHAPES[ALIASES[op] ?? ''];
}

export const edgeShapeCasesAll: Case[] = Object.entries(EDGE_SHAPES).flatMap(([op, e]) =>
  (['zeroD', 'empty'] as const).flatMap((kind) => {
    const edge = e[kind];
    if (typeof edge === 'string') return [];
    return [defineCase('edge-shapes', {
      name: `${op} ${kind === 'zeroD' ? '0-d' : 'empty'}`, op, inputs: edge.inputs, run: edge.run, grad: edge.grad ?? true,
    })];
  }));
