import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

// All of core's own test files, run with this backend set (`pnpm test:core`). A test that needs a
// dtype declares it (core's test/helpers/needs.ts): the float64 ones are skipped here with that
// reason, from this backend's declared dtypes, never by a list of files or a pattern on titles.
export default defineConfig({
  resolve: {
    alias: {
      '@logit/core': path.resolve(here, '../core/src/index.ts'),
      '@logit/backend-cpu': path.resolve(here, '../backend-cpu/src/index.ts'),
    },
  },
  test: {
    root: path.resolve(here, '../core'),
    include: ['test/**/*.test.ts'],
    globalSetup: [path.resolve(here, 'test/global-setup.ts')],
    setupFiles: [path.resolve(here, 'test/core-setup.ts')],
  },
});
