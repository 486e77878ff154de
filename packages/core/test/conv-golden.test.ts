import { describe, expect, test } from 'vitest';
import { memory, nn, setFusedKernelsEnabled, tidy, type Tensor } from '@logit/core';
import {
  disposeModule, expectClose, load, loadState, num, readGolden, runLayerCase, type BatchNormRun, type JsonTensor, type LayerCase,
} from './helpers/golden.js';

// Convolution, pooling and normalisation goldens from tools/goldens/conv.py (PyTorch 2.x): each
// layer case loads PyTorch's state dict into the Logit layer, runs the same input, and compares
// the output, the input gradient and every parameter gradient of sum(output * w), plus
// BatchNorm2d's buffers; each case runs twice, with backend-cpu's fused kernels and composed from
// primitives. The functional cases call nn.functional on PyTorch's tensors.

interface FunctionalCase {
  name: string;
  fn: string;
  dtype: 'float32' | 'float64';
  extra: unknown[];
  options: Record<string, unknown>;
  inputs: (JsonTensor | null)[];
  output: JsonTensor;
  gradWeights: JsonTensor;
  grads: (JsonTensor | null)[];
}

const golden = readGolden<{ torch: string; cases: LayerCase[]; functional: FunctionalCase[]; batchnorm2d: BatchNormRun[] }>('conv.json');

const TAKES_OPTIONS = new Set(['Conv1d', 'Conv2d', 'ConvTranspose2d', 'BatchNorm2d', 'GroupNorm', 'AvgPool2d', 'MaxPool1d', 'Upsample']);
const WITH_DTYPE = new Set(['Conv1d', 'Conv2d', 'ConvTranspose2d', 'BatchNorm2d', 'GroupNorm']);

const F = nn.functional;
type Args = (Tensor | null)[];
const FUNCTIONS: Record<string, (xs: Args, extra: unknown[], o: Record<string, unknown>) => Tensor> = {
  conv1d: ([x, w, b], _, o) => F.conv1d(x!, w!, b, o),
  conv2d: ([x, w, b], _, o) => F.conv2d(x!, w!, b, o),
  conv_transpose2d: ([x, w, b], _, o) => F.convTranspose2d(x!, w!, b, o),
  max_pool1d: ([x], [k], o) => F.maxPool1d(x!, k as number, o),
  avg_pool2d: ([x], [k], o) => F.avgPool2d(x!, k as number, o),
  adaptive_avg_pool2d: ([x], [size]) => F.adaptiveAvgPool2d(x!, size as [number, number]),
  group_norm: ([x, w, b], [groups]) => F.groupNorm(x!, groups as number, w, b),
  interpolate: ([x], _, o) => F.interpolate(x!, o),
};

describe.each([['fused kernels', true], ['composed from primitives', false]])(`conv layers against PyTorch ${golden.torch} (%s)`, (_how, fused) => {
  test.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    setFusedKernelsEnabled(fused);
    try {
      runLayerCase(c, TAKES_OPTIONS, WITH_DTYPE);
    } finally {
      setFusedKernelsEnabled(true);
    }
  });
});

describe('the golden file', () => {
  test('covers every layer of issue 12 in both dtypes', () => {
    const layers = new Set(golden.cases.map((c) => c.layer));
    expect([...layers].sort()).toEqual([
      'AdaptiveAvgPool2d', 'AvgPool2d', 'BatchNorm2d', 'Conv1d', 'Conv2d', 'ConvTranspose2d', 'Dropout2d', 'GroupNorm', 'MaxPool1d', 'Unflatten', 'Upsample',
    ]);
    expect(golden.cases.filter((c) => c.dtype === 'float64').length).toBe(golden.cases.length / 2);
  });
});

describe('nn.functional forms against PyTorch', () => {
  test.each(golden.functional.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const before = memory();
    tidy(() => {
      const xs = c.inputs.map((t) => (t ? load(t, true) : null));
      const y = FUNCTIONS[c.fn](xs, c.extra, c.options);
      expectClose(y, c.output, 'output');
      y.mul(load(c.gradWeights)).sum().backward();
      c.grads.forEach((g, i) => g && expectClose(xs[i]!.grad, g, `grad of argument ${i}`));
    });
    expect(memory().tensors).toBe(before.tensors);
  });
});

describe('BatchNorm2d over several steps', () => {
  test.each(golden.batchnorm2d.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    const bn = new nn.BatchNorm2d(r.numFeatures, { ...r.options, dtype: r.dtype });
    loadState(bn, r.state);
    for (const [i, s] of r.steps.entries()) {
      tidy(() => {
        expectClose(bn.forward(load(s.input)), s.output, `step ${i} output`);
        expectClose(bn.runningMean, s.buffers.running_mean, `step ${i} running_mean`);
        expectClose(bn.runningVar, s.buffers.running_var, `step ${i} running_var`);
        expect(bn.numBatchesTracked!.itemSync()).toBe(num(s.buffers.num_batches_tracked.data[0]));
      });
    }
    bn.eval();
    tidy(() => expectClose(bn.forward(load(r.evalInput)), r.evalOutput, 'eval output'));
    disposeModule(bn);
  });
});
