import { createBackend } from '@logit/backend-cpu';
import { expect, test } from 'vitest';
import { runFuzz } from '../src/index.js';

// The fuzz property on backend-cpu against itself: every call must end in a typed error or a
// result, never a raw JS error, and leave memory() unchanged (see src/fuzz/run-fuzz.ts).
test('fuzz: random public-API calls on backend-cpu', async () => {
  const report = await runFuzz({ createBackend, seed: 15, numRuns: 400 });
  console.log(`fuzz backend-cpu: seed ${report.seed}, ${report.runs} calls, refused ${JSON.stringify(report.refused)}`);
  expect(report.runs).toBe(400);
}, 120_000);
