import { Command, InvalidArgumentError } from 'commander';
import { BENCHMARKS, type Benchmark } from './benchmarks/index.js';
import { CONTENDERS, selectContenders } from './contenders/index.js';
import { defaultJsonPath, writeJsonReport } from './report.js';
import { renderTable } from './table.js';
import { DEFAULT_TIMING, type TimingOptions } from './timing.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}
function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number >= 0, got '${value}'`);
  return n;
}
function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

interface CommonOptions {
  json?: string;
  warmup: number;
  samples: number;
  minSampleMs: number;
  contenders?: string[];
}

async function runBenchmark(bench: Benchmark, opts: CommonOptions & Record<string, unknown>): Promise<void> {
  const timing: TimingOptions = { warmup: opts.warmup, samples: opts.samples, minSampleMs: opts.minSampleMs };
  const report = await bench.run({
    contenders: selectContenders(opts.contenders, bench.name),
    timing,
    options: opts,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${renderTable(report.table)}\n`);
  const written = await writeJsonReport(opts.json ?? defaultJsonPath(bench.name), bench.name, timing, report);
  process.stdout.write(`results written to ${written}\n`);
}

const program = new Command('bench')
  .description('Side-by-side benchmarks of Logit and TensorFlow.js, in one process')
  .showHelpAfterError();

for (const bench of BENCHMARKS) {
  const cmd = program
    .command(bench.name)
    .description(bench.summary)
    .option('--json <path>', `where to write the JSON results (default: bench-results/${bench.name}.json)`)
    .option('--warmup <n>', 'untimed calls before timing', positiveInt, DEFAULT_TIMING.warmup)
    .option('--samples <n>', 'timed samples; the median is reported', positiveInt, DEFAULT_TIMING.samples)
    .option('--min-sample-ms <ms>', 'repeat fast calls until a sample lasts this long', nonNegativeNumber, DEFAULT_TIMING.minSampleMs)
    .option('--contenders <list>', `columns to run (default: ${selectContenders(undefined, bench.name).map((c) => c.name).join(', ')}; known: ${CONTENDERS.map((c) => c.name).join(', ')})`, list);
  bench.configure?.(cmd);
  cmd.action((opts: CommonOptions & Record<string, unknown>) => runBenchmark(bench, opts));
}

await program.parseAsync(process.argv);
