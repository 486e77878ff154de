import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Core's tests run on backend-cpu from source: core cannot depend on a backend package (imports
// only run downwards), and aliasing both to source keeps one copy of core in the test process.
export default defineConfig({
  resolve: {
    alias: {
      '@logit/core': resolve(import.meta.dirname, 'src/index.ts'),
      '@logit/backend-cpu': resolve(import.meta.dirname, '../backend-cpu/src/index.ts'),
    },
  },
  // generous timeouts: CI runs several packages' suites at once on 2 cores
  test: { include: ['test/**/*.test.ts'], setupFiles: ['test/setup.ts'], testTimeout: 60_000 },
});
