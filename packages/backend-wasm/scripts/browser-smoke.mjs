// Loads the built package in headless Chromium (from npm through @logit/headless) and checks
// that the .wasm is fetched relative to dist/, kernels compute the right numbers, and that
// threads work when the page is crossOriginIsolated. Needs `pnpm build` of core, @logit/headless
// and this package.
// Usage: node scripts/browser-smoke.mjs   (exits 1 on failure)
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@logit/headless';

const packages = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const page = `<!doctype html><script type="importmap">{"imports":{"@logit/core":"/core/dist/index.js"}}</script>
<script type="module">
import { createBackend } from '/backend-wasm/dist/index.js';
const out = {};
try {
  for (const threads of [1, 2]) {
    const be = await createBackend({ threads });
    const n = 300;
    const a = be.alloc('float32', n * n), b = be.alloc('float32', n * n);
    const ha = Float32Array.from({ length: n * n }, (_, i) => (i % 7) - 3), hb = Float32Array.from({ length: n * n }, (_, i) => (i % 5) - 2);
    be.write(a, ha); be.write(b, hb);
    const c = be.readSync(be.ops.matmul(a, b, { batch: 1, m: n, n, k: n, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 }, 'float32'));
    let bad = 0;
    for (let i = 0; i < n; i += 37) for (let j = 0; j < n; j += 41) {
      let s = 0; for (let p = 0; p < n; p++) s += ha[i * n + p] * hb[p * n + j];
      if (s !== c[i * n + j]) bad++;
    }
    const lsm = be.readSync(be.fused.logSoftmax(a, [n, n], 1, 'float32'));
    out['threads' + threads] = { variant: be.variant, threads: be.threads, bad, lsmFinite: lsm.every(Number.isFinite) };
  }
  out.isolated = crossOriginIsolated;
} catch (e) { out.error = String(e && e.stack || e); }
window.result = out;
</script>`;

const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const server = createServer((req, res) => {
  const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/') {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
    return res.end(page);
  }
  const file = path.join(packages, path.normalize(url.pathname));
  if (!file.startsWith(packages)) return res.writeHead(403).end();
  try {
    const body = readFileSync(file);
    res.writeHead(200, { ...headers, 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address();
const ctx = await launchChromium({ webgpu: false });
try {
  const tab = await ctx.newPage();
  await tab.goto(`http://127.0.0.1:${port}/`);
  await tab.waitForFunction(() => window.result !== undefined, null, { timeout: 60000 });
  const result = await tab.evaluate(() => window.result);
  console.log(JSON.stringify(result));
  const ok = !result.error && result.isolated && result.threads1.bad === 0 && result.threads2.bad === 0 &&
    result.threads2.threads === 2 && result.threads1.lsmFinite && result.threads2.lsmFinite;
  if (!ok) process.exitCode = 1;
} finally {
  await ctx.close();
  server.close();
}
