import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPageInChromium } from './browser/chromium.js';

// The kernel checks and the MLP training comparison of test/browser/page.ts, in headless
// Chromium on navigator.gpu (SwiftShader without a GPU; @logit/headless), no network, a fresh
// profile, the page served from 127.0.0.1. A missing browser or adapter fails the test.
const here = path.dirname(fileURLToPath(import.meta.url));

interface Result { name: string; ok: boolean; detail: string }
let results: Result[] = [];
let pageError: string | null = null;

beforeAll(async () => {
  const page = await runPageInChromium<Result[]>(path.join(here, 'browser/page.ts'), 150000);
  results = page.results;
  pageError = page.error;
}, 180000);

describe('backend-webgpu in headless Chromium', () => {
  it('ran every check without an error', () => {
    expect(pageError).toBeNull();
    expect(results.length).toBeGreaterThan(60);
  });

  it('every kernel matches backend-cpu, and the core API behaves on webgpu', () => {
    expect(results.length).toBeGreaterThan(60);
    for (const r of results) if (r.name.startsWith('submits') || r.name.startsWith('MLP')) console.log(`${r.name}: ${r.detail}`);
    const failed = results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.detail}`);
    expect(failed).toEqual([]);
  });
});
