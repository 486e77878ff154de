/**
 * The reference CPU backend of Logit: every kernel of the `Backend` contract over plain
 * TypedArrays, float32, float64, int32 and bool, with synchronous reads.
 *
 * ```ts
 * import { setBackend } from '@logit/core';
 * import { createBackend } from '@logit/backend-cpu';
 * setBackend(await createBackend());
 * ```
 *
 * @module @logit/backend-cpu
 * @document ../README.md
 */
export { createBackend, createCpuBackend, CpuStorage, CPU_DTYPES, type CpuBackendOptions } from './backend.js';
