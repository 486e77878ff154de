import { nodeVulkanEnv } from '@logit/headless';
import { defineConfig } from 'vitest/config';

// The examples run against the built @logit packages, as a user's program does (turbo builds
// them before `test`). WebGPU in Node needs a Vulkan driver; without a GPU, SwiftShader from npm
// (see @logit/headless, as backend-webgpu's tests). The loader reads LD_LIBRARY_PATH when a process
// starts, so it is set here, in vitest's main process, whose workers inherit it; if no driver can
// be had, this throws one line naming what to install: nothing is skipped.
Object.assign(process.env, nodeVulkanEnv());

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // one file at a time: each opens its own WebGPU device, and SwiftShader already uses every core
    fileParallelism: false,
    // the memory test measures the JS heap after a full collection
    execArgv: ['--expose-gc'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
