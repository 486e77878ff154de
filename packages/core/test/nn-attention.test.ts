import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { DTypeError, ShapeError, Tensor, ValueError, manualSeed, memory, nn, randn, tensor, tidy, zeros } from '@logit/core';
import { expectCleanThrow } from './helpers/expect-error.js';
import { gradcheck, input } from './helpers/gradcheck.js';

// The rules of attention, the norms and the encoder stack that the PyTorch goldens do not pin:
// errors, dropout in training, the deep copies TransformerEncoder makes, memory over steps.

const F = nn.functional;
const data = (t: Tensor): number[] => Array.from(t.dataSync());

describe('scaledDotProductAttention', () => {
  test('bad arguments are typed errors naming the op, and change nothing', (ctx) => {
    needs(ctx, 'float64');
    const q = randn([2, 3, 4]);
    const k = randn([2, 5, 4]);
    const v = randn([2, 5, 6]);
    const m = tensor([[true, false, true, true, true]]);
    expectCleanThrow(() => F.scaledDotProductAttention(q, k, v, { attnMask: m, isCausal: true }), ValueError, /must not be given with isCausal/, [q, k, v, m]);
    const k3 = randn([2, 5, 3]);
    expectCleanThrow(() => F.scaledDotProductAttention(q, k3, v), ShapeError, /query and key must have the same feature size/, [q, k3]);
    const v4 = randn([2, 4, 6]);
    expectCleanThrow(() => F.scaledDotProductAttention(q, k, v4), ShapeError, /key and value must have the same length/, [k, v4]);
    const bad = tensor([true, false]);
    expectCleanThrow(() => F.scaledDotProductAttention(q, k, v, { attnMask: bad }), ShapeError, /attnMask of shape \[2\] does not broadcast to .*\[2, 3, 5\]/, [bad]);
    const q64 = randn([2, 3, 4], { dtype: 'float64' });
    expectCleanThrow(() => F.scaledDotProductAttention(q64, k, v), DTypeError, /key has dtype float32 but the input has dtype float64/, [q64]);
    expect(() => F.scaledDotProductAttention(q, k, v, { enableGqa: true })).toThrow(/option 'enableGqa' is not supported yet/);
    expect(() => F.scaledDotProductAttention(q, k, v, { dropoutP: 1.5 })).toThrow(/dropout probability has to be between 0 and 1/);
  });

  test('dropoutP applies whenever it is > 0 (as PyTorch: no training flag); 1 zeroes everything', () => {
    const [q, k, v] = [randn([1, 4, 3]), randn([1, 4, 3]), randn([1, 4, 3])];
    expect(data(F.scaledDotProductAttention(q, k, v, { dropoutP: 1 }))).toEqual(new Array(12).fill(0));
    manualSeed(1);
    const a = data(F.scaledDotProductAttention(q, k, v, { dropoutP: 0.5 }));
    expect(a).not.toEqual(data(F.scaledDotProductAttention(q, k, v)));
    manualSeed(1);
    expect(data(F.scaledDotProductAttention(q, k, v, { dropoutP: 0.5 }))).toEqual(a);
  });

  test('gradients of q, k, v and a float mask match finite differences, a fully masked row included', async (ctx) => {
    needs(ctx, 'float64');
    const mask = [0, -Infinity, 0.5, -Infinity, -Infinity, -Infinity, 1, 0, -2];
    await gradcheck(
      (q, k, v) => F.scaledDotProductAttention(q, k, v, { attnMask: tensor(mask, { shape: [3, 3], dtype: 'float64' }) }),
      [input([2, 3, 4]), input([2, 3, 4], undefined, -2, 2, 3), input([2, 3, 2], undefined, -2, 2, 5)],
    );
    await gradcheck((q, k, v) => F.scaledDotProductAttention(q, k, v, { isCausal: true, scale: 0.7 }), [input([4, 3]), input([5, 3], undefined, -1, 1, 9), input([5, 2])]);
  });
});

describe('MultiheadAttention', () => {
  test('bad arguments are typed errors naming the layer', () => {
    expect(() => new nn.MultiheadAttention(10, 3)).toThrow(/embedDim \(10\) must be divisible by numHeads \(3\)/);
    expect(() => new nn.MultiheadAttention(8, 2, { addBiasKv: true })).toThrow(/option 'addBiasKv' is not supported yet/);
    expect(() => new nn.MultiheadAttention(8, 2, { batch_first: true } as never)).toThrow(/did you mean 'batchFirst'/);
    const mha = new nn.MultiheadAttention(8, 2, { batchFirst: true });
    const x = randn([2, 5, 8]);
    const mask = zeros([5, 5]);
    expectCleanThrow(() => mha.forward(x, x, x, { isCausal: true }), ValueError, /isCausal is a hint that attnMask is the causal mask/, [x]);
    const [m45, kpm, mi, q6] = [zeros([4, 5]), zeros([5, 2]).bool(), mask.int(), randn([2, 5, 6])];
    expectCleanThrow(() => mha.forward(x, x, x, { attnMask: m45 }), ShapeError, /attnMask must have shape \[5, 5\] or \[4, 5, 5\], got \[4, 5\]/, [x]);
    expectCleanThrow(() => mha.forward(x, x, x, { keyPaddingMask: kpm }), ShapeError, /keyPaddingMask must have shape \[2, 5\]/, [x]);
    expectCleanThrow(() => mha.forward(x, x, x, { attnMask: mi }), DTypeError, /attnMask must be bool or float32/, [x]);
    expectCleanThrow(() => mha.forward(q6, x, x), ShapeError, /query has 6 features in its last dim, expected embedDim 8/, [x]);
  });

  test('dropout acts in training only; eval is deterministic', () => {
    manualSeed(2);
    const mha = new nn.MultiheadAttention(8, 2, { dropout: 0.5, batchFirst: true });
    const x = randn([1, 4, 8]);
    const [a] = mha.forward(x, x, x);
    const [b] = mha.forward(x, x, x);
    expect(data(a)).not.toEqual(data(b));
    mha.eval();
    expect(data(mha.forward(x, x, x)[0])).toEqual(data(mha.forward(x, x, x)[0]));
  });

  test('needWeights: false returns null weights; the output equals the needWeights path where no row is fully masked', () => {
    const mha = new nn.MultiheadAttention(8, 4);
    const x = randn([3, 2, 8]);
    const [y1, w1] = mha.forward(x, x, x);
    const [y2, w2] = mha.forward(x, x, x, { needWeights: false });
    expect(w1!.shape).toEqual([2, 3, 3]);
    expect(w2).toBeNull();
    data(y2).forEach((v, i) => expect(v).toBeCloseTo(data(y1)[i], 6));
    // each row of averaged weights sums to 1
    const sums = data(w1!.sum(-1));
    sums.forEach((s) => expect(s).toBeCloseTo(1, 6));
  });
});

describe('norms', () => {
  test('layerNorm and rmsNorm refuse shapes that do not end in normalizedShape', () => {
    const x = randn([2, 3, 4]);
    expectCleanThrow(() => F.layerNorm(x, [3]), ShapeError, /layerNorm: given normalizedShape \[3\], expected input with shape \[\*, 3\], got \[2, 3, 4\]/, [x]);
    const w = randn([3]);
    expectCleanThrow(() => F.layerNorm(x, 4, { weight: w }), ShapeError, /weight must have shape \[4\]/, [x, w]);
    expectCleanThrow(() => F.rmsNorm(x, [2, 4]), ShapeError, /rmsNorm: given normalizedShape \[2, 4\]/, [x]);
    expect(() => new nn.LayerNorm(4, { eps: -1 })).toThrow(/eps must be a finite non-negative number/);
    expect(() => new nn.LayerNorm([])).toThrow(/normalizedShape must be/);
    expect(new nn.LayerNorm(4, { bias: false }).namedParameters().map(([n]) => n)).toEqual(['weight']);
    expect(new nn.LayerNorm(4, { elementwiseAffine: false }).parameters()).toEqual([]);
  });

  test('layerNorm gradients (input, weight, bias) match finite differences in float64', async (ctx) => {
    needs(ctx, 'float64');
    await gradcheck((x, w, b) => F.layerNorm(x, [2, 3], { weight: w, bias: b }), [input([4, 2, 3]), input([2, 3], undefined, 0.5, 1.5), input([2, 3])]);
    await gradcheck((x, w) => F.rmsNorm(x, 5, { weight: w, eps: 1e-3 }), [input([3, 5]), input([5], undefined, 0.5, 1.5)]);
  });
});

describe('TransformerEncoder', () => {
  test("copies the layer numLayers times: the layer's values in fresh tensors; the layer itself is not registered", () => {
    const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
    const enc = new nn.TransformerEncoder(layer, 3);
    expect(enc.parameters()).toHaveLength(3 * layer.parameters().length);
    const mine = new Set(layer.parameters());
    expect(enc.parameters().some((p) => mine.has(p))).toBe(false);
    for (const [name, p] of layer.namedParameters()) {
      for (let i = 0; i < 3; i++) expect(data(enc.stateDict()[`layers.${i}.${name}`])).toEqual(data(p));
    }
    const l0 = enc.layers.at(0) as nn.TransformerEncoderLayer;
    const l1 = enc.layers.at(1) as nn.TransformerEncoderLayer;
    l0.linear1.bias!.requiresGrad_(false).fill_(5);
    expect(data(l1.linear1.bias!)).toEqual(data(layer.linear1.bias!));
    expect(l0.training && l0.selfAttn.outProj instanceof nn.Linear).toBe(true);
  });

  test('a deep copy keeps a weight tied inside the layer tied in the copy', () => {
    class Tied extends nn.Module {
      a = new nn.Linear(3, 3, { bias: false });
      b = new nn.Linear(3, 3, { bias: false });
      constructor() {
        super();
        this.b.weight = this.a.weight;
      }
      forward(x: Tensor): Tensor {
        return this.b.forward(this.a.forward(x));
      }
    }
    const enc = new nn.TransformerEncoder(new Tied(), 2);
    const c0 = enc.layers.at(0) as Tied;
    expect(c0.b.weight).toBe(c0.a.weight);
    expect(enc.parameters()).toHaveLength(2);
  });

  test('a Module activation is registered as the submodule "activation"; a bad one is refused', () => {
    const layer = new nn.TransformerEncoderLayer(4, 2, { activation: new nn.GELU({ approximate: 'tanh' }), dimFeedforward: 8 });
    expect(layer.namedModules().map(([n]) => n)).toContain('activation');
    expect(() => new nn.TransformerEncoderLayer(4, 2, { activation: 'tanh' as 'relu' })).toThrow(/activation should be 'relu', 'gelu'/);
  });

  test('training steps inside tidy keep memory flat', () => {
    manualSeed(4);
    const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true, normFirst: true }), 2, { norm: new nn.LayerNorm(8) });
    const x = randn([2, 5, 8]);
    const kpm = tensor([[false, false, false, true, true], [false, false, false, false, false]]);
    const step = () => {
      tidy(() => enc.forward(x, { srcKeyPaddingMask: kpm }).square().mean().backward());
      enc.zeroGrad();
    };
    step();
    const before = memory();
    for (let i = 0; i < 3; i++) step();
    expect(memory()).toEqual(before);
  });
});
