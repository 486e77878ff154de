export { createBackend, WASM_DTYPES, type WasmBackend, type WasmBackendOptions } from './backend.js';
export { WasmStorage } from './context.js';
export type { Variant } from './load.js';
