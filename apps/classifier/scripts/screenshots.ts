/**
 * Makes the README's pictures: docs/page.png (the page after a default run on wasm, showing a
 * misclassified validation image and a drawn digit) and docs/chart.svg (the chart `pnpm train` writes, from a default run);
 * docs/names-page.png (the Names tab after a default run on wasm) and docs/names-chart.svg (`pnpm train --task names`).
 * Run with `pnpm --filter classifier screenshots` (Chromium comes from npm through @logit/headless).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium } from '@logit/headless';
import { build, preview } from 'vite';
import { main } from '../src/node/cli.js';
import { drawSeven } from '../test/draw.js';

const appDir = resolve(import.meta.dirname, '..');
const docs = join(appDir, 'docs');
const work = mkdtempSync(join(tmpdir(), 'classifier-shots-'));

await build({ root: appDir, logLevel: 'warn', build: { outDir: join(work, 'dist'), emptyOutDir: true } });
const server = await preview({ root: appDir, logLevel: 'warn', build: { outDir: join(work, 'dist') }, preview: { host: '127.0.0.1', port: 0 } });
const context = await launchChromium({ viewport: { width: 1440, height: 1200 } });
const page = await context.newPage();
await page.goto(`${server.resolvedUrls!.local[0]}?backend=wasm`);
await page.click('#train');
await page.waitForSelector('#run-state[data-state=done]', { timeout: 300_000 });
// Step to a validation image the model gets wrong: its loss is large, which is the point to see.
for (let i = 0; i < 200 && (await page.locator('#sample-caption .bad').count()) === 0; i++) {
  const caption = await page.textContent('#sample-caption');
  await page.click('#next-sample');
  await page.waitForFunction((before) => document.getElementById('sample-caption')!.textContent !== before, caption);
}
await drawSeven(page);
await page.waitForSelector('#draw-probs .top');
await page.waitForTimeout(500);
await page.screenshot({ path: join(docs, 'page.png'), fullPage: true });
const names = await context.newPage();
await names.goto(`${server.resolvedUrls!.local[0]}?backend=wasm&tab=names`);
await names.click('#names-train');
await names.waitForSelector('#names-state[data-state=done]', { timeout: 600_000 });
await names.waitForTimeout(500);
await names.screenshot({ path: join(docs, 'names-page.png'), fullPage: true });
await context.close();
await server.close();

const code = await main(['--out', join(work, 'run'), '--no-progress']);
if (code !== 0) throw new Error(`the training run failed with exit code ${code}`);
copyFileSync(join(work, 'run', 'chart.svg'), join(docs, 'chart.svg'));
if ((await main(['--task', 'names', '--out', join(work, 'names'), '--no-progress'])) !== 0) throw new Error('the names run failed');
copyFileSync(join(work, 'names', 'chart.svg'), join(docs, 'names-chart.svg'));
rmSync(work, { recursive: true, force: true });
console.log(`wrote page.png, chart.svg, names-page.png and names-chart.svg in ${docs}`);
