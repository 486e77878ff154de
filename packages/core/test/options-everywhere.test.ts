import { describe, expect, test } from 'vitest';
import { createBackend } from '@logit/backend-cpu';
import {
  arange, data, eye, full, fullLike, io, memory, nn, ones, onesLike, rand, randint, randintLike, randLike, randn, randnLike,
  randperm, tensor, tidy, ValueError, zeros, zerosLike,
} from '@logit/core';

// Issue 15, item 13: every options object of the public API (optim's are checked in
// optim-errors.test.ts) refuses an unknown key with a ValueError naming it, names the camelCase
// form of a snake_case key, and refuses an option that is not supported yet with the reason.
// Each row failed before: the key was silently ignored.

const x = tensor([[0.5, 0.2], [0.1, 0.9]]);
const t = tensor([1, 0], { dtype: 'int32' });
const img = tensor(new Float32Array(16), { shape: [1, 1, 4, 4] });
const w = tensor(new Float32Array(9), { shape: [1, 1, 3, 3] });
const linear = new nn.Linear(2, 2);

const cases: [string, () => unknown, RegExp][] = [
  ['tensor', () => tensor([1, 2], { requires_grad: true } as never), /^tensor: unknown option 'requires_grad'; did you mean 'requiresGrad'\? \(options are camelCase\) \(known options: dtype, requiresGrad, shape\)$/],
  ['zeros', () => zeros([2], { dtyp: 'int32' } as never), /^zeros: unknown option 'dtyp'; did you mean 'dtype'\?/],
  ['ones', () => ones([2], { requires_grad: true } as never), /^ones: unknown option 'requires_grad'/],
  ['full', () => full([2], 1, { device: 'cpu' } as never), /^full: unknown option 'device' \(known options: dtype, requiresGrad\)$/],
  ['arange', () => arange(0, 3, 1, { requires_grad: true } as never), /^arange: unknown option/],
  ['eye', () => eye(2, 2, { dtpye: 'float64' } as never), /^eye: unknown option 'dtpye'/],
  ['rand', () => rand([2], { seed: 1 } as never), /^rand: unknown option 'seed'/],
  ['randn', () => randn([2], { generator: 1 } as never), /^randn: unknown option 'generator'/],
  ['randint', () => randint(0, 3, [2], { requires_grad: false } as never), /^randint: unknown option/],
  ['zerosLike', () => zerosLike(x, { memory_format: 1 } as never), /^zerosLike: unknown option 'memory_format'/],
  ['onesLike', () => onesLike(x, { requires_grad: true } as never), /^onesLike: unknown option/],
  ['fullLike', () => fullLike(x, 2, { requires_grad: true } as never), /^fullLike: unknown option/],
  ['randLike', () => randLike(x, { requires_grad: true } as never), /^randLike: unknown option/],
  ['randnLike', () => randnLike(x, { requires_grad: true } as never), /^randnLike: unknown option/],
  ['randintLike', () => randintLike(t, 0, 2, { requires_grad: true } as never), /^randintLike: unknown option/],
  ['randperm', () => randperm(3, { dtype: 'int32', device: 'cpu' } as never), /^randperm: unknown option 'device'/],
  ['backward', () => x.sum().backward(undefined, { retain_graph: true } as never), /^backward: unknown option 'retain_graph'; did you mean 'retainGraph'\?/],
  ['to', () => x.to({ dtype: 'float64', non_blocking: true } as never), /^to: unknown option 'non_blocking'/],
  ['Module.loadStateDict', () => linear.loadStateDict({}, { strinct: false } as never), /^loadStateDict: unknown option 'strinct'; did you mean 'strict'\?/],
  ['Linear', () => new nn.Linear(2, 3, { biass: false } as never), /^Linear: unknown option 'biass'; did you mean 'bias'\?/],
  ['Conv2d paddingMode', () => new nn.Conv2d(1, 1, 3, { paddingMode: 'mirror', padding: 1 } as never), /^Conv2d: paddingMode must be one of 'zeros', 'reflect', 'replicate', 'circular', got "mirror"/],
  ['Conv2d padding_mode', () => new nn.Conv2d(1, 1, 3, { padding_mode: 'zeros' } as never), /^Conv2d: unknown option 'padding_mode'; did you mean 'paddingMode'\?/],
  ['conv2d', () => nn.functional.conv2d(img, w, null, { padding_mode: 'zeros' } as never), /^conv2d: unknown option 'padding_mode'/],
  ['MaxPool2d', () => new nn.MaxPool2d(2, { return_indices: true } as never), /^MaxPool2d: unknown option 'return_indices'; did you mean 'returnIndices'\?/],
  ['maxPool2d', () => nn.functional.maxPool2d(img, 2, { ceil_mode: true } as never), /^maxPool2d: unknown option 'ceil_mode'; did you mean 'ceilMode'\?/],
  ['BatchNorm1d', () => new nn.BatchNorm1d(2, { track_running_stats: false } as never), /^BatchNorm1d: unknown option 'track_running_stats'; did you mean 'trackRunningStats'\?/],
  ['batchNorm', () => nn.functional.batchNorm(x, null, null, { training: true, momentun: 0.1 } as never), /^batchNorm: unknown option 'momentun'; did you mean 'momentum'\?/],
  ['GELU', () => new nn.GELU({ approx: 'tanh' } as never), /^GELU: unknown option 'approx'/],
  ['gelu', () => nn.functional.gelu(x, { approximation: 'tanh' } as never), /^gelu: unknown option 'approximation'/],
  ['CrossEntropyLoss', () => new nn.CrossEntropyLoss({ ignore_index: 0 } as never), /^CrossEntropyLoss: unknown option 'ignore_index'; did you mean 'ignoreIndex'\?/],
  ['crossEntropy', () => nn.functional.crossEntropy(x, t, { label_smoothing: 0.1 } as never), /^crossEntropy: unknown option 'label_smoothing'; did you mean 'labelSmoothing'\?/],
  ['NLLLoss', () => new nn.NLLLoss({ size_average: true } as never), /^NLLLoss: unknown option 'size_average'/],
  ['nllLoss', () => nn.functional.nllLoss(x, t, { ignore_index: 1 } as never), /^nllLoss: unknown option 'ignore_index'/],
  ['MSELoss', () => new nn.MSELoss({ reduce: false } as never), /^MSELoss: unknown option 'reduce'; did you mean 'reduction'\?|^MSELoss: unknown option 'reduce'/],
  ['mseLoss', () => nn.functional.mseLoss(x, x, { reductions: 'sum' } as never), /^mseLoss: unknown option 'reductions'/],
  ['BCELoss', () => new nn.BCELoss({ pos_weight: x } as never), /^BCELoss: unknown option 'pos_weight'/],
  ['binaryCrossEntropy', () => nn.functional.binaryCrossEntropy(x, x, { weights: x } as never), /^binaryCrossEntropy: unknown option 'weights'; did you mean 'weight'\?/],
  ['BCEWithLogitsLoss', () => new nn.BCEWithLogitsLoss({ pos_weight: x } as never), /^BCEWithLogitsLoss: unknown option 'pos_weight'; did you mean 'posWeight'\?/],
  ['binaryCrossEntropyWithLogits', () => nn.functional.binaryCrossEntropyWithLogits(x, x, { pos_weight: x } as never), /^binaryCrossEntropyWithLogits: unknown option 'pos_weight'/],
  ['kaimingUniform_', () => nn.init.kaimingUniform_(zeros([2, 2]), { nonlinearty: 'relu' } as never), /^kaimingUniform_: unknown option 'nonlinearty'; did you mean 'nonlinearity'\?/],
  ['kaimingNormal_', () => nn.init.kaimingNormal_(zeros([2, 2]), { mode: 'fan_in', gain: 2 } as never), /^kaimingNormal_: unknown option 'gain'/],
  ['DataLoader', () => new data.DataLoader(new data.TensorDataset(x), { batch_size: 2 } as never), /^DataLoader: unknown option 'batch_size'; did you mean 'batchSize'\?/],
  ['io.load', () => io.load(new Uint8Array(0), { device: 'cpu' } as never), /^io.load: unknown option 'device' \(known options: backend\)$/],
];

describe('checkOptions on every options object of the public API', () => {
  for (const [name, call, message] of cases) {
    test(name, () => {
      const before = memory().tensors;
      let err: unknown = null;
      try {
        tidy(call);
      } catch (e) {
        err = e;
      }
      expect(err, `${name} did not throw`).toBeInstanceOf(ValueError);
      expect((err as Error).message).toMatch(message);
      expect(memory().tensors).toBe(before);
    });
  }

  test('io.save (async) and createBackend', async () => {
    await expect(io.save({ x }, { meta_data: {} } as never)).rejects.toThrow(/^io.save: unknown option 'meta_data'; did you mean 'metadata'\?/);
    await expect(createBackend({ threads: 2 } as never)).rejects.toThrow(/^cpu: createBackend: unknown option 'threads' \(it takes no options\)$/);
  });

  test('the right spellings still work', async () => {
    const y = tidy(() => tensor([1, 2], { requiresGrad: true }));
    expect(y.requiresGrad).toBe(true);
    const loss = new nn.CrossEntropyLoss({ ignoreIndex: 0, labelSmoothing: 0.1, reduction: 'sum' });
    expect(loss.ignoreIndex).toBe(0);
    const conv = new nn.Conv2d(1, 1, 3, { paddingMode: 'zeros', padding: 1, bias: false });
    expect(conv.bias).toBeNull();
    y.dispose();
    conv.weight.dispose();
  });
});
