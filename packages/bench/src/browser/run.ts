import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { PageConfig, PageResults } from './protocol.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// WebGPU without a GPU (SwiftShader) needs --enable-unsafe-webgpu; the rest keeps a headless run
// off the network and out of the user's profile.
const CHROMIUM_ARGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** src/browser/page.ts, found from this file in src/browser/ (tests) or from dist/cli.js (the CLI). */
function pageEntry(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'page.ts'), path.join(here, '../src/browser/page.ts')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`bench --browser: page.ts not found (looked at ${candidates.join(', ')})`);
  return found;
}

/** The bench page and everything it imports (logit from its built dist, tfjs from npm) as one script. */
async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [pageEntry()],
    bundle: true, format: 'esm', write: false, platform: 'browser', target: 'es2022', logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

/**
 * Runs one benchmark in headless Chromium: bundles the bench page, serves it from 127.0.0.1 (a
 * secure context, as WebGPU needs), passes `config` in, forwards the page's progress lines to
 * `log`, and returns what the page measured. Fails on a page error or after `timeoutMs`.
 */
export async function runInBrowser(config: PageConfig, log: (line: string) => void, timeoutMs: number): Promise<PageResults> {
  const cleanup: (() => Promise<void> | void)[] = [];
  try {
    const js = await bundlePage();
    const html = `<!doctype html><meta charset="utf-8"><script>window.__config = ${JSON.stringify(config)};</script>` +
      '<script type="module" src="/page.js"></script>';
    const server = http.createServer((req, res) => {
      const isScript = req.url === '/page.js';
      res.writeHead(200, { 'content-type': isScript ? 'text/javascript' : 'text/html' });
      res.end(isScript ? js : html);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => void server.close());
    const profile = mkdtempSync(path.join(tmpdir(), 'logit-bench-chromium-'));
    cleanup.push(() => rmSync(profile, { recursive: true, force: true }));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    cleanup.unshift(() => context.close());
    const page = await context.newPage();
    page.on('console', (msg) => log(msg.type() === 'log' ? msg.text() : `[page ${msg.type()}] ${msg.text()}`));
    page.on('pageerror', (e) => log(`[page error] ${e.message}`));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    type PageWindow = { __done?: boolean; __error?: string; __results?: PageResults };
    await page.waitForFunction(() => (window as unknown as PageWindow).__done || (window as unknown as PageWindow).__error, null, { timeout: timeoutMs });
    const error = await page.evaluate(() => (window as unknown as PageWindow).__error ?? null);
    if (error) throw new Error(`bench --browser: the page failed: ${error}`);
    return await page.evaluate(() => (window as unknown as PageWindow).__results!);
  } finally {
    for (const f of cleanup) await f();
  }
}
