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

type Output = 'read' | 'kept';

function parseOutput(value: string): Output {
  if (value !== 'read' && value !== 'kept') throw new RangeError(`expected 'read' or 'kept', got '${value}'`);
  return value;
}

/**
 * Square float32 matmul C = A @ B. By default each call includes reading C back into a new JS
 * array, as a user reading results would; `--output kept` times the kernel alone (C stays in
 * the backend and is freed), for backends that finish the work inside the call.
 */
export const matmulBenchmark: Benchmark = {
  name: 'matmul',
  summary: 'float32 N x N matmul in GFLOP/s (2·N³ flops per call, result read back unless --output kept)',
  options: [
    {
      flags: '--output <read|kept>',
      description: "'read': every call reads C back into a new array; 'kept': C stays in the backend (cpu and wasm only)",
      parse: parseOutput,
      default: 'read',
      defaultLabel: 'read',
    },
    {
      flags: '--sizes <list>', description: 'comma-separated N values', parse: parsePositiveInts,
      default: DEFAULT_SIZES, browserDefault: BROWSER_SIZES,
      defaultLabel: `${DEFAULT_SIZES.join(',')}; with --browser ${BROWSER_SIZES.join(',')}`,
    },
  ],
  async run(ctx): Promise<BenchReport> {
    const sizes = ctx.options.sizes as number[];
    const output = (ctx.options.output ?? 'read') as Output;
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
        const cases = ctx.contenders.map((c, i) => {
          const p = prepared[i];
          if (output === 'read') return { activate: () => c.activate(), run: () => p.run() };
          if (!p.compute) throw new Error(`matmul --output kept: ${c.name} computes asynchronously, so only a read-back tells when it is done`);
          return { activate: () => c.activate(), run: p.compute };
        });
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
        title: `matmul, float32, GFLOP/s, ${output === 'read' ? 'C read back every call' : 'C kept in the backend (kernel only)'} (median of ${ctx.timing.samples} samples, contenders interleaved, after ${ctx.timing.warmup} warm-up calls; higher is better)`,
        columns: ['N', ...ctx.contenders.map((c) => c.name), ...ratios.map((r) => r.key)],
        headers: ratioHeaders(ratios),
        rows,
      },
      measurements,
    };
  },
};
