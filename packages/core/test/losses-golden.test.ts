import { afterEach, describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { memory, setFusedKernelsEnabled, tidy } from '@logit/core';
import { expectClose, goldens, makeLoss, toTensor, type GoldenCase } from './losses-helpers.js';

/** Forward, input gradient and target gradient of one golden case, checked against PyTorch. */
function runCase(c: GoldenCase): string | null {
  const x = toTensor(c.input, true);
  const t = toTensor(c.target, c.targetRequiresGrad);
  const lossFn = makeLoss(c);
  const out = lossFn.forward(x, t);
  const gradFn = out.gradFn?.name ?? null;
  expectClose(out, c.output, `${c.name}: output`);
  const upstream = c.upstream ? toTensor(c.upstream) : null;
  out.backward(upstream ?? undefined);
  expectClose(x.grad!, c.inputGrad, `${c.name}: input grad`);
  if (c.targetGrad) expectClose(t.grad!, c.targetGrad, `${c.name}: target grad`);
  for (const v of [x, t, out, upstream, ...lossFn.buffers()]) v?.dispose();
  return gradFn;
}

afterEach(() => setFusedKernelsEnabled(true));

describe(`losses against PyTorch ${goldens.torch}`, () => {
  const other = goldens.cases.filter((c) => c.loss !== 'CrossEntropyLoss');
  test.for(other.map((c) => [c.name, c] as const))('%s', ([_name, c], ctx) => {
    needs(ctx, c.dtype);
    runCase(c);
  });

  const ce = goldens.cases.filter((c) => c.loss === 'CrossEntropyLoss');
  describe.each([
    ['fused kernels on', true],
    ['fused kernels off', false],
  ] as const)('CrossEntropyLoss, %s', (_label, fused) => {
    test.for(ce.map((c) => [c.name, c] as const))('%s', ([_name, c], ctx) => {
      needs(ctx, c.dtype);
      setFusedKernelsEnabled(fused);
      const gradFn = runCase(c);
      // class-index targets go through the fused kernel exactly when it is enabled
      const classIndex = c.target.dtype === 'int32';
      expect(gradFn === 'crossEntropy').toBe(fused && classIndex);
    });
  });

  test('covers every loss, reduction and dtype', () => {
    for (const loss of ['NLLLoss', 'CrossEntropyLoss', 'MSELoss', 'BCELoss', 'BCEWithLogitsLoss']) {
      for (const reduction of ['none', 'mean', 'sum']) {
        for (const dtype of ['float32', 'float64']) {
          expect(goldens.cases.some((c) => c.loss === loss && c.options.reduction === reduction && c.dtype === dtype)).toBe(true);
        }
      }
    }
  });

  test('no tensor or storage outlives a forward and backward', () => {
    const c = ce.find((k) => k.name.startsWith('ce smoothing weight ignore [none'))!;
    for (const fused of [true, false]) {
      setFusedKernelsEnabled(fused);
      runCase(c);
      const before = memory();
      tidy(() => runCase(c));
      runCase(c); // outside tidy: the loss itself must leave nothing behind
      const after = memory();
      expect(after.tensors).toBe(before.tensors);
      expect(after.storages).toBe(before.storages);
    }
  });
});
