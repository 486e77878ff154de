import { defineConfig } from 'vitest/config';

// runtime.test.ts unpacks Chromium (about 210 MB, a few seconds) on first use and starts it.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
