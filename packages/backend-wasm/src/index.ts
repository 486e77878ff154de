/**
 * The WebAssembly backend of Logit: SIMD kernels written in AssemblyScript (relaxed-SIMD FMA
 * where the runtime has it), optional threads for matmul, in Node and in browsers.
 *
 * ```ts
 * import { setBackend } from '@logit/core';
 * import { createBackend } from '@logit/backend-wasm';
 * setBackend(await createBackend({ threads: 2 }));
 * ```
 *
 * @module @logit/backend-wasm
 * @document ../README.md
 */
export { createBackend, WASM_DTYPES, type WasmBackend, type WasmBackendOptions } from './backend.js';
export { WasmStorage } from './context.js';
export type { Variant } from './load.js';
