/**
 * The WebGPU backend of Logit: generated WGSL compute kernels, on `navigator.gpu` in browsers and
 * on the `webgpu` package (Dawn) in Node. Reads are asynchronous only (`await t.data()`).
 *
 * ```ts
 * import { setBackend } from '@logit/core';
 * import { createBackend } from '@logit/backend-webgpu';
 * setBackend(await createBackend());
 * ```
 *
 * @module @logit/backend-webgpu
 * @document ../README.md
 */
export { createBackend, WEBGPU_DTYPES, type WebGpuBackend } from './backend.js';
export type { WebGpuBackendOptions } from './device.js';
export { GpuStorage } from './storage.js';
