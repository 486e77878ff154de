import { defineConfig } from 'vitest/config';

// Packing, an npm install and a tsc run take seconds, not milliseconds.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000 },
});
