import { describe, expect, expectTypeOf, test } from 'vitest';
import { memory, nn, setFusedKernelsEnabled, tensor, tidy, type Tensor } from '@logit/core';

const values = (t: Tensor): number[] => Array.from(t.dataSync());

// returnIndices on max pooling (PyTorch's return_indices): [output, indices], int32 positions in
// each input plane. The values against PyTorch are conformance's (tools/goldens/ops.py, every
// backend, fused and composed); here: the API, the shapes and the types.

const F = nn.functional;

describe('max pooling with returnIndices', () => {
  test('functional and layer forms return [output, indices]; without the flag a tensor', () => {
    const x = tensor([[[[1, 5, 2, 0], [3, 4, 9, 8], [7, 7, 1, 1], [6, 0, 1, 2]]]]);
    const [out, where] = F.maxPool2d(x, 2, { returnIndices: true });
    expect(out.shape).toEqual([1, 1, 2, 2]);
    expect(where.dtype).toBe('int32');
    expect(values(out)).toEqual([5, 9, 7, 2]);
    // row * 4 + col in the plane; the first 7 of the tied pair
    expect(values(where)).toEqual([1, 6, 8, 15]);
    const pool = new nn.MaxPool2d(2, { returnIndices: true });
    const [out2, where2] = pool.forward(x);
    expect(values(out2)).toEqual(values(out));
    expect(values(where2)).toEqual(values(where));
    expect(pool.returnIndices).toBe(true);
    expect(new nn.MaxPool2d(2).forward(x).shape).toEqual([1, 1, 2, 2]);
    [x, out, where, out2, where2].forEach((t) => t.dispose());
  });

  test('unbatched and 1-D inputs keep the output shape for the indices', () => {
    const [o2, i2] = F.maxPool2d(tensor([[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]), 2, { stride: 1, returnIndices: true });
    expect(i2.shape).toEqual([1, 2, 2]);
    expect(values(i2)).toEqual([4, 5, 7, 8]);
    const [o1, i1] = new nn.MaxPool1d(2, { returnIndices: true }).forward(tensor([[3, 1, 2, 8, 8, 0]]));
    expect(values(o1)).toEqual([3, 8, 8]);
    expect(values(i1)).toEqual([0, 3, 4]);
    [o2, i2, o1, i1].forEach((t) => t.dispose());
  });

  test('the composed path (no fused kernel) gives the same indices and gradient, padding and nan included', () => {
    const run = () => tidy(() => {
      const x = tensor([[[[-Infinity, NaN, NaN, 1], [-Infinity, -Infinity, 3, 0.5], [4, -1, 2, 2]]]], { requiresGrad: true });
      const [out, where] = F.maxPool2d(x, 2, { stride: 2, padding: 1, returnIndices: true });
      out.mul(tensor([[[[1, 2, 3], [4, 5, 6]]]])).sum().backward();
      return { where: values(where), grad: values(x.grad!) };
    });
    const before = memory().tensors;
    const fused = run();
    setFusedKernelsEnabled(false);
    try {
      expect(run()).toEqual(fused);
    } finally {
      setFusedKernelsEnabled(true);
    }
    // window (0, 1) holds two nans: the last one wins, as in PyTorch; window (0, 0) is -inf
    // inside and padding outside: its first position inside the input
    expect(fused.where).toEqual([0, 2, 3, 8, 6, 11]);
    expect(fused.grad).toEqual([1, 0, 2, 3, 0, 0, 5, 0, 4, 0, 0, 6]);
    expect(memory().tensors).toBe(before);
  });

  test('the return type follows the option (checked by tsc: pnpm typecheck covers the tests)', () => {
    const typesOnly = (x: Tensor): void => {
      expectTypeOf(F.maxPool2d(x, 2)).toEqualTypeOf<Tensor>();
      expectTypeOf(F.maxPool2d(x, 2, { returnIndices: true })).toEqualTypeOf<[Tensor, Tensor]>();
      expectTypeOf(F.maxPool1d(x, 2, { returnIndices: true })).toEqualTypeOf<[Tensor, Tensor]>();
    };
    expect(typesOnly).toBeTypeOf('function');
    expectTypeOf(new nn.MaxPool2d(2).forward).returns.toEqualTypeOf<Tensor>();
    expectTypeOf(new nn.MaxPool2d(2, { returnIndices: true }).forward).returns.toEqualTypeOf<[Tensor, Tensor]>();
    expectTypeOf(new nn.MaxPool1d(3, { stride: 1 }).forward).returns.toEqualTypeOf<Tensor>();
  });
});
