import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { nn, tidy, type Tensor } from '@logit/core';
import {
  disposeModule, expectClose as expectCloseTo, load, loadState, num, readGolden, runLayerCase, type BatchNormRun, type JsonTensor, type LayerCase,
} from './helpers/golden.js';

// Layer goldens from tools/goldens/nn.py (PyTorch 1.13): each case loads PyTorch's state dict
// (PyTorch's names) into the Logit layer, runs the same input, and compares the output, the
// input gradient and every parameter gradient of sum(output * w), plus BatchNorm's buffers.

interface Nested {
  namedParameters: string[];
  namedBuffers: string[];
  stateDictKeys: string[];
  namedModules: string[];
  state: Record<string, JsonTensor>;
  input: JsonTensor;
  output: JsonTensor;
  gradWeights: JsonTensor;
  gradInput: JsonTensor;
  gradParams: Record<string, JsonTensor>;
  buffersAfter: Record<string, JsonTensor>;
}

const golden = readGolden<{ cases: LayerCase[]; batchnorm: BatchNormRun[]; nested: Nested }>('nn.json');

// float32 within rtol 1e-5 / atol 1e-6 of PyTorch's float32 run; float64 within 1e-9; atol not
// scaled by the values' magnitude
const ABSOLUTE = { scaleAtol: false };
const expectClose = (actual: Tensor | null, expected: JsonTensor, what: string): void => expectCloseTo(actual, expected, what, ABSOLUTE);

const TAKES_OPTIONS = new Set(['Linear', 'Conv2d', 'MaxPool2d', 'BatchNorm1d', 'GELU']);
const HAS_PARAMS = new Set(['Linear', 'Conv2d', 'BatchNorm1d']);

describe('nn layers against PyTorch 1.13', () => {
  test('the golden file covers every layer in both dtypes', () => {
    const layers = new Set(golden.cases.map((c) => c.layer));
    expect([...layers].sort()).toEqual(
      ['BatchNorm1d', 'Conv2d', 'Dropout', 'Flatten', 'GELU', 'LeakyReLU', 'Linear', 'LogSoftmax', 'MaxPool2d', 'ReLU', 'Sigmoid', 'Softmax', 'Tanh'],
    );
    expect(golden.cases.filter((c) => c.dtype === 'float64').length).toBe(golden.cases.length / 2);
  });

  test.for(golden.cases.map((c) => [c.name, c] as const))('%s', ([_name, c], ctx) => {
    needs(ctx, c.dtype);
    runLayerCase(c, TAKES_OPTIONS, HAS_PARAMS, ABSOLUTE);
  });
});

describe('BatchNorm1d running statistics over several steps, then eval', () => {
  test.for(golden.batchnorm.map((r) => [r.name, r] as const))('%s', ([_name, r], ctx) => {
    needs(ctx, r.dtype);
    const momentum = r.options.momentum === undefined ? undefined : (r.options.momentum as number | null);
    const bn = new nn.BatchNorm1d(r.numFeatures, { ...r.options, momentum, dtype: r.dtype });
    loadState(bn, r.state);
    r.steps.forEach((s, i) => {
      tidy(() => expectClose(bn.forward(load(s.input)), s.output, `step ${i} output`));
      expectClose(bn.runningMean, s.buffers.running_mean, `step ${i} running_mean`);
      expectClose(bn.runningVar, s.buffers.running_var, `step ${i} running_var`);
      expect(bn.numBatchesTracked!.itemSync()).toBe(num(s.buffers.num_batches_tracked.data[0]));
    });
    bn.eval();
    tidy(() => expectClose(bn.forward(load(r.evalInput)), r.evalOutput, 'eval output'));
    disposeModule(bn);
  });
});

class Net extends nn.Module {
  fc1 = new nn.Linear(4, 8, { dtype: 'float64' });
  net = new nn.Sequential(
    new nn.Linear(8, 8, { dtype: 'float64' }),
    new nn.ReLU(),
    new nn.BatchNorm1d(8, { dtype: 'float64' }),
    new nn.Linear(8, 6, { bias: false, dtype: 'float64' }),
  );
  fc2 = new nn.Linear(6, 3, { dtype: 'float64' });
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.net.forward(this.fc1.forward(x).tanh()));
  }
}

describe('a nested model (fields fc1, net = Sequential, fc2)', () => {
  const n = golden.nested;
  test("names equal PyTorch's named_parameters, named_buffers, state_dict and named_modules", (ctx) => {
    needs(ctx, 'float64');
    const m = new Net();
    expect(m.namedParameters().map(([k]) => k)).toEqual(n.namedParameters);
    expect(m.namedBuffers().map(([k]) => k)).toEqual(n.namedBuffers);
    const sd = m.stateDict();
    expect(Object.keys(sd)).toEqual(n.stateDictKeys);
    for (const t of Object.values(sd)) t.dispose();
    expect(m.namedModules().map(([k]) => k)).toEqual(n.namedModules);
    disposeModule(m);
  });

  test("loads PyTorch's state dict and matches its forward, gradients and BatchNorm buffers", (ctx) => {
    needs(ctx, 'float64');
    const m = new Net();
    loadState(m, n.state);
    tidy(() => {
      const x = load(n.input, true);
      const y = m.forward(x);
      expectClose(y, n.output, 'output');
      y.mul(load(n.gradWeights)).sum().backward();
      expectClose(x.grad, n.gradInput, 'input grad');
      const params = new Map(m.namedParameters());
      for (const [k, g] of Object.entries(n.gradParams)) expectClose(params.get(k)!.grad, g, `grad of ${k}`);
      const buffers = new Map(m.namedBuffers());
      for (const [k, b] of Object.entries(n.buffersAfter)) {
        if (b.dtype !== 'int32') expectClose(buffers.get(k)!, b, `buffer ${k}`);
        else expect(buffers.get(k)!.itemSync()).toBe(num(b.data[0]));
      }
    });
    disposeModule(m);
  });
});
