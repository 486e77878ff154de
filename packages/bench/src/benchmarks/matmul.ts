import type { PreparedCase } from '../contenders/index.js';
import { measureInterleaved } from '../timing.js';
import { fixedUniform, relativeError } from './agreement.js';
import { parsePositiveInts } from './parse.js';
import { ratioColumns, ratioHeaders } from './ratios.js';
import type { Benchmark, BenchReport, Measurement } from './types.js';

const DEFAULT_SIZES = [128, 256, 512, 1024];
// SwiftShader (WebGPU on the CPU) runs ~0.3 GFLOP/s: N=512 would take ~1 s per call.
const BROWSER_SIZES = [64, 128, 256];
// float32 sums of 1024 products of values in [-1, 1): correct results agree to ~1e-6 of the scale.
const AGREEMENT_TOLERANCE = 1e-4;

/** Square float32 matmul C = A @ B; each call includes reading C back, as a user would. */
export const matmulBenchmark: Benchmark = {
  name: 'matmul',
  summary: 'float32 N x N matmul in GFLOP/s (2·N³ flops per call, result read back)',
  options: [
    {
      flags: '--sizes <list>', description: 'comma-separated N values', parse: parsePositiveInts,
      default: DEFAULT_SIZES, browserDefault: BROWSER_SIZES,
      defaultLabel: `${DEFAULT_SIZES.join(',')}; with --browser ${BROWSER_SIZES.join(',')}`,
    },
  ],
  async run(ctx): Promise<BenchReport> {
    const sizes = ctx.options.sizes as number[];
    const ratios = ratioColumns(ctx.contenders);
    const measurements: Measurement[] = [];
    const rows: BenchReport['table']['rows'] = [];

    for (const n of sizes) {
      const a = fixedUniform(n * n, 1 + n);
      const b = fixedUniform(n * n, 2 + n);
      const flops = 2 * n ** 3;
      const row: BenchReport['table']['rows'][number] = { N: n };
      let reference: { name: string; data: Float32Array } | undefined;
      const prepared: PreparedCase[] = [];
      try {
        for (const contender of ctx.contenders) {
          await contender.activate();
          const p = contender.matmul(n, a, b);
          prepared.push(p);
          // Check the answer before timing it: a fast wrong kernel must not produce a number.
          const data = await p.result();
          if (!reference) reference = { name: contender.name, data };
          const err = relativeError(data, reference.data);
          if (!(err <= AGREEMENT_TOLERANCE)) {
            throw new Error(`matmul N=${n}: ${contender.name} disagrees with ${reference.name} (relative error ${err})`);
          }
        }
        const cases = ctx.contenders.map((c, i) => ({ activate: () => c.activate(), run: () => prepared[i].run() }));
        const timings = await measureInterleaved(cases, ctx.timing);
        ctx.contenders.forEach((contender, i) => {
          const gflops = flops / (timings[i].medianMs * 1e6);
          measurements.push({ contender: contender.name, size: { N: n }, score: gflops, ...timings[i] });
          row[contender.name] = gflops;
          ctx.log(`matmul N=${n} ${contender.name}: ${gflops.toFixed(2)} GFLOP/s (median ${timings[i].medianMs.toFixed(2)} ms)`);
        });
      } finally {
        for (const p of prepared) p.dispose();
      }
      for (const r of ratios) row[r.key] = (row[r.of] as number) / (row[r.to] as number);
      rows.push(row);
    }

    return {
      unit: 'GFLOP/s',
      table: {
        title: `matmul, float32, GFLOP/s (median of ${ctx.timing.samples} samples, contenders interleaved, after ${ctx.timing.warmup} warm-up calls; higher is better)`,
        columns: ['N', ...ctx.contenders.map((c) => c.name), ...ratios.map((r) => r.key)],
        headers: ratioHeaders(ratios),
        rows,
      },
      measurements,
    };
  },
};
