import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { DTypeError, IndexError, ShapeError, ValueError, manualSeed, nn, tensor } from '@logit/core';
import { expectCleanThrow } from './helpers/expect-error.js';
import { gradcheck, input } from './helpers/gradcheck.js';

// nn.Embedding and functional.embedding: lookups, gradient accumulation over repeated indices,
// the padding row, initialisation, and errors. PyTorch's values are checked in the transformer
// goldens (nn-transformer-golden.test.ts); these pin the rules themselves.

const F = nn.functional;

describe('Embedding', () => {
  test('picks rows; repeated indices accumulate their gradients; the padding row gets none', () => {
    const weight = tensor([[0, 1], [2, 3], [4, 5], [6, 7]], { requiresGrad: true });
    const idx = tensor([[1, 3, 1], [0, 1, 2]], { dtype: 'int32' });
    const y = F.embedding(idx, weight, { paddingIdx: -3 }); // row 1
    expect(y.shape).toEqual([2, 3, 2]);
    expect(Array.from(y.dataSync())).toEqual([2, 3, 6, 7, 2, 3, 0, 1, 2, 3, 4, 5]);
    const w = tensor([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]);
    y.backward(w);
    // row 0 gets position (1,0); row 1 is padding; row 2 gets (1,2); row 3 gets (0,1)
    expect(Array.from(weight.grad!.dataSync())).toEqual([7, 8, 0, 0, 11, 12, 3, 4]);
  });

  test('without padding, a row picked three times gets the sum of three gradients', () => {
    const weight = tensor([[1, 1], [2, 2]], { requiresGrad: true });
    F.embedding(tensor([1, 1, 0, 1], { dtype: 'int32' }), weight).backward(tensor([[1, 2], [3, 4], [5, 6], [7, 8]]));
    expect(Array.from(weight.grad!.dataSync())).toEqual([5, 6, 11, 14]);
  });

  test('the weight gradient matches finite differences (float64)', async (ctx) => {
    needs(ctx, 'float64');
    const idx = tensor([2, 0, 2, 4, 1], { dtype: 'int32' });
    // (with paddingIdx the padding row's gradient is 0 by definition, not the true derivative)
    await gradcheck((w) => F.embedding(idx, w).tanh(), [input([5, 3])]);
  });

  test('init: N(0, 1) from the seeded generator, the padding row zeros, normalised paddingIdx', (ctx) => {
    needs(ctx, 'float64');
    manualSeed(3);
    const a = new nn.Embedding(6, 4, { paddingIdx: -1 });
    manualSeed(3);
    const b = new nn.Embedding(6, 4, { paddingIdx: -1 });
    expect(a.paddingIdx).toBe(5);
    expect(Array.from(a.weight.dataSync())).toEqual(Array.from(b.weight.dataSync()));
    const rows = a.weight.dataSync();
    expect(Array.from(rows.slice(20))).toEqual([0, 0, 0, 0]);
    expect(Array.from(rows.slice(0, 20)).every((v) => v !== 0)).toBe(true);
    expect(a.namedParameters().map(([n]) => n)).toEqual(['weight']);
    expect(new nn.Embedding(3, 2, { dtype: 'float64' }).weight.dtype).toBe('float64');
  });

  test('fromPretrained: the given values, frozen by default, paddingIdx left as given', () => {
    const e = tensor([[1, 2], [3, 4], [5, 6]]);
    const frozen = nn.Embedding.fromPretrained(e, { paddingIdx: 0 });
    expect(frozen.weight.requiresGrad).toBe(false);
    expect(Array.from(frozen.weight.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    const free = nn.Embedding.fromPretrained(e, { freeze: false });
    free.forward(tensor([2, 0, 2], { dtype: 'int32' })).sum().backward();
    expect(Array.from(free.weight.grad!.dataSync())).toEqual([1, 1, 0, 0, 2, 2]);
    expect(e.isDisposed).toBe(false);
  });

  test('bad input: typed errors naming the op, nothing changed', () => {
    const weight = tensor([[0, 1], [2, 3], [4, 5]], { requiresGrad: true });
    const bad = tensor([0, 3], { dtype: 'int32' });
    expectCleanThrow(() => F.embedding(bad, weight), IndexError, /embedding: index 3 is out of range for 3 embeddings/, [bad, weight]);
    const neg = tensor([-1], { dtype: 'int32' });
    expectCleanThrow(() => F.embedding(neg, weight), IndexError, /index -1 is out of range/, [neg, weight]);
    const floats = tensor([0, 1]);
    expectCleanThrow(() => F.embedding(floats, weight), DTypeError, /embedding: indices must have dtype int32, got float32/, [floats, weight]);
    const ok = tensor([0], { dtype: 'int32' });
    const w1 = tensor([1, 2]);
    expectCleanThrow(() => F.embedding(ok, w1), ShapeError, /weight must be 2-D/, [ok, w1]);
    expectCleanThrow(() => F.embedding(ok, weight, { paddingIdx: 3 }), ValueError, /paddingIdx must be an integer within \[-3, 3\)/, [ok, weight]);
    expect(() => new nn.Embedding(3, 2, { maxNorm: 1 })).toThrow(/option 'maxNorm' is not supported yet/);
    expect(() => new nn.Embedding(3, 2, { padding_idx: 1 } as never)).toThrow(/did you mean 'paddingIdx'/);
    expect(() => new nn.Embedding(-1, 2)).toThrow(ValueError);
  });
});
