import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

// Tests run against core's sources, so they do not need core to be built first. @logit/conformance
// (the kit and the catalogue) runs from its sources too: it depends on this package, so it is no
// dependency of it, and its own import of @logit/backend-cpu is this package's source.
export default defineConfig({
  resolve: {
    alias: {
      '@logit/core': path.resolve(here, '../core/src/index.ts'),
      '@logit/backend-cpu': path.resolve(here, 'src/index.ts'),
      '@logit/conformance/vitest': path.resolve(here, '../conformance/src/vitest.ts'),
      '@logit/conformance': path.resolve(here, '../conformance/src/index.ts'),
    },
  },
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
