import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

// Tests run against core's sources, so they do not need core to be built first.
export default defineConfig({
  resolve: { alias: { '@logit/core': path.resolve(here, '../core/src/index.ts') } },
  test: { include: ['test/**/*.test.ts'] },
});
