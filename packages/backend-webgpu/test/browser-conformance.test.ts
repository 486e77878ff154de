import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectCases, type CaseResult } from '@logit/conformance';
import { beforeAll, describe, expect, test } from 'vitest';
import { runPageInChromium } from './browser/chromium.js';

// The whole @logit/conformance suite on backend-webgpu in headless Chromium (navigator.gpu on
// SwiftShader), one vitest test per case as in Node: the page runs the suite, each test here
// reports its case. float64 cases are unsupported by design (skipped with the reason).
const here = path.dirname(fileURLToPath(import.meta.url));
type PageResult = Pick<CaseResult, 'name' | 'status' | 'message'>;
const byName = new Map<string, PageResult>();
let pageError: string | null = null;

beforeAll(async () => {
  const { results, error } = await runPageInChromium<PageResult[] | undefined>(path.join(here, 'browser/conformance-page.ts'), 240000);
  pageError = error;
  for (const r of results ?? []) byName.set(r.name, r);
}, 300000);

describe('@logit/conformance in headless Chromium', () => {
  test('the page ran the same catalogue as Node', () => {
    expect(pageError).toBeNull();
    expect([...byName.keys()].sort()).toEqual(selectCases().map((s) => s.name).sort());
  });
  for (const { name } of selectCases()) {
    test(name, (ctx) => {
      const r = byName.get(name);
      if (!r) return expect.fail(`the page reported no result for ${name}${pageError ? `: ${pageError}` : ''}`);
      // 'unsupported' comes from the suite itself: the case needs a dtype (float64) this backend does not declare
      if (r.status === 'unsupported') ctx.skip(r.message);
      if (r.status === 'fail') expect.fail(`${r.name} failed in Chromium: ${r.message}`);
    });
  }
});
