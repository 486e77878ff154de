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
