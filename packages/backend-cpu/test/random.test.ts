import { fillRandom, type DType, type RandomSpec } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { toDType } from '@logit/conformance';
import { runKernelSync } from '@logit/conformance/vitest';
import { createCpuBackend } from '../src/index.js';

const be = createCpuBackend();

const spec = (kind: RandomSpec['kind'], params: [number, number], offset = 0): RandomSpec =>
  ({ kind, key: [0x12345678, 0x9abcdef0], offset, params });

describe('random', () => {
  const cases: [RandomSpec, DType][] = [
    [spec('uniform', [0, 1]), 'float32'], [spec('uniform', [-2, 3], 7), 'float64'], [spec('uniform', [-2, 3], 2 ** 32 - 1), 'float32'],
    [spec('normal', [0, 1]), 'float32'], [spec('normal', [1, 0.5], 11), 'float64'],
    [spec('bernoulli', [0.3, 0]), 'float32'], [spec('bernoulli', [0.5, 0]), 'int32'], [spec('bernoulli', [0.5, 0]), 'bool'],
  ];
  it.each(cases)('%o as %s matches fillRandom, odd sizes included', (s, dtype) => {
    for (const size of [0, 1, 3, 4, 5, 1001]) {
      const got = runKernelSync(be, [], () => be.ops.random(s, size, dtype));
      const ref = new Float64Array(size);
      fillRandom(s, size, ref);
      expect(Array.from(got)).toEqual(Array.from(ref, (v) => toDType(v, dtype)));
    }
  });
  it('uniform values lie in [low, high)', () => {
    for (const dtype of ['float32', 'float64'] as DType[]) {
      const got = runKernelSync(be, [], () => be.ops.random(spec('uniform', [-1, 2], 3), 20000, dtype));
      expect(got.every((v) => v >= -1 && v < 2)).toBe(true);
    }
  });
  it('bernoulli into int32 gives 0/1 with the right rate', () => {
    const got = runKernelSync(be, [], () => be.ops.random(spec('bernoulli', [0.25, 0]), 40000, 'int32'));
    expect(got.every((v) => v === 0 || v === 1)).toBe(true);
    const mean = Array.from(got).reduce((a, v) => a + v, 0) / got.length;
    expect(Math.abs(mean - 0.25)).toBeLessThan(0.01);
  });
});
