import { matmulBenchmark } from './matmul.js';
import { layersBenchmark } from './layers.js';
import { mlpBenchmark } from './mlp.js';
import { rnnBenchmark } from './rnn.js';
import { cnnBenchmark } from './cnn.js';
import { gptBenchmark } from './gpt.js';
import type { Benchmark } from './types.js';

export type { Benchmark, BenchContext, BenchOption, BenchReport, Measurement } from './types.js';

/** Every `bench <name>` subcommand; a new benchmark is one file and one line here. */
export const BENCHMARKS: readonly Benchmark[] = [matmulBenchmark, mlpBenchmark, layersBenchmark, rnnBenchmark, cnnBenchmark, gptBenchmark];
