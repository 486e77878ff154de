import { defineConfig } from 'vitest/config';

// The examples run against the built packages (dist), as a user's program would.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 300_000 } });
