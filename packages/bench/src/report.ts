import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { BenchReport } from './benchmarks/index.js';
import type { TimingOptions } from './timing.js';

/**
 * Where the user ran the command: pnpm runs package scripts inside the package folder but keeps
 * the caller's folder in INIT_CWD, so `pnpm bench matmul` at the repo root writes there.
 */
export function callerDir(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

export function defaultJsonPath(benchmark: string): string {
  return resolve(callerDir(), 'bench-results', `${benchmark}.json`);
}

/**
 * Writes the report with what is needed to compare runs later: machine, runtime, settings, and
 * `extra` facts of the run (e.g. the browser and adapter of `--browser`).
 */
export async function writeJsonReport(
  path: string, benchmark: string, timing: TimingOptions, report: BenchReport, extra: Record<string, unknown> = {},
): Promise<string> {
  const full = resolve(callerDir(), path);
  const doc = {
    benchmark,
    date: new Date().toISOString(),
    environment: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
    },
    timing,
    unit: report.unit,
    table: report.table,
    measurements: report.measurements,
    ...extra,
  };
  await mkdir(dirname(full), { recursive: true });
  await writeFile(full, `${JSON.stringify(doc, null, 2)}\n`);
  return full;
}
