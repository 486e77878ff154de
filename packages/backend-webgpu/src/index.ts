export { createBackend, WEBGPU_DTYPES, type WebGpuBackend } from './backend.js';
export type { WebGpuBackendOptions } from './device.js';
export { GpuStorage } from './storage.js';
