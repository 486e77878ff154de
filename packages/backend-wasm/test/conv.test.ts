import type { Backend, Conv2dSpec, Pool2dSpec, Storage } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../src/index.js';
import { randomData } from '@logit/conformance';
import { expectClose, expectSame } from '@logit/conformance/vitest';
import { cpu, runOn, wasm, wasmSimd } from './builds.js';

// The fused conv and pooling kernels at sizes conformance is too small for: the mnist Net's
// second convolution (products big enough for threads), batches split across threads and,
// for the weight gradient, into several jobs. Each is checked against backend-cpu and, with
// threads, bit for bit against one thread (every sample is computed whole by one thread, and
// the weight gradient's per-sample terms are summed in sample order).

function spec(batch: number, c: number, o: number, hw: [number, number], k: number, more: Partial<Conv2dSpec> = {}): Conv2dSpec {
  const s = { batch, inChannels: c, outChannels: o, groups: 1, inSize: hw, outSize: [0, 0] as [number, number], kernel: [k, k] as [number, number],
    stride: [1, 1] as [number, number], padding: [0, 0] as [number, number], dilation: [1, 1] as [number, number], ...more };
  const out = (d: 0 | 1) => Math.floor((s.inSize[d] + 2 * s.padding[d] - s.dilation[d] * (s.kernel[d] - 1) - 1) / s.stride[d]) + 1;
  return { ...s, outSize: [out(0), out(1)] };
}

const sizes = (s: Conv2dSpec) => ({
  x: s.batch * s.inChannels * s.inSize[0] * s.inSize[1],
  w: s.outChannels * (s.inChannels / s.groups) * s.kernel[0] * s.kernel[1],
  y: s.batch * s.outChannels * s.outSize[0] * s.outSize[1],
});

/** forward (with bias), input gradient and weight gradient of one geometry on a backend. */
function convAll(be: Backend, s: Conv2dSpec, seed: number) {
  const n = sizes(s);
  const x = randomData('float32', n.x, seed), w = randomData('float32', n.w, seed + 1), b = randomData('float32', s.outChannels, seed + 2);
  const gy = randomData('float32', n.y, seed + 3);
  const f = be.fused!;
  return {
    y: runOn(be, [[x, 'float32'], [w, 'float32'], [b, 'float32']], (_, [xs, ws, bs]) => f.conv2d!(xs, ws, bs, s, 'float32')),
    gx: runOn(be, [[gy, 'float32'], [w, 'float32']], (_, [gs, ws]) => f.conv2dBackwardInput!(gs, ws, s, 'float32')),
    gw: runOn(be, [[x, 'float32'], [gy, 'float32']], (_, [xs, gs]) => f.conv2dBackwardWeight!(xs, gs, s, 'float32')),
  };
}

const GEOMETRIES: [string, Conv2dSpec][] = [
  ['mnist conv2 (32 -> 64, 3x3, 24x24 out), batch 5', spec(5, 32, 64, [26, 26], 3)],
  ['grouped, strided, padded, dilated, batch 3', spec(3, 12, 18, [17, 15], 3, { groups: 3, stride: [2, 1], padding: [2, 1], dilation: [1, 2] })],
  ['1x1 (pointwise), batch 4', spec(4, 40, 24, [9, 7], 1)],
];

describe('fused conv2d on wasm', () => {
  it.each(GEOMETRIES)('%s: forward and both gradients match backend-cpu, on every build', (_name, s) => {
    const ref = convAll(cpu, s, 7);
    for (const be of [wasm, wasmSimd]) {
      const got = convAll(be, s, 7);
      // float32 sums of up to 288 products of values in [-3, 3]: a few ulps of magnitudes near 100
      expectClose(got.y, ref.y, { rtol: 1e-4, atol: 2e-4 }, 'forward');
      expectClose(got.gx, ref.gx, { rtol: 1e-4, atol: 2e-4 }, 'input gradient');
      expectClose(got.gw, ref.gw, { rtol: 1e-4, atol: 1e-3 }, 'weight gradient');
    }
  });

  it('two and three threads give one thread\'s bits, the weight gradient over several jobs too', async () => {
    const shapes: Conv2dSpec[] = [
      ...GEOMETRIES.map(([, s]) => s),
      // a weight-gradient slot of 64 x 2304 floats: 16 MiB of slots hold 28 samples, so 30 run as two jobs
      spec(30, 256, 64, [6, 6], 3),
    ];
    for (const threads of [2, 3]) {
      const mt = await createBackend({ threads });
      expect(mt.threads).toBe(threads);
      for (const s of shapes) {
        const one = convAll(wasm, s, 3);
        const many = convAll(mt, s, 3);
        expectSame(many.y, one.y, `forward, ${threads} threads`);
        expectSame(many.gx, one.gx, `input gradient, ${threads} threads`);
        expectSame(many.gw, one.gw, `weight gradient, ${threads} threads`);
      }
    }
  });
});

describe('fused pooling on wasm', () => {
  const pools: [string, Pool2dSpec][] = [
    ['2x2 stride 2 (SIMD path) over nan and inf', { planes: 6, inSize: [10, 17], outSize: [5, 8], kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], countIncludePad: true, divisorOverride: 0 }],
    ['3x3 stride 2 padding 1, overlapping', { planes: 3, inSize: [9, 8], outSize: [5, 4], kernel: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1], countIncludePad: false, divisorOverride: 0 }],
  ];
  it.each(pools)('%s: max (values, indices, gradient) and avg (forward, gradient) equal backend-cpu exactly', (_name, s) => {
    const n = s.planes * s.inSize[0] * s.inSize[1];
    const m = s.planes * s.outSize[0] * s.outSize[1];
    const x = randomData('float32', n, 5, true);
    const gy = randomData('float32', m, 6);
    for (const be of [wasm, wasmSimd]) {
      const run = (b: Backend, pick: (r: { out: Storage; indices: Storage }) => Storage) => runOn(b, [[x, 'float32']], (bb, [xs]) => {
        const r = bb.fused!.maxPool2d!(xs, s, 'float32');
        const keep = pick(r);
        bb.free(keep === r.out ? r.indices : r.out);
        return keep;
      });
      expectSame(run(be, (r) => r.out), run(cpu, (r) => r.out), 'max values');
      expectSame(run(be, (r) => r.indices), run(cpu, (r) => r.indices), 'max indices');
      const idx = run(cpu, (r) => r.indices);
      const back = (b: Backend) => runOn(b, [[gy, 'float32'], [idx, 'int32']], (bb, [gs, is]) => bb.fused!.maxPool2dBackward!(gs, is, s, 'float32'));
      expectSame(back(be), back(cpu), 'max gradient');
      const avg = (b: Backend) => runOn(b, [[x, 'float32']], (bb, [xs]) => bb.fused!.avgPool2d!(xs, s, 'float32'));
      expectSame(avg(be), avg(cpu), 'avg values');
      const avgBack = (b: Backend) => runOn(b, [[gy, 'float32']], (bb, [gs]) => bb.fused!.avgPool2dBackward!(gs, s, 'float32'));
      expectSame(avgBack(be), avgBack(cpu), 'avg gradient');
    }
  });
});
