import { afterEach, describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { logSoftmax, setFusedKernelsEnabled, softmax, tensor } from '@logit/core';
import { expectClose } from './helpers/reference.js';

const NAN = NaN;
const INF = Infinity;
afterEach(() => setFusedKernelsEnabled(true));

/** softmax of one row in float64: exp(x - max) / sum. */
function softmaxRow(v: number[]): number[] {
  const m = Math.max(...v);
  const e = v.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

for (const fused of [true, false]) {
  describe(`softmax / logSoftmax values (fused kernels ${fused ? 'on' : 'off'})`, () => {
    test('along a size-0 dim (or any dim of an empty tensor) the result is an empty tensor', async () => {
      setFusedKernelsEnabled(fused);
      const x = tensor(new Float32Array(0), { shape: [0, 3] });
      for (const d of [0, 1]) {
        expect(softmax(x, d).shape).toEqual([0, 3]);
        expect(logSoftmax(x, d).shape).toEqual([0, 3]);
      }
    });

    test('against a float64 reference along every dim', async (ctx) => {
      needs(ctx, 'float64');
      setFusedKernelsEnabled(fused);
      const data = Array.from({ length: 24 }, (_, i) => Math.sin(i * 2.3) * 4);
      const x = tensor(Float64Array.from(data), { shape: [2, 3, 4] });
      for (const dim of [0, 1, 2]) {
        const shape = [2, 3, 4];
        const strides = [12, 4, 1];
        const ref = new Array<number>(24);
        for (let i = 0; i < 24; i++) {
          const base = i - Math.floor(i / strides[dim]) % shape[dim] * strides[dim];
          if (base !== i) continue;
          const idx = Array.from({ length: shape[dim] }, (_, j) => base + j * strides[dim]);
          softmaxRow(idx.map((k) => data[k])).forEach((v, j) => (ref[idx[j]] = v));
        }
        expectClose(await softmax(x, dim).data(), ref);
        expectClose(await x.logSoftmax(dim - 3).data(), ref.map(Math.log));
      }
    });

    test('stable for large logits, and a row of one element', async (ctx) => {
      needs(ctx, 'float64');
      setFusedKernelsEnabled(fused);
      const x = tensor(Float64Array.from([1000, 1001, 1002]));
      expectClose(await x.softmax(0).data(), softmaxRow([0, 1, 2]));
      expectClose(await x.logSoftmax(0).data(), softmaxRow([0, 1, 2]).map(Math.log));
      expectClose(await tensor([[5], [7]]).logSoftmax(1).data(), [0, 0]);
    });

    test('-inf entries: logSoftmax([-inf, 0]) = [-inf, 0], softmax = [0, 1]', async (ctx) => {
      needs(ctx, 'float64');
      setFusedKernelsEnabled(fused);
      const x = tensor(Float64Array.from([-INF, 0]));
      expectClose(await logSoftmax(x, 0).data(), [-INF, 0]);
      expectClose(await softmax(x, 0).data(), [0, 1]);
    });

    test('nan anywhere in a row makes that row nan', async (ctx) => {
      needs(ctx, 'float64');
      setFusedKernelsEnabled(fused);
      const x = tensor(Float64Array.from([1, NAN, 2, 1, 2, 3]), { shape: [2, 3] });
      const y = await x.logSoftmax(1).data();
      expectClose(y.slice(0, 3), [NAN, NAN, NAN]);
      expectClose(y.slice(3), softmaxRow([1, 2, 3]).map(Math.log));
    });

    test('scalars, size-0 dims and int32 inputs', async () => {
      setFusedKernelsEnabled(fused);
      expect(await tensor(3).softmax(0).tolist()).toBe(1);
      expect(await tensor(3).logSoftmax(-1).tolist()).toBe(0);
      expect(tensor(new Float32Array(0), { shape: [0, 3] }).softmax(1).shape).toEqual([0, 3]);
      const i = tensor([0, 1], { dtype: 'int32' }).softmax(0);
      expect(i.dtype).toBe('float32');
      expectClose(await i.data(), softmaxRow([0, 1]).map(Math.fround), 0);
    });
  });
}
