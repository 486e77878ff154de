import { defineConfig } from 'vitest/config';

// The app tests run against the built @logit packages (turbo builds them first, as for users).
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000 },
});
