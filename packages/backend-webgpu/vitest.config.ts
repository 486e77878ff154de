import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

// Tests run against core's and backend-cpu's sources (backend-cpu is the reference every kernel
// is compared with), so neither needs to be built first. Files run one at a time: each opens
// its own WebGPU device, and SwiftShader already uses every core.
//
// test/node/ runs the kernel suites on the `webgpu` package (Dawn) in Node; test/*.test.ts runs
// the kernel checks and the training comparison in headless Chromium; test/node/conformance and
// test/browser-conformance run the whole @logit/conformance suite on each. All run in `pnpm test`.
// (Dawn-node used to crash here after ~100-200 submits: its instance had been garbage collected
// while the device worked. src/device.ts holds it now; test/node/stability.test.ts guards it.)
export default defineConfig({
  resolve: {
    alias: {
      '@logit/core': path.resolve(here, '../core/src/index.ts'),
      '@logit/backend-cpu': path.resolve(here, '../backend-cpu/src/index.ts'),
      '@logit/conformance/vitest': path.resolve(here, '../conformance/src/vitest.ts'),
      '@logit/conformance': path.resolve(here, '../conformance/src/index.ts'),
    },
  },
  test: {
    include: ['test/*.test.ts', 'test/node/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    fileParallelism: false,
    testTimeout: 60000,
    hookTimeout: 60000,
  },
});
