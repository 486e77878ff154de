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

/**
 * One option of a benchmark's subcommand, e.g. `--sizes <list>`. Plain data (no commander), so
 * that the benchmarks also run in a browser page; the CLI turns it into a commander option.
 */
export interface BenchOption {
  /** commander flags, e.g. '--sizes <list>'; its camelCased name is the key in `options`. */
  flags: string;
  description: string;
  /** Parses the command-line text; throws RangeError on bad input. */
  parse(value: string): unknown;
  default: unknown;
  /** The default in browser mode (`--browser`), where SwiftShader is ~100x slower than a GPU. */
  browserDefault?: unknown;
  /** How the default is shown in --help. */
  defaultLabel: string;
}

/** One `bench <name>` subcommand; each lives in its own file under benchmarks/. */
export interface Benchmark {
  name: string;
  summary: string;
  /** This benchmark's own options. */
  options: readonly BenchOption[];
  run(ctx: BenchContext): Promise<BenchReport>;
}
