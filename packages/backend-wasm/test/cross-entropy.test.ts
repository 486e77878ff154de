import type { Backend, CrossEntropySpec, Storage } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { cpu, expectSame, randomData, rng, WASMS } from './helpers.js';

/** Runs the fused kernel on one backend and reads back [loss, logProbs, weightSum], leak-checked. */
function run(be: Backend, x: Float32Array, target: Int32Array, weight: Float32Array | null, spec: CrossEntropySpec): Float32Array[] {
  const before = be.memory();
  const put = (d: Float32Array | Int32Array, dtype: 'float32' | 'int32'): Storage => {
    const s = be.alloc(dtype, d.length);
    be.write(s, d);
    return s;
  };
  const xs = put(x, 'float32');
  const ts = put(target, 'int32');
  const ws = weight ? put(weight, 'float32') : null;
  const r = be.fused!.crossEntropy!(xs, ts, ws, spec, 'float32');
  const out = [r.loss, r.logProbs, r.weightSum].map((s) => {
    const d = be.readSync!(s) as Float32Array;
    be.free(s);
    return d;
  });
  [xs, ts, ...(ws ? [ws] : [])].forEach((s) => be.free(s));
  expect(be.memory()).toEqual(before);
  return out;
}

describe('fused crossEntropy', () => {
  it('matches backend-cpu bit for bit across reductions, weights, label smoothing, ignored entries and K-dim inputs', () => {
    let cases = 0;
    for (const [batch, classes, inner] of [[4, 5, 1], [1, 3, 1], [3, 4, 6], [64, 10, 1], [0, 3, 1]]) {
      for (const reduction of ['none', 'mean', 'sum'] as const) {
        for (const labelSmoothing of [0, 0.1]) {
          for (const weighted of [false, true]) {
            for (const ignoreAll of [false, true]) {
              const r = rng(batch * 100 + classes);
              const x = randomData('float32', batch * classes * inner, classes + inner, true) as Float32Array;
              const target = Int32Array.from({ length: batch * inner }, () => (ignoreAll || r() < 0.2 ? -100 : Math.floor(r() * classes)));
              const weight = weighted ? Float32Array.from({ length: classes }, () => r() * 2) : null;
              const spec: CrossEntropySpec = { batch, classes, inner, ignoreIndex: -100, labelSmoothing, reduction };
              const ref = run(cpu, x, target, weight, spec);
              for (const be of WASMS) {
                run(be, x, target, weight, spec).forEach((o, i) => expectSame(o, ref[i], `${JSON.stringify(spec)} weighted=${weighted} output ${i}`));
              }
              cases++;
            }
          }
        }
      }
    }
    expect(cases).toBe(120);
  });

  it('all entries ignored: mean is nan (0/0), sum is 0', () => {
    const spec = (reduction: 'mean' | 'sum'): CrossEntropySpec => ({ batch: 2, classes: 3, inner: 1, ignoreIndex: 1, labelSmoothing: 0, reduction });
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const t = Int32Array.from([1, 1]);
    expect(Number.isNaN(run(WASMS[0], x, t, null, spec('mean'))[0][0])).toBe(true);
    expect(run(WASMS[0], x, t, null, spec('sum'))[0][0]).toBe(0);
  });
});
