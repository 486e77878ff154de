import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

// core's own test files, run with this backend set (`pnpm test:core`). Most of core's suite builds
// float64 tensors (backend-cpu only), so only the files that need no float64 are listed; the full
// suite can be run by passing other files on the command line.
export default defineConfig({
  resolve: {
    alias: {
      '@logit/core': path.resolve(here, '../core/src/index.ts'),
      '@logit/backend-cpu': path.resolve(here, '../backend-cpu/src/index.ts'),
    },
  },
  test: {
    root: path.resolve(here, '../core'),
    include: [
      'test/memory.test.ts', 'test/nn-module.test.ts', 'test/nn-examples.test.ts', 'test/nn-init.test.ts',
      'test/losses-docs.test.ts', 'test/data-dataloader.test.ts', 'test/data-dataset.test.ts',
      'test/data-random-split.test.ts', 'test/optim-scheduler.test.ts', 'test/optim-errors.test.ts',
      'test/errors-creation-autograd.test.ts', 'test/losses-golden.test.ts', 'test/optim-golden.test.ts',
      'test/nn-functional.test.ts', 'test/nn-dropout.test.ts', 'test/optim-fused.test.ts',
      'test/conv-golden.test.ts', 'test/cnn-train.test.ts', 'test/nn-conv-examples.test.ts',
    ].map((f) => path.resolve(here, '../core', f)),
    // cases named for float64, and the three tests of memory.test.ts that build float64 tensors
    testNamePattern: /^(?!.*(float64|graph disposed without backward|backward frees the saved tensors)).*$/,
    globalSetup: [path.resolve(here, 'test/global-setup.ts')],
    setupFiles: [path.resolve(here, 'test/core-setup.ts')],
  },
});
