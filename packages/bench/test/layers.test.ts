import { memory, nn, tensor } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { layersBenchmark } from '../src/benchmarks/layers.js';
import { selectContenders } from '../src/contenders/index.js';

const quick = { warmup: 1, samples: 2, minSampleMs: 0 };

describe('layers benchmark', () => {
  it('times each block fused and composed for every Logit column; the ratio is their quotient; memory stays flat', async () => {
    const contenders = selectContenders(['logit-cpu', 'logit-wasm', 'tfjs-cpu']);
    const before = memory().tensors;
    const report = await layersBenchmark.run({ contenders, timing: quick, options: { shape: [2, 4, 8, 2] }, log: () => {} });
    expect(report.table.rows.map((r) => r.block)).toEqual(['layerNorm', 'attention', 'encoderLayer']);
    // tfjs has no layerStep: it is left out, not failed
    expect(report.table.columns.some((c) => c.startsWith('tfjs'))).toBe(false);
    for (const row of report.table.rows) {
      for (const c of ['logit-cpu', 'logit-wasm']) {
        expect(row[`${c} fused`] as number).toBeGreaterThan(0);
        expect(row[`${c} fused/composed`]).toBeCloseTo((row[`${c} fused`] as number) / (row[`${c} composed`] as number), 10);
      }
    }
    expect(report.measurements).toHaveLength(3 * 4);
    expect(memory().tensors).toBe(before);
  });

  it('the step it times is forward + backward of the block: sum(output * upstream) as computed directly', async () => {
    const [c] = selectContenders(['logit-cpu']);
    await c.activate();
    const n = 2 * 3 * 4;
    const x = Float32Array.from({ length: 3 * n }, (_, i) => Math.sin(i));
    const upstream = Float32Array.from({ length: n }, (_, i) => Math.cos(i));
    const step = c.layerStep!({ kind: 'layerNorm', batch: 2, seq: 3, dim: 4, heads: 2, x, upstream }, true);
    const got = await step.step();
    step.dispose();
    const ln = new nn.LayerNorm(4);
    const want = ln.forward(tensor(x.subarray(0, n), { shape: [2, 3, 4] })).mul(tensor(upstream, { shape: [2, 3, 4] })).sum().itemSync();
    expect(got).toBeCloseTo(want, 5);
  });
});
