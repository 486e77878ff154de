import { arange, full, gather, indexSelect, nn, oneHot, randint, tensor, zeros, type DType, type Tensor } from '@logit/core';
import type { Case, ExpectedError, InputSpec } from '../types.js';
import { input, ints } from './define.js';

// Error cases: bad input must fail the same way on every backend (class and message of
// backend-cpu's error), at the call or, on an asynchronous device, at the read of the output
// (WebGPU's device-side checks), leaving the inputs intact, nothing leaked and the backend
// working. Each index-taking op and BCELoss's range, then the other refusals of issue 15.

function errorCase(
  op: string, name: string, inputs: readonly InputSpec[], run: (xs: Tensor[]) => Tensor, throws: ExpectedError,
  dtypes: readonly DType[] = ['float32'],
): Case {
  return { family: 'errors', op, name: `${name} throws`, dtypes, inputs, run, throws, grad: false };
}

const idx = (op: string, v: number, size: number, what = `dim 1 with size ${size}`): ExpectedError => ({
  error: 'IndexError',
  message: `${op}: index ${v} is out of bounds for ${what} (expected 0 <= index < ${size})`,
});
const target = (loss: string, v: number, classes: number, ignore = -100): ExpectedError => ({
  error: 'IndexError',
  message: `${loss}: target ${v} is out of bounds (expected 0 <= target < ${classes}, or ignoreIndex ${ignore})`,
});
const probability = (loss: string, v: number, at: number): ExpectedError => ({
  error: 'ValueError',
  message: `${loss}: all elements of input should be between 0 and 1, got ${v} at flat index ${at}`,
});

/** A float input that requires grad inside the case, so its gradient is what the case returns. */
const gradOf = (x: Tensor, loss: (x: Tensor) => Tensor): Tensor => {
  x.requiresGrad_();
  loss(x).backward();
  return x.grad!;
};

const logits = input([2, 3], { values: [0.1, 0.2, 0.3, 1, 2, 3] });

export const indexErrorCases: Case[] = [
  errorCase('gather', 'gather index >= size', [input([2, 3]), ints([2, 2], [0, 7, 2, 1])], ([x, i]) => gather(x, 1, i), idx('gather', 7, 3)),
  errorCase('gather', 'gather negative index', [input([2, 3]), ints([2, 2], [0, 1, -1, 0])], ([x, i]) => gather(x, 1, i), idx('gather', -1, 3)),
  errorCase('gather', 'gather int32 input, index >= size', [ints([3, 2]), ints([1, 2], [3, 0])], ([x, i]) => x.gather(0, i), idx('gather', 3, 3, 'dim 0 with size 3'), ['int32']),
  // the gradient goes through scatterAdd with the same refused index
  errorCase('gather', 'gather gradient of an index >= size', [input([2, 3]), ints([2, 1], [0, 5])], ([x, i]) => gradOf(x, (v) => gather(v, 1, i).sum()), idx('gather', 5, 3)),
  errorCase('maxUnpool2d', 'maxUnpool2d index >= the output plane', [input([1, 1, 2, 2]), ints([1, 1, 2, 2], [0, 16, 2, 5])],
    ([x, i]) => nn.functional.maxUnpool2d(x, i, 2), idx('maxUnpool2d', 16, 16, 'an output plane of 4x4')),
  errorCase('maxUnpool1d', 'maxUnpool1d negative index', [input([2, 3]), ints([2, 3], [0, 1, 2, -1, 4, 5])],
    ([x, i]) => nn.functional.maxUnpool1d(x, i, 2), idx('maxUnpool1d', -1, 6, 'an output of length 6')),
  errorCase('indexSelect', 'indexSelect index >= size', [input([3]), ints([2], [0, 3])], ([x, i]) => indexSelect(x, 0, i), idx('indexSelect', 3, 3, 'dim 0 with size 3')),
  errorCase('indexSelect', 'indexSelect dim 1 negative index', [input([2, 4]), ints([3], [1, -2, 0])], ([x, i]) => x.indexSelect(1, i), idx('indexSelect', -2, 4, 'dim 1 with size 4')),
  errorCase('oneHot', 'oneHot class >= numClasses', [ints([3], [0, 4, 1])], ([t]) => oneHot(t, 3), idx('oneHot', 4, 3, 'numClasses 3'), ['int32']),
  errorCase('oneHot', 'oneHot negative class', [ints([2], [-1, 1])], ([t]) => oneHot(t, 3), idx('oneHot', -1, 3, 'numClasses 3'), ['int32']),
  errorCase('embedding', 'embedding index >= numEmbeddings', [input([4, 3]), ints([2, 2], [0, 3, 5, 1])], ([w, i]) => nn.functional.embedding(i, w), {
    error: 'IndexError', message: 'embedding: index 5 is out of range for 4 embeddings (expected 0 <= index < 4)',
  }),
  errorCase('nn.Embedding', 'Embedding gradient of a negative index', [ints([3], [1, -1, 0])], ([i]) => {
    const m = new nn.Embedding(3, 2);
    try {
      m.forward(i).sum().backward();
      return m.weight.grad!.clone();
    } finally {
      m.weight.dispose();
    }
  }, { error: 'IndexError', message: 'embedding: index -1 is out of range for 3 embeddings (expected 0 <= index < 3)' }, ['int32']),
  errorCase('nn.CrossEntropyLoss', 'CrossEntropyLoss target >= C', [logits, ints([2], [1, 3])], ([x, t]) => new nn.CrossEntropyLoss().forward(x, t), target('CrossEntropyLoss', 3, 3)),
  errorCase('nn.CrossEntropyLoss', 'CrossEntropyLoss negative target that is not ignoreIndex', [logits, ints([2], [0, -1])], ([x, t]) => new nn.CrossEntropyLoss().forward(x, t), target('CrossEntropyLoss', -1, 3)),
  errorCase(
    'nn.CrossEntropyLoss', 'CrossEntropyLoss (N, C, T) with ignoreIndex, weight and smoothing, target >= C', [input([2, 3, 2]), ints([2, 2], [0, 9, 1, 2]), input([3], { range: [0.5, 2] })],
    ([x, t, w]) => new nn.CrossEntropyLoss({ weight: w, ignoreIndex: 2, labelSmoothing: 0.1, reduction: 'none' }).forward(x, t), target('CrossEntropyLoss', 9, 3, 2),
  ),
  errorCase('nn.CrossEntropyLoss', 'CrossEntropyLoss gradient of a refused target', [logits, ints([2], [7, 0])], ([x, t]) => gradOf(x, (v) => new nn.CrossEntropyLoss().forward(v, t)), target('CrossEntropyLoss', 7, 3)),
  errorCase('crossEntropy', 'crossEntropy (functional) target >= C', [logits, ints([2], [2, 3])], ([x, t]) => nn.functional.crossEntropy(x, t), target('crossEntropy', 3, 3)),
  errorCase('nn.NLLLoss', 'NLLLoss target >= C', [logits, ints([2], [5, 0])], ([x, t]) => new nn.NLLLoss().forward(x, t), target('NLLLoss', 5, 3)),
  errorCase('nn.NLLLoss', 'NLLLoss gradient of a refused target', [logits, ints([2], [1, -3])], ([x, t]) => gradOf(x, (v) => new nn.NLLLoss({ reduction: 'sum' }).forward(v, t)), target('NLLLoss', -3, 3)),
  errorCase('nllLoss', 'nllLoss (functional) target >= C', [logits, ints([2], [0, 3])], ([x, t]) => nn.functional.nllLoss(x, t), target('nllLoss', 3, 3)),
  errorCase('nn.BCELoss', 'BCELoss input > 1', [input([3], { values: [0.5, 1.5, 0.25] }), input([3], { values: [1, 0, 1] })], ([x, y]) => new nn.BCELoss().forward(x, y), probability('BCELoss', 1.5, 1)),
  errorCase('nn.BCELoss', 'BCELoss input < 0', [input([2, 2], { values: [0.5, 0.75, -0.25, 1] }), input([2, 2], { values: [1, 0, 1, 0] })], ([x, y]) => new nn.BCELoss({ reduction: 'sum' }).forward(x, y), probability('BCELoss', -0.25, 2)),
  errorCase('nn.BCELoss', 'BCELoss nan input', [input([2], { values: [NaN, 0.5] }), input([2], { values: [1, 0] })], ([x, y]) => new nn.BCELoss().forward(x, y), probability('BCELoss', NaN, 0)),
  errorCase('binaryCrossEntropy', 'binaryCrossEntropy (functional) input > 1', [input([2], { values: [1, 2] }), input([2], { values: [1, 0] })], ([x, y]) => nn.functional.binaryCrossEntropy(x, y), probability('binaryCrossEntropy', 2, 1)),
];

/** What every backend refuses alike before any kernel: creation, 0-d semantics, autograd on a disposed leaf, impossible sizes. */
export const otherErrorCases: Case[] = [
  errorCase('tensor', 'int32 tensor of 2**31', [], () => tensor([2 ** 31], { dtype: 'int32' }), { error: 'ValueError', message: 'tensor: value 2147483648 at index 0 cannot be converted to type int32 without overflow' }),
  errorCase('full', 'int32 full of 1e10', [], () => full([2], 1e10, { dtype: 'int32' }), { error: 'ValueError', message: 'full: value 10000000000 cannot be converted to type int32 without overflow' }),
  errorCase('full', 'int32 full of nan', [], () => full([2], NaN, { dtype: 'int32' }), { error: 'ValueError', message: 'full: value NaN cannot be converted to type int32 without overflow' }),
  errorCase('fill_', 'int32 fill_ of 2**31', [ints([2], [1, 2])], ([t]) => t.fill_(2 ** 31), { error: 'ValueError', message: 'fill_: value 2147483648 cannot be converted to type int32 without overflow' }, ['int32']),
  errorCase('randint', 'int32 randint above 2**31', [], () => randint(2 ** 31, 2 ** 31 + 2, [2]), { error: 'ValueError', message: 'randint: value 2147483648 cannot be converted to type int32 without overflow' }),
  errorCase('select', 'select on a 0-d tensor', [input([])], ([x]) => x.select(0, 0), { error: 'IndexError', message: 'select: cannot be applied to a 0-dim tensor (it has no dim to select from)' }),
  errorCase('transpose', 'transpose(0, 1) on a 0-d tensor', [input([])], ([x]) => x.transpose(0, 1), { error: 'IndexError', message: 'transpose: dim 1 is out of range for a tensor of rank 0 (expected a dim in [-1, 0])' }),
  errorCase('backward', 'backward into a disposed leaf', [input([3])], ([x]) => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const loss = w.mul(x).sum();
    w.dispose();
    loss.backward();
    return loss;
  }, { error: 'ValueError', message: /^backward: leaf tensor #\d+ of shape \[3\] was disposed before backward, so it cannot receive a gradient; keep it/ }),
  errorCase('zeros', 'zeros([1e6, 1e6])', [], () => zeros([1e6, 1e6]), { error: 'BackendError', message: /^cpu: fill could not allocate its result in host memory/, classOnly: true }),
  errorCase('arange', 'arange(0, 1e12)', [], () => arange(0, 1e12), { error: 'BackendError', message: /^arange: cannot hold 1000000000000 int32 elements in host memory/ }),
  errorCase('Conv2d', "Conv2d paddingMode 'mirror' (no such mode)", [], () => new nn.Conv2d(1, 1, 3, { paddingMode: 'mirror', padding: 1 } as never).forward(zeros([1, 1, 4, 4])), {
    error: 'ValueError', message: 'Conv2d: paddingMode must be one of \'zeros\', \'reflect\', \'replicate\', \'circular\', got "mirror"',
  }),
  errorCase('CrossEntropyLoss', 'CrossEntropyLoss ignore_index (snake_case)', [], () => new nn.CrossEntropyLoss({ ignore_index: 0 } as never).forward(zeros([1, 2]), zeros([1], { dtype: 'int32' })), {
    error: 'ValueError', message: "CrossEntropyLoss: unknown option 'ignore_index'; did you mean 'ignoreIndex'? (options are camelCase) (known options: weight, ignoreIndex, reduction, labelSmoothing)",
  }),
];

export const errorCasesAll: Case[] = [...indexErrorCases, ...otherErrorCases];
