import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { nodeVulkanEnv } from '../headless/src/runtime.js';

const here = path.dirname(fileURLToPath(import.meta.url));

// Dawn needs a Vulkan driver; without a GPU, SwiftShader from npm (see @logit/headless). The
// dynamic loader reads LD_LIBRARY_PATH when a process starts, so it is set here, in vitest's main
// process, whose test workers inherit it. If no driver can be had, this throws one line naming
// what to install: nothing is skipped.
Object.assign(process.env, nodeVulkanEnv());

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
      '@logit/headless': path.resolve(here, '../headless/src/index.ts'),
    },
  },
  test: {
    include: ['test/*.test.ts', 'test/node/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 60000,
    hookTimeout: 60000,
  },
});
