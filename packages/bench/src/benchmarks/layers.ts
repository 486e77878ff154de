import type { LayerProblem, PreparedTraining } from '../contenders/index.js';
import { measureInterleaved } from '../timing.js';
import { fixedUniform } from './agreement.js';
import { parsePositiveInts } from './parse.js';
import type { Benchmark, BenchReport, Measurement } from './types.js';

const KINDS: LayerProblem['kind'][] = ['layerNorm', 'attention', 'encoderLayer'];
// the shape of `bench gpt`'s model: batch 64 x 16 tokens, d = 64, 4 heads
const DEFAULT_SHAPE = [64, 16, 64, 4];
// fused and composed paths agree to float32 rounding of sums of a few thousand terms
const AGREEMENT = 1e-4;

/**
 * Logit against itself: forward + backward of LayerNorm, causal scaledDotProductAttention and a
 * pre-norm TransformerEncoderLayer with the backend's fused kernels (layerNorm,
 * layerNormBackward, attention) and with them turned off (the composition of primitives core
 * falls back to). Only Logit contenders run; `fused/composed` is the speed-up.
 */
export const layersBenchmark: Benchmark = {
  name: 'layers',
  summary: 'transformer blocks (LayerNorm, causal attention, an encoder layer) forward+backward per second, fused kernels vs composed',
  options: [
    {
      flags: '--shape <batch,seq,dim,heads>', description: 'activation shape and attention heads', parse: parsePositiveInts,
      default: DEFAULT_SHAPE, browserDefault: [8, 16, 64, 4], defaultLabel: DEFAULT_SHAPE.join(','),
    },
  ],
  async run(ctx): Promise<BenchReport> {
    const [batch, seq, dim, heads] = ctx.options.shape as number[];
    if (dim % heads !== 0) throw new RangeError(`layers: dim (${dim}) must be divisible by heads (${heads})`);
    const contenders = ctx.contenders.filter((c) => c.layerStep);
    if (contenders.length === 0) throw new Error('layers: none of the contenders is a Logit backend');
    const measurements: Measurement[] = [];
    const rows: BenchReport['table']['rows'] = [];
    const columns = contenders.flatMap((c) => [`${c.name} fused`, `${c.name} composed`, `${c.name} fused/composed`]);
    for (const kind of KINDS) {
      const n = batch * seq * dim;
      const problem: LayerProblem = { kind, batch, seq, dim, heads, x: fixedUniform(3 * n, 51), upstream: fixedUniform(n, 52) };
      const row: BenchReport['table']['rows'][number] = { block: kind };
      const prepared: PreparedTraining[] = [];
      try {
        const cases = [];
        for (const c of contenders) {
          await c.activate();
          for (const fused of [true, false]) {
            const p = c.layerStep!(problem, fused);
            prepared.push(p);
            cases.push({ name: `${c.name} ${fused ? 'fused' : 'composed'}`, activate: () => c.activate(), run: () => p.step() });
          }
        }
        // fused and composed must compute the same thing before either is timed
        const values: number[] = [];
        for (const [i, cs] of cases.entries()) {
          await cs.activate();
          values.push(await prepared[i].step());
          if (!(Math.abs(values[i] - values[0]) <= AGREEMENT * Math.max(1, Math.abs(values[0])))) {
            throw new Error(`layers ${kind}: ${cs.name} gives ${values[i]}, ${cases[0].name} ${values[0]}`);
          }
        }
        const timings = await measureInterleaved(cases, ctx.timing);
        cases.forEach((cs, i) => {
          const perSecond = 1000 / timings[i].medianMs;
          measurements.push({ contender: cs.name, size: { batch, seq, dim, heads }, score: perSecond, ...timings[i] });
          row[cs.name] = perSecond;
          ctx.log(`layers ${kind} ${cs.name}: ${perSecond.toFixed(1)}/s (median ${timings[i].medianMs.toFixed(3)} ms)`);
        });
        for (const c of contenders) row[`${c.name} fused/composed`] = (row[`${c.name} fused`] as number) / (row[`${c.name} composed`] as number);
      } finally {
        for (const p of prepared) p.dispose();
      }
      rows.push(row);
    }
    return {
      unit: 'steps/s',
      table: {
        title: `forward + backward per second at batch ${batch}, seq ${seq}, dim ${dim}, ${heads} heads (median of ${ctx.timing.samples} samples, interleaved; higher is better)`,
        columns: ['block', ...columns],
        headers: Object.fromEntries(contenders.map((c) => [`${c.name} fused/composed`, `${c.name}\nfused/composed`])),
        rows,
      },
      measurements,
    };
  },
};
