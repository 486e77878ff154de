import { describe, expect, it } from 'vitest';
import { matmulBenchmark } from '../src/benchmarks/matmul.js';
import { CONTENDERS, type Contender } from '../src/contenders/index.js';
import type { BenchContext } from '../src/benchmarks/index.js';

const quick = { warmup: 1, samples: 1, minSampleMs: 0 };
const context = (contenders: Contender[], sizes: number[]): BenchContext => ({ contenders, timing: quick, options: { sizes }, log: () => {} });

/** A float64 reference product, independent of both libraries. */
function naiveMatmul(n: number, a: Float32Array, b: Float32Array): Float32Array {
  const c = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
    c[i * n + j] = s;
  }
  return c;
}

describe('bench matmul', () => {
  it.each(CONTENDERS.map((c) => [c.name, c] as const))('%s computes A @ B', async (_, contender) => {
    const n = 33;
    const a = Float32Array.from({ length: n * n }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: n * n }, (_, i) => Math.cos(3 * i));
    await contender.activate();
    const prepared = contender.matmul(n, a, b);
    const got = await prepared.result();
    prepared.dispose();
    const want = naiveMatmul(n, a, b);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 4);
  });

  it('fills one GFLOP/s column per contender and the logit/tfjs ratio', async () => {
    const report = await matmulBenchmark.run(context([...CONTENDERS], [16, 32]));
    const names = ['logit-cpu', 'tfjs-cpu', 'logit-wasm', 'tfjs-wasm'];
    expect(report.table.columns).toEqual(['N', ...names, 'logit-cpu/tfjs-cpu', 'logit-wasm/tfjs-wasm']);
    expect(report.table.rows.map((r) => r.N)).toEqual([16, 32]);
    for (const row of report.table.rows) {
      for (const name of names) expect(row[name]).toBeGreaterThan(0);
      expect(row['logit-cpu/tfjs-cpu']).toBeCloseTo((row['logit-cpu'] as number) / (row['tfjs-cpu'] as number), 12);
      expect(row['logit-wasm/tfjs-wasm']).toBeCloseTo((row['logit-wasm'] as number) / (row['tfjs-wasm'] as number), 12);
    }
    const m = report.measurements.find((x) => x.contender === 'logit-cpu' && x.size.N === 32)!;
    expect(m.score).toBeCloseTo((2 * 32 ** 3) / (m.medianMs * 1e6), 9);
  });

  it('refuses to time a contender whose answer is wrong', async () => {
    const [logit] = CONTENDERS;
    const wrong: Contender = {
      ...logit,
      name: 'wrong',
      matmul(n, a, b) {
        const inner = logit.matmul(n, a, b);
        return { ...inner, result: async () => (await inner.result()).map((v) => v + 1) };
      },
    };
    await expect(matmulBenchmark.run(context([logit, wrong], [8]))).rejects.toThrow(/wrong disagrees with logit-cpu/);
  });
});
