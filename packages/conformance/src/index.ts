/**
 * @logit/conformance: proves a Logit backend right.
 *
 * ```ts
 * import { runConformance } from '@logit/conformance';
 * const report = await runConformance({ createBackend });
 * ```
 *
 * In a backend's vitest suite: `conformanceSuite(createBackend)` from '@logit/conformance/vitest'.
 *
 * @module @logit/conformance
 * @document ../README.md
 */
export { runConformance, selectCases, createEnvironment, runOne } from './run-conformance.js';
export { CATALOGUE, expandCases } from './catalogue.js';
export { traceBackend, type TracedBackend } from './trace.js';
export { DEFAULT_TOLERANCES } from './tolerance.js';
export { opTable, details, summaryLine } from './table.js';
export { supportMatrix, type MatrixColumn } from './ops-matrix.js';
export { defineCase, input, ints, bools, FLOATS, EDGE_VALUES } from './cases/define.js';
export type * from './types.js';
export { runFuzz, type FuzzOptions, type FuzzReport } from './fuzz/run-fuzz.js';

// The kernel-level kit: data, harness and cases (its vitest runner is kernelSuite in '@logit/conformance/vitest').
export {
  rng, randomData, uniformData, arrayOf, randomIndices, unravel, ravel, permutations, axisSubsets, broadcastShape, broadcastSource,
  SPECIAL_VALUES, EXTREME_VALUES, INT_EDGES,
} from './kernels/data.js';
export { toDType } from './values.js';
export { upload, runCalls, firstDifference } from './kernels/harness.js';
export { runKernelCase, createKernelEnvironment, unsupportedReason, KERNEL_TOLERANCE, type KernelEnvironment, type KernelSuiteOptions } from './kernels/run.js';
export { kernelCases, selectKernelCases, PRIMITIVE_KERNEL_CASES } from './kernels/index.js';
export { STORAGE_CHECKS, type StorageCheck } from './kernels/storage.js';
export type { KernelCall, KernelCase, KernelInput, KernelResult, KernelStatus } from './kernels/types.js';
