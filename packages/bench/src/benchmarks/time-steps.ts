import type { PreparedTraining } from '../contenders/index.js';
import { measureInterleaved } from '../timing.js';
import type { BenchContext, BenchReport, Measurement } from './types.js';

/**
 * Times every contender's prepared training step, interleaved (`ctx.timing`), then writes each
 * one's steps/s into `row` and `measurements` and logs it as `<label> <contender>: ... steps/s`.
 * `trainings[i]` belongs to `ctx.contenders[i]`; `digits` are the decimals of steps/s and of the
 * median in ms.
 */
export async function timeTrainingSteps(
  ctx: BenchContext, label: string, size: Measurement['size'], trainings: readonly PreparedTraining[],
  row: BenchReport['table']['rows'][number], measurements: Measurement[], digits: [number, number] = [2, 1],
): Promise<void> {
  const cases = ctx.contenders.map((c, i) => ({ activate: () => c.activate(), run: () => trainings[i].step() }));
  const timings = await measureInterleaved(cases, ctx.timing);
  ctx.contenders.forEach((contender, i) => {
    const stepsPerSecond = 1000 / timings[i].medianMs;
    measurements.push({ contender: contender.name, size, score: stepsPerSecond, ...timings[i] });
    row[contender.name] = stepsPerSecond;
    ctx.log(`${label} ${contender.name}: ${stepsPerSecond.toFixed(digits[0])} steps/s (median ${timings[i].medianMs.toFixed(digits[1])} ms)`);
  });
}
