import { cat, manualSeed, nn, tidy, type DType, type Tensor } from '@logit/core';
import type { Program, RunContext } from '../types.js';
import type { EdgeEntry } from './edge-shapes.js';
import { input, ints } from './define.js';

// The 0-d and empty shapes of the recurrent, convolution, pooling and normalisation layers and of
// their functional forms (edge-shapes.ts holds the rule). PyTorch refuses a 0-d input to each (the
// reasons below are its errors, checked with torch 2.13); a batch of 0 it takes, and so must Logit.
// Functional forms take their weights as inputs, so the gradients of weight and bias over an
// empty batch (zeros) are compared too; layers are seeded, so their parameters agree across runs.

const F = nn.functional;
type Forward = { forward(x: Tensor): unknown };

/** A layer's empty-batch run: `pick` flattens what forward returns into one tensor. */
const emptyBatch = (make: (dtype: DType) => nn.Module, shape: number[], zeroD: string, pick = (y: unknown, _m: nn.Module) => y as Tensor): EdgeEntry => {
  const run = ([x]: Tensor[], { dtype }: RunContext): Program => {
    manualSeed(21);
    const m = make(dtype);
    const output = tidy(() => pick((m as unknown as Forward).forward(x), m));
    return { output, wrt: [x], dispose: () => [...m.parameters(), ...m.buffers()].forEach((p) => p?.dispose()) };
  };
  return { zeroD, empty: { inputs: [input(shape)], run } };
};

const flat = (ts: Tensor[]): Tensor => cat(ts.map((t) => t.flatten()), 0);
const rnnOut = (y: unknown): Tensor => {
  const [out, h] = y as [Tensor, Tensor | [Tensor, Tensor]];
  return flat([out, ...(Array.isArray(h) ? h : [h])]);
};
const cellOut = (y: unknown): Tensor => (Array.isArray(y) ? flat(y as Tensor[]) : (y as Tensor));
const runningStats = (y: unknown, m: nn.Module): Tensor => {
  const bn = m as nn.BatchNorm2d;
  return flat([y as Tensor, bn.runningMean!, bn.runningVar!]);
};
const f32 = (d: DType) => ({ dtype: d as 'float32' });

const NO_0D_RNN = (name: string) => `PyTorch ${name} takes a 2-D (unbatched) or 3-D input`;
const NO_0D_CELL = (name: string) => `PyTorch ${name} takes a 1-D (unbatched) or 2-D input`;
const NO_0D_2D = (name: string) => `PyTorch ${name} takes a (C, H, W) or (N, C, H, W) input`;
const NO_0D_1D = (name: string) => `PyTorch ${name} takes a (C, L) or (N, C, L) input`;

export const LAYER_EDGES: Record<string, EdgeEntry> = {
  // (PyTorch also refuses a sequence of length 0: 'Expected sequence length to be larger than 0')
  'nn.RNN': emptyBatch((d) => new nn.RNN(3, 2, f32(d)), [4, 0, 3], NO_0D_RNN('RNN'), rnnOut),
  'nn.LSTM': emptyBatch((d) => new nn.LSTM(3, 2, { numLayers: 2, ...f32(d) }), [4, 0, 3], NO_0D_RNN('LSTM'), rnnOut),
  'nn.GRU': emptyBatch((d) => new nn.GRU(3, 2, { batchFirst: true, ...f32(d) }), [0, 4, 3], NO_0D_RNN('GRU'), rnnOut),
  'nn.RNNCell': emptyBatch((d) => new nn.RNNCell(3, 2, f32(d)), [0, 3], NO_0D_CELL('RNNCell'), cellOut),
  'nn.LSTMCell': emptyBatch((d) => new nn.LSTMCell(3, 2, f32(d)), [0, 3], NO_0D_CELL('LSTMCell'), cellOut),
  'nn.GRUCell': emptyBatch((d) => new nn.GRUCell(3, 2, f32(d)), [0, 3], NO_0D_CELL('GRUCell'), cellOut),
  'nn.Conv1d': emptyBatch((d) => new nn.Conv1d(2, 3, 2, f32(d)), [0, 2, 5], NO_0D_1D('Conv1d')),
  'nn.ConvTranspose2d': emptyBatch((d) => new nn.ConvTranspose2d(2, 3, 2, { stride: 2, ...f32(d) }), [0, 2, 3, 3], NO_0D_2D('ConvTranspose2d')),
  // training on an empty batch leaves the running statistics as they were (PyTorch: 0 and 1)
  'nn.BatchNorm1d': emptyBatch((d) => new nn.BatchNorm1d(3, f32(d)), [0, 3], 'PyTorch BatchNorm1d takes a 2-D or 3-D input', runningStats),
  'nn.BatchNorm2d': emptyBatch((d) => new nn.BatchNorm2d(2, f32(d)), [0, 2, 3, 3], NO_0D_2D('BatchNorm2d'), runningStats),
  'nn.GroupNorm': emptyBatch((d) => new nn.GroupNorm(2, 4, f32(d)), [0, 4, 3], 'PyTorch GroupNorm needs at least 2 dims (N, C, ...)'),
  'nn.AvgPool2d': emptyBatch(() => new nn.AvgPool2d(2), [0, 2, 4, 4], NO_0D_2D('AvgPool2d')),
  'nn.AdaptiveAvgPool2d': emptyBatch(() => new nn.AdaptiveAvgPool2d(2), [0, 2, 4, 5], NO_0D_2D('AdaptiveAvgPool2d')),
  'nn.MaxPool1d': emptyBatch(() => new nn.MaxPool1d(2), [0, 2, 4], NO_0D_1D('MaxPool1d')),
  'nn.Upsample': emptyBatch(() => new nn.Upsample({ scaleFactor: 2 }), [0, 2, 3, 3], 'PyTorch Upsample takes 3-D, 4-D or 5-D input'),
  'nn.Unflatten': emptyBatch(() => new nn.Unflatten(1, [2, 3]), [0, 6], 'PyTorch unflatten needs the dim it splits; a 0-d tensor has none'),
  'nn.Dropout2d': emptyBatch(() => new nn.Dropout2d(0.4), [0, 2, 3, 3], 'PyTorch feature dropout needs at least 2 dims'),
  conv2d: {
    zeroD: 'PyTorch conv2d takes a 3-D or 4-D input',
    empty: { inputs: [input([0, 2, 4, 4]), input([3, 2, 2, 2]), input([3])], run: ([x, w, b]) => F.conv2d(x, w, b, { padding: 1 }) },
  },
  convTranspose2d: {
    zeroD: 'PyTorch conv_transpose2d takes a 3-D or 4-D input',
    empty: { inputs: [input([0, 2, 3, 3]), input([2, 3, 2, 2]), input([3])], run: ([x, w, b]) => F.convTranspose2d(x, w, b, { stride: 2 }) },
  },
  maxPool2d: { zeroD: 'PyTorch max_pool2d takes a 3-D or 4-D input', empty: { inputs: [input([0, 2, 4, 4])], run: ([x]) => F.maxPool2d(x, 2) } },
  maxUnpool2d: {
    zeroD: 'PyTorch max_unpool2d takes a 3-D or 4-D input',
    empty: { inputs: [input([0, 2, 2, 2]), ints([0, 2, 2, 2], [])], run: ([x, i]) => F.maxUnpool2d(x, i, 2) },
  },
  maxUnpool1d: {
    zeroD: 'PyTorch max_unpool1d takes a 2-D or 3-D input',
    empty: { inputs: [input([2, 0, 3]), ints([2, 0, 3], [])], run: ([x, i]) => F.maxUnpool1d(x, i, 2) },
  },
  'nn.MaxUnpool2d': {
    zeroD: 'PyTorch MaxUnpool2d takes a 3-D or 4-D input',
    empty: { inputs: [input([2, 0, 2, 2]), ints([2, 0, 2, 2], [])], run: ([x, i]) => new nn.MaxUnpool2d(2).forward(x, i) },
  },
  'nn.MaxUnpool1d': {
    zeroD: 'PyTorch MaxUnpool1d takes a 2-D or 3-D input',
    empty: { inputs: [input([0, 3]), ints([0, 3], [])], run: ([x, i]) => new nn.MaxUnpool1d(2, { stride: 1 }).forward(x, i) },
  },
  maxPool1d: {
    zeroD: 'PyTorch max_pool1d takes a 2-D or 3-D input',
    empty: { inputs: [input([0, 2, 5])], run: ([x]) => tidy(() => F.maxPool1d(x, 2, { returnIndices: true })[0]) },
  },
  avgPool2d: { zeroD: 'PyTorch avg_pool2d takes a 3-D or 4-D input', empty: { inputs: [input([0, 2, 4, 4])], run: ([x]) => F.avgPool2d(x, 3, { stride: 2, padding: 1 }) } },
};
