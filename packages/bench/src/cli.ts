import { Command, InvalidArgumentError, Option } from 'commander';
import { BENCHMARKS, type Benchmark, type BenchOption } from './benchmarks/index.js';
import { runInBrowser } from './browser/run.js';
import { checkSameAdapter, describeAdapter, profileTable } from './browser/summary.js';
import { CONTENDERS, selectContenders } from './contenders/index.js';
import { defaultJsonPath, writeJsonReport } from './report.js';
import { renderTable } from './table.js';
import { DEFAULT_TIMING, type TimingOptions } from './timing.js';

// A browser run on SwiftShader takes a minute or two; this only stops a hung page.
const BROWSER_TIMEOUT_MS = 15 * 60_000;

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

/** A benchmark's option as a commander option; its default is filled in after parsing (see withDefaults). */
function toCommanderOption(o: BenchOption): Option {
  return new Option(o.flags, `${o.description} (default: ${o.defaultLabel})`).argParser((value) => {
    try {
      return o.parse(value);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  });
}

/** Options not given on the command line take their default, or their browser default with --browser. */
function withDefaults(bench: Benchmark, opts: Record<string, unknown>): Record<string, unknown> {
  const out = { ...opts };
  for (const o of bench.options) {
    const key = new Option(o.flags).attributeName();
    if (out[key] === undefined) out[key] = opts.browser && o.browserDefault !== undefined ? o.browserDefault : o.default;
  }
  return out;
}

interface CommonOptions {
  json?: string;
  warmup: number;
  samples: number;
  minSampleMs: number;
  contenders?: string[];
  browser?: boolean;
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function runBenchmark(bench: Benchmark, opts: CommonOptions & Record<string, unknown>, cmd: Command): Promise<void> {
  if (opts.browser && opts.contenders) cmd.error('error: --contenders picks Node columns; --browser always runs logit-webgpu and tfjs-webgpu');
  const timing: TimingOptions = { warmup: opts.warmup, samples: opts.samples, minSampleMs: opts.minSampleMs };
  const options = withDefaults(bench, opts);
  if (opts.browser) return runBenchmarkInBrowser(bench, timing, options, opts);
  const report = await bench.run({ contenders: selectContenders(opts.contenders, bench.name), timing, options, log });
  process.stdout.write(`${renderTable(report.table)}\n`);
  const written = await writeJsonReport(opts.json ?? defaultJsonPath(bench.name), bench.name, timing, report);
  process.stdout.write(`results written to ${written}\n`);
}

/** --browser: logit-webgpu vs tfjs-webgpu in one headless Chromium page (see browser/page.ts). */
async function runBenchmarkInBrowser(
  bench: Benchmark, timing: TimingOptions, options: Record<string, unknown>, opts: CommonOptions,
): Promise<void> {
  const benchOptions = Object.fromEntries(bench.options.map((o) => new Option(o.flags).attributeName()).map((k) => [k, options[k]]));
  const results = await runInBrowser({ benchmark: bench.name, timing, options: benchOptions }, log, BROWSER_TIMEOUT_MS);
  const adapter = checkSameAdapter(results.adapters);
  const table = { ...results.report.table, title: `${results.report.table.title}\nheadless Chromium, WebGPU adapter: ${describeAdapter(adapter)}` };
  process.stdout.write(`${renderTable(table)}\n${renderTable(profileTable(results.profiles))}\n`);
  const written = await writeJsonReport(opts.json ?? defaultJsonPath(`${bench.name}-browser`), bench.name, timing, results.report, {
    browser: { userAgent: results.userAgent, adapters: results.adapters },
    gpuCallsPerTimedCall: results.profiles,
  });
  process.stdout.write(`results written to ${written}\n`);
}

const program = new Command('bench')
  .description('Side-by-side benchmarks of Logit and TensorFlow.js, in one process (or one browser page with --browser)')
  .showHelpAfterError();

for (const bench of BENCHMARKS) {
  const cmd = program
    .command(bench.name)
    .description(bench.summary)
    .option('--json <path>', `where to write the JSON results (default: bench-results/${bench.name}.json, or ${bench.name}-browser.json)`)
    .option('--warmup <n>', 'untimed calls before timing', positiveInt, DEFAULT_TIMING.warmup)
    .option('--samples <n>', 'timed samples; the median is reported', positiveInt, DEFAULT_TIMING.samples)
    .option('--min-sample-ms <ms>', 'repeat fast calls until a sample lasts this long', nonNegativeNumber, DEFAULT_TIMING.minSampleMs)
    .option('--contenders <list>', `columns to run (default: ${selectContenders(undefined, bench.name).map((c) => c.name).join(', ')}; known: ${CONTENDERS.map((c) => c.name).join(', ')})`, list)
    .option('--browser', 'run logit-webgpu vs tfjs-webgpu in headless Chromium (one page, one WebGPU adapter) instead');
  for (const o of bench.options) cmd.addOption(toCommanderOption(o));
  cmd.action((opts: CommonOptions & Record<string, unknown>, command: Command) => runBenchmark(bench, opts, command));
}

await program.parseAsync(process.argv);
