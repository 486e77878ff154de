import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

// Tests run against core's and backend-cpu's sources (backend-cpu is the reference the kernels
// are compared with), so neither needs to be built first.
export default defineConfig({
  resolve: {
    alias: {
      '@logit/core': path.resolve(here, '../core/src/index.ts'),
      '@logit/backend-cpu': path.resolve(here, '../backend-cpu/src/index.ts'),
      '@logit/conformance/vitest': path.resolve(here, '../conformance/src/vitest.ts'),
      '@logit/conformance': path.resolve(here, '../conformance/src/index.ts'),
    },
  },
  test: { include: ['test/**/*.test.ts'], testTimeout: 60000, globalSetup: ['test/global-setup.ts'] },
});
