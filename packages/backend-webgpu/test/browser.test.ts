import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The kernel checks and the MLP training comparison of test/browser/page.ts, in headless
// Chromium on navigator.gpu (SwiftShader without a GPU): Debian's chromium, no network, a fresh
// profile, the page served from 127.0.0.1. A missing browser or adapter fails the test.
const here = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Result { name: string; ok: boolean; detail: string }
let results: Result[] = [];
let pageError: string | null = null;
const cleanup: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [path.join(here, 'browser/page.ts')],
    bundle: true, format: 'esm', write: false, platform: 'browser', logLevel: 'warning',
    alias: { '@logit/core': path.join(here, '../../core/src/index.ts'), '@logit/backend-cpu': path.join(here, '../../backend-cpu/src/index.ts') },
  });
  const js = bundle.outputFiles[0].text;
  const server = http.createServer((req, res) => {
    const isScript = req.url === '/page.js';
    res.writeHead(200, { 'content-type': isScript ? 'text/javascript' : 'text/html' });
    res.end(isScript ? js : '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => void server.close());
  const profile = mkdtempSync(path.join(tmpdir(), 'logit-webgpu-chromium-'));
  cleanup.push(() => rmSync(profile, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  cleanup.unshift(() => context.close());
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.waitForFunction(() => (window as unknown as { __done?: boolean; __error?: string }).__done || (window as unknown as { __error?: string }).__error, null, { timeout: 150000 });
  pageError = await page.evaluate(() => (window as unknown as { __error?: string }).__error ?? null);
  results = await page.evaluate(() => (window as unknown as { __results: Result[] }).__results);
}, 180000);

afterAll(async () => {
  for (const f of cleanup) await f();
});

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
