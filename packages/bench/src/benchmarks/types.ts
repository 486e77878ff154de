import type { Command } from 'commander';
import type { Contender } from '../contenders/index.js';
import type { ResultTable } from '../table.js';
import type { Timing, TimingOptions } from '../timing.js';

/** What every benchmark receives from the CLI, plus its own options (from `configure`). */
export interface BenchContext {
  contenders: Contender[];
  timing: TimingOptions;
  options: Record<string, unknown>;
  /** Progress lines go to stderr so that stdout is just the table. */
  log(line: string): void;
}

/** One timed measurement: a contender on one problem size. */
export interface Measurement extends Timing {
  contender: string;
  size: Record<string, number>;
  /** The benchmark's headline number (e.g. GFLOP/s), higher is better. */
  score: number;
}

export interface BenchReport {
  unit: string;
  table: ResultTable;
  measurements: Measurement[];
}

/** One `bench <name>` subcommand; each lives in its own file under benchmarks/. */
export interface Benchmark {
  name: string;
  summary: string;
  /** Adds this benchmark's own options to its subcommand. */
  configure?(cmd: Command): void;
  run(ctx: BenchContext): Promise<BenchReport>;
}
