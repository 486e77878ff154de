import type { BenchReport } from '../benchmarks/index.js';
import type { TimingOptions } from '../timing.js';
import type { GpuProfiles } from './gpu-counters.js';

/** What the Node side hands the bench page (as window.__config). */
export interface PageConfig {
  benchmark: string;
  timing: TimingOptions;
  options: Record<string, unknown>;
}

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

/** What the bench page leaves on window.__results. */
export interface PageResults {
  report: BenchReport;
  /** dispatches/submits/uploads/readbacks of each contender's last timed call, per size. */
  profiles: GpuProfiles;
  /** The adapter each contender ran on (they must be the same). */
  adapters: Record<string, AdapterSummary>;
  userAgent: string;
}
