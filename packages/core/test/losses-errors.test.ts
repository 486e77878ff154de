import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { DTypeError, IndexError, nn, ShapeError, tensor, ValueError, randn, type Tensor } from '@logit/core';
import { expectCleanThrow } from './helpers/expect-error.js';
import { goldens, makeLoss, toTensor, type GoldenError, type LossName } from './losses-helpers.js';

const CLASSES = { ShapeError, DTypeError, ValueError, IndexError } as const;

const functional: Record<LossName, (x: Tensor, t: Tensor, o: Record<string, unknown>) => Tensor> = {
  NLLLoss: (x, t, o) => nn.functional.nllLoss(x, t, o),
  CrossEntropyLoss: (x, t, o) => nn.functional.crossEntropy(x, t, o),
  MSELoss: (x, t, o) => nn.functional.mseLoss(x, t, o),
  BCELoss: (x, t, o) => nn.functional.binaryCrossEntropy(x, t, o),
  BCEWithLogitsLoss: (x, t, o) => nn.functional.binaryCrossEntropyWithLogits(x, t, o),
};

const FUNCTIONAL_NAMES: Record<LossName, string> = {
  NLLLoss: 'nllLoss', CrossEntropyLoss: 'crossEntropy', MSELoss: 'mseLoss', BCELoss: 'binaryCrossEntropy', BCEWithLogitsLoss: 'binaryCrossEntropyWithLogits',
};

// Where Logit deliberately differs from PyTorch 1.13 (documented in docs/losses.md).
const STRICTER_THAN_PYTORCH = ['ce labelSmoothing < 0 (PyTorch ignores it; Logit throws)', 'mse shape mismatch (PyTorch warns and broadcasts; Logit throws)'];

describe('loss errors match PyTorch', () => {
  test.for(goldens.errors.map((e) => [`${e.loss}: ${e.name}`, e] as const))('%s', ([_name, e]: readonly [string, GoldenError], ctx) => {
    needs(ctx, ...[e.input, e.target, e.weight, e.posWeight].flatMap((x) => (x ? [x.dtype] : [])));
    expect(e.torchRaises).toBe(!STRICTER_THAN_PYTORCH.includes(e.name));
    const cls = CLASSES[e.expect];
    const x = toTensor(e.input);
    const t = toTensor(e.target);
    // the module: the message names the loss; a bad option is refused by the constructor already
    const named = new RegExp(`^${e.loss}: `);
    let lossFn: ReturnType<typeof makeLoss> | null = null;
    try {
      lossFn = makeLoss(e);
    } catch (err) {
      expect(err).toBeInstanceOf(cls);
      expect((err as Error).message).toMatch(named);
    }
    if (lossFn) expectCleanThrow(() => lossFn.forward(x, t), cls, named, [x, t]);
    for (const b of lossFn?.buffers() ?? []) b.dispose();
    // the functional form: same class, named after the function
    const weight = e.weight ? toTensor(e.weight) : undefined;
    const posWeight = e.posWeight ? toTensor(e.posWeight) : undefined;
    expectCleanThrow(() => functional[e.loss](x, t, { ...e.options, weight, posWeight }), cls, new RegExp(`^${FUNCTIONAL_NAMES[e.loss]}: `), [x, t]);
    for (const v of [x, t, weight, posWeight]) v?.dispose();
  });

  test('messages say what was given and what was expected', () => {
    const x = randn([3, 4]);
    const cases: [() => unknown, RegExp][] = [
      [() => nn.functional.crossEntropy(x, tensor([0, 1, 4], { dtype: 'int32' })), /target 4 is out of bounds \(expected 0 <= target < 4/],
      [() => nn.functional.nllLoss(x, tensor([0, 1], { dtype: 'int32' })), /input batch size \(3\) to match target batch size \(2\)/],
      [() => nn.functional.crossEntropy(x, tensor([0, 1, 2], { dtype: 'int32' }), { weight: tensor([1, 2, 3]) }), /weight must be 1-D with one value for each of the 4 classes, got shape \(3\)|\[3\]/],
      [() => new nn.CrossEntropyLoss({ labelSmoothing: 1.5 }), /labelSmoothing must be between 0.0 and 1.0, got 1.5/],
      [() => new nn.MSELoss({ reduction: 'avg' as never }), /reduction must be 'none', 'mean' or 'sum', got "avg"/],
      [() => nn.functional.binaryCrossEntropy(tensor([0.5, 2]), tensor([0, 1])), /between 0 and 1, got 2 at flat index 1/],
      [() => nn.functional.crossEntropy(x, randn([3, 5])), /must have the input's shape/],
    ];
    for (const [fn, msg] of cases) expect(fn).toThrow(msg);
    x.dispose();
  });

  test('weights are not differentiated, as in PyTorch', () => {
    const w = tensor([1, 2, 3, 4], { requiresGrad: true });
    const x = randn([3, 4]);
    expect(() => nn.functional.crossEntropy(x, tensor([0, 1, 2], { dtype: 'int32' }), { weight: w })).toThrow(ValueError);
    expect(() => nn.functional.binaryCrossEntropyWithLogits(x, x, { posWeight: w })).toThrow(/posWeight must not require grad/);
  });
});
