import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const GOLDENS = path.join(here, '../../../core/test/goldens');

/**
 * conformance reads PyTorch goldens with node:fs at load time. In the page, node:fs and node:url
 * are replaced by a stand-in that serves core's test/goldens/*.json, embedded at bundle time, for
 * the paths that end in core/test/goldens/<file> (any other path does not exist), so the page
 * builds the same catalogue as Node does.
 */
const goldensForTheBrowser: Plugin = {
  name: 'goldens-for-the-browser',
  setup(b) {
    b.onResolve({ filter: /^node:(fs|url)$/ }, (args) => ({ path: args.path, namespace: 'golden-fs' }));
    b.onLoad({ filter: /.*/, namespace: 'golden-fs' }, () => {
      const files = Object.fromEntries(readdirSync(GOLDENS).filter((f) => f.endsWith('.json')).map((f) => [f, readFileSync(path.join(GOLDENS, f), 'utf8')]));
      return {
        loader: 'js',
        contents: `const FILES = ${JSON.stringify(files)};
const name = (p) => { const m = /core\\/test\\/goldens\\/([^/]+)$/.exec(String(p)); return m && m[1] in FILES ? m[1] : null; };
export const fileURLToPath = (u) => String(u);
export const existsSync = (p) => name(p) !== null;
export const readFileSync = (p) => { const n = name(p); if (n === null) throw new Error('no such golden: ' + p); return FILES[n]; };`,
      };
    });
  },
};

/**
 * Bundles `entry` with esbuild, serves it from 127.0.0.1 and opens it in headless Chromium on
 * navigator.gpu (SwiftShader without a GPU): Debian's chromium, no network, a fresh profile. Waits
 * until the page sets window.__done or window.__error and returns window.__results and the error.
 */
export async function runPageInChromium<T>(entry: string, timeoutMs: number): Promise<{ results: T; error: string | null }> {
  const cleanup: (() => Promise<void> | void)[] = [];
  try {
    const bundle = await build({
      entryPoints: [entry],
      bundle: true, format: 'esm', write: false, platform: 'browser', logLevel: 'warning',
      alias: {
        '@logit/core': path.join(here, '../../../core/src/index.ts'),
        '@logit/backend-cpu': path.join(here, '../../../backend-cpu/src/index.ts'),
        '@logit/conformance': path.join(here, '../../../conformance/src/index.ts'),
      },
      plugins: [goldensForTheBrowser],
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
    type PageWindow = { __done?: boolean; __error?: string; __results: T };
    await page.waitForFunction(() => (window as unknown as PageWindow).__done || (window as unknown as PageWindow).__error, null, { timeout: timeoutMs });
    const error = await page.evaluate(() => (window as unknown as PageWindow).__error ?? null);
    const results = await page.evaluate(() => (window as unknown as PageWindow).__results);
    return { results, error };
  } finally {
    for (const f of cleanup) await f();
  }
}
