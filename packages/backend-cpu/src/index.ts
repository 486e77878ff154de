export { createBackend, createCpuBackend, CpuStorage, CPU_DTYPES, type CpuBackendOptions } from './backend.js';
