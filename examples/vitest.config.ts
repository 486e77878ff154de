import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// The examples run against the built @logit packages, as a user's program does (turbo builds
// them before `test`). WebGPU in Node needs a Vulkan driver; without a GPU, SwiftShader's from
// Debian's chromium-common when it is installed (backend-webgpu's tests do the same).
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  process.env.NODEVICE_SELECT ??= '1';
}

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
