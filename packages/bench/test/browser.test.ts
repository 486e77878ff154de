// bench --browser end to end: bundles the bench page, runs it in headless Chromium (WebGPU on
// SwiftShader without a GPU) and checks that both columns come back from one adapter. Chromium
// comes from @logit/headless, as for backend-webgpu's browser tests.
import { describe, expect, it } from 'vitest';
import { runInBrowser } from '../src/browser/run.js';
import { checkSameAdapter, profileTable } from '../src/browser/summary.js';

const quick = { warmup: 1, samples: 2, minSampleMs: 0 };
const silent = (): void => {};

describe('bench --browser', () => {
  it('runs matmul for logit-webgpu and tfjs-webgpu on one adapter, answers checked', async () => {
    const n = 32;
    const results = await runInBrowser({ benchmark: 'matmul', timing: quick, options: { sizes: [n] } }, silent, 50_000);
    const { table, measurements } = results.report;
    expect(table.columns).toEqual(['N', 'logit-webgpu', 'tfjs-webgpu', 'logit-webgpu/tfjs-webgpu']);
    expect(measurements.map((m) => m.contender)).toEqual(['logit-webgpu', 'tfjs-webgpu']);
    for (const m of measurements) {
      expect(m.samplesMs).toHaveLength(2);
      expect(m.score).toBeCloseTo((2 * n ** 3) / (m.medianMs * 1e6), 9);
    }
    const row = table.rows[0];
    expect(row['logit-webgpu/tfjs-webgpu']).toBeCloseTo((row['logit-webgpu'] as number) / (row['tfjs-webgpu'] as number), 12);
    expect(checkSameAdapter(results.adapters).vendor).not.toBe('');
    // One matmul and one readback per timed call, for each library.
    for (const p of Object.values(results.profiles[`matmul N=${n}`])) {
      expect(p.dispatches).toBeGreaterThanOrEqual(1);
      expect(p.readbacks).toBe(1);
    }
    expect(profileTable(results.profiles).rows).toHaveLength(2);
  }, 60_000);

  it('trains the mlp on both and fails the run when the page cannot find the benchmark', async () => {
    const results = await runInBrowser(
      { benchmark: 'mlp', timing: quick, options: { batchSizes: [8], layers: [16, 8, 4] } }, silent, 50_000,
    );
    expect(results.report.measurements.map((m) => m.contender)).toEqual(['logit-webgpu', 'tfjs-webgpu']);
    for (const m of results.report.measurements) expect(m.score).toBeCloseTo(1000 / m.medianMs, 9);
    await expect(runInBrowser({ benchmark: 'nope', timing: quick, options: {} }, silent, 50_000)).rejects.toThrow(/no benchmark 'nope'/);
  }, 60_000);
});

describe('checkSameAdapter', () => {
  const a = { vendor: 'google', architecture: 'swiftshader', device: '', description: '' };
  it('returns the shared adapter and rejects a mismatch', () => {
    expect(checkSameAdapter({ x: a, y: { ...a } })).toEqual(a);
    expect(() => checkSameAdapter({ x: a, y: { ...a, vendor: 'nvidia' } })).toThrow(/different adapters/);
    expect(() => checkSameAdapter({})).toThrow(/no adapter/);
  });
});
