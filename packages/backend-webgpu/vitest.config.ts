import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

// Tests run against core's and backend-cpu's sources (backend-cpu is the reference every kernel
// is compared with), so neither needs to be built first. Files run one at a time: each opens
// its own WebGPU device, and SwiftShader already uses every core.
//
// test/node/ (the kernel suites on the `webgpu` package in Node) runs only with `pnpm test:node`:
// on Dawn-node 0.6.2 with Debian's SwiftShader, the process crashes inside Dawn's ProcessEvents
// after ~100-200 submits (also in a 20-line loop of copy + onSubmittedWorkDone with no Logit
// code), so those suites cannot pass reliably there. Chromium's own Dawn is stable on the same
// SwiftShader, so `pnpm test` runs the kernel checks and the training comparison in Chromium.
const nodeSuites = process.env.LOGIT_WEBGPU_NODE === '1';
export default defineConfig({
  resolve: {
    alias: {
      '@logit/core': path.resolve(here, '../core/src/index.ts'),
      '@logit/backend-cpu': path.resolve(here, '../backend-cpu/src/index.ts'),
    },
  },
  test: {
    include: nodeSuites ? ['test/node/**/*.test.ts'] : ['test/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    fileParallelism: false,
    testTimeout: 60000,
    hookTimeout: 60000,
  },
});
