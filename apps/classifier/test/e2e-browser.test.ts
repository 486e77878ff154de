/**
 * End to end: builds the page with Vite, serves it from 127.0.0.1, opens it in headless Chromium
 * (from npm through @logit/headless; no network) and trains one epoch per backend in the page's
 * Web Worker, and a small names transformer for one epoch on cpu and wasm in the Names tab. WebGPU
 * runs on whatever adapter Chromium finds: SwiftShader (Vulkan on the CPU) on machines without a GPU.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, type BrowserContext, type Page } from '@logit/headless';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend, type BackendName } from '../src/lib/backends.js';
import { resolveNamesConfig } from '../src/lib/names/config.js';
import { splitNames } from '../src/lib/names/data.js';
import { NamesTrainingRun } from '../src/lib/names/trainer.js';
import { loadEmbeddedNames } from '../src/node/names-data.js';
import { drawSeven } from './draw.js';

const appDir = resolve(import.meta.dirname, '..');
const outDir = mkdtempSync(join(tmpdir(), 'classifier-dist-'));
const SCREENSHOT_DIR = resolve(appDir, 'test-results');

let server: PreviewServer;
let context: BrowserContext;
let url: string;

beforeAll(async () => {
  await build({ root: appDir, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  server = await preview({ root: appDir, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  url = server.resolvedUrls!.local[0];
  context = await launchChromium({ viewport: { width: 1440, height: 980 } });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  rmSync(outDir, { recursive: true, force: true });
});

/** Validation accuracy after one epoch (same defaults and seed) per backend, as the page shows it. */
const valAccuracy = new Map<string, number>();

async function trainOneEpoch(backend: string, timeout = 120_000): Promise<Page> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${url}?backend=${backend}`);
  await page.fill('input[name=epochs]', '1');
  await page.click('#train');
  await page.waitForSelector('#run-state[data-state=done], #run-state[data-state=error]', { timeout });
  expect(await page.textContent('#run-state')).not.toMatch(/error/);
  expect(errors).toEqual([]);
  valAccuracy.set(backend, Number(await page.getAttribute('#val-acc', 'data-value')));
  return page;
}

describe.each(['cpu', 'wasm'])('the built page on the %s backend', (backend) => {
  it('trains one epoch in the worker past 80% validation accuracy, and its loss panel shows NLL = CrossEntropyLoss', async () => {
    const page = await trainOneEpoch(backend);
    expect(await page.textContent('#backend-used')).toBe(backend);
    const valAcc = Number(await page.getAttribute('#val-acc', 'data-value'));
    expect(valAcc).toBeGreaterThan(0.8);
    expect(await page.locator('#epochs tbody tr').count()).toBe(1);

    // The panel's two numbers are computed separately (NLLLoss of LogSoftmax; CrossEntropyLoss of the logits).
    const nll = Number(await page.getAttribute('#nll', 'data-value'));
    const ce = Number(await page.getAttribute('#ce', 'data-value'));
    expect(nll).toBeGreaterThan(0);
    expect(Math.abs(nll - ce)).toBeLessThanOrEqual(1e-6 * Math.max(1, ce));
    expect(await page.textContent('#nll')).toBe(await page.textContent('#ce'));
    // ... and NLL is minus the LogSoftmax value printed in the true class's row.
    const trueRow = page.locator('#logits tr.true-class td');
    expect(Number(await trueRow.nth(2).textContent())).toBeCloseTo(-nll, 4);
    // the page shows each probability rounded to 0.01%, so ten of them sum to 100 within 0.5
    const probs = await page.locator('#logits tbody tr td:nth-child(4) span').allTextContents();
    expect(probs.reduce((s, p) => s + parseFloat(p), 0)).toBeCloseTo(100, 0);

    // Draw a digit: the pad's probabilities come back from the worker's model and sum to 1.
    await drawSeven(page);
    await page.waitForSelector('#draw-probs .top');
    const drawn = await page.locator('#draw-probs em').allTextContents();
    expect(drawn).toHaveLength(10);
    // shown rounded to 0.1%: ten of them sum to 100 within 0.5
    expect(drawn.reduce((sum, p) => sum + parseFloat(p), 0)).toBeCloseTo(100, 0);

    await page.screenshot({ path: join(SCREENSHOT_DIR, `page-${backend}.png`), fullPage: true });
    await page.close();
  });
});

/** The names tab's loss panel as the page shows it: the NLL term of every counted row, and the three totals. */
async function namesPanel(page: Page): Promise<{ terms: number[]; ignored: number; mean: number; nct: number; flat: number; padded: number }> {
  const terms = (await page.locator('#names-positions tbody tr[data-ignored=false]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.nll!))).map(Number);
  const value = async (id: string): Promise<number> => Number(await page.getAttribute(id, 'data-value'));
  return {
    terms, ignored: await page.locator('#names-positions tbody tr[data-ignored=true]').count(),
    mean: await value('#names-mean'), nct: await value('#names-ce-nct'), flat: await value('#names-ce-flat'), padded: await value('#names-ce-padded'),
  };
}

describe.each(['cpu', 'wasm'])('the Names tab on the %s backend', (backend) => {
  it('trains a small transformer briefly (the same validation loss as in Node), samples names live, and its loss panel holds: mean of the shown terms = CrossEntropyLoss (N, C, T) = flattened', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}?backend=${backend}&tab=names`);
    expect(await page.isVisible('#tab-names')).toBe(true);
    expect(await page.isVisible('#tab-digits')).toBe(false);
    // one short epoch of a small model: seconds on either backend
    for (const [field, value] of [['epochs', '1'], ['width', '16'], ['heads', '2'], ['layers', '1']]) await page.fill(`#names-settings input[name=${field}]`, value);
    await page.click('#names-train');
    // names appear while it trains (before training, then every 50 batches)
    await page.waitForSelector('#names-samples li', { timeout: 120_000 });
    await page.waitForSelector('#names-state[data-state=done], #names-state[data-state=error]', { timeout: 300_000 });
    expect(await page.textContent('#names-state')).not.toMatch(/error/);
    expect(errors).toEqual([]);
    expect(await page.textContent('#names-backend-used')).toBe(backend);
    expect(await page.textContent('#names-data')).toMatch(/8,422 names: 6,738 train · 842 validation · 842 test/);
    expect(await page.locator('#names-epochs tbody tr').count()).toBe(1);
    const val = Number(await page.getAttribute('#names-val', 'data-value'));
    expect(val).toBeLessThan(2.9); // below the uniform guess, log(28) = 3.33, after one epoch
    // the page's worker runs the CLI's NamesTrainingRun: the same run in Node gets the same number
    await useBackend(backend as BackendName);
    const nodeRun = new NamesTrainingRun(splitNames(loadEmbeddedNames(), [0.8, 0.1, 0.1], 0), resolveNamesConfig({ epochs: 1, width: 16, heads: 2, layers: 1 }));
    const nodeVal = (await nodeRun.fit()).history[0].valLoss;
    nodeRun.dispose();
    expect(Math.abs(val - nodeVal)).toBeLessThanOrEqual(1e-6);
    expect(await page.locator('#names-samples li').count()).toBe(20);
    expect(await page.textContent('#names-samples-caption')).toMatch(/20 names at temperature 1\.0, from the best epoch's weights \(1\)/);

    const p = await namesPanel(page);
    expect(p.terms.length).toBeGreaterThan(1);
    expect(p.terms.length + p.ignored).toBe(16);
    const mean = p.terms.reduce((a, b) => a + b, 0) / p.terms.length;
    for (const total of [p.mean, p.nct, p.flat]) expect(Math.abs(total - mean)).toBeLessThanOrEqual(2e-6 * Math.max(1, mean));
    expect(Math.abs(p.padded - mean)).toBeGreaterThan(0.01); // counting the padding is another number

    // the temperature slider resamples from the trained model
    await page.locator('#names-temperature').evaluate((el) => {
      (el as HTMLInputElement).value = '0.5';
      el.dispatchEvent(new Event('input'));
      el.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(() => /temperature 0\.5/.test(document.getElementById('names-samples-caption')!.textContent!));
    expect(await page.textContent('#names-temperature-value')).toBe('0.5');
    // any name can be taken apart: a longer one has more counted positions
    await page.fill('#names-inspect', 'alexandra');
    await page.click('#names-inspect-form button');
    await page.waitForFunction(() => document.querySelectorAll('#names-positions tbody tr[data-ignored=false]').length === 10);
    const q = await namesPanel(page);
    const qMean = q.terms.reduce((a, b) => a + b, 0) / q.terms.length;
    expect(Math.abs(q.nct - qMean)).toBeLessThanOrEqual(2e-6 * Math.max(1, qMean));
    expect(Math.abs(q.flat - qMean)).toBeLessThanOrEqual(2e-6 * Math.max(1, qMean));
    await page.fill('#names-inspect', 'zoë');
    await page.click('#names-inspect-form button');
    await page.waitForFunction(() => document.getElementById('names-inspect-error')!.textContent !== '');
    expect(await page.textContent('#names-inspect-error')).toMatch(/character "ë" of "zoë" is not in the vocabulary/);

    await page.screenshot({ path: join(SCREENSHOT_DIR, `names-${backend}.png`), fullPage: true });
    await page.close();
  }, 400_000);
});

describe('by default', () => {
  it('the page picks the fastest backend that starts here (wasm) and says so', async () => {
    const page = await context.newPage();
    await page.goto(url);
    expect(await page.inputValue('#backend')).toBe('auto');
    await page.fill('input[name=epochs]', '1');
    await page.click('#train');
    await page.waitForSelector('#run-state[data-state=done], #run-state[data-state=error]', { timeout: 120_000 });
    expect(await page.textContent('#run-state')).not.toMatch(/error/);
    expect(await page.textContent('#backend-used')).toBe('wasm');
    expect(await page.textContent('#backend-reason')).toBe('auto: the fastest that starts here');
    await page.close();
  });
});

describe('while the worker trains', () => {
  it('the page stays responsive and Stop ends the run with the best weights so far', async () => {
    const page = await context.newPage();
    await page.goto(`${url}?backend=cpu`);
    await page.fill('input[name=epochs]', '50');
    await page.fill('input[name=patience]', '0');
    await page.click('#train');
    await page.waitForSelector('#epochs tbody tr', { timeout: 60_000 });
    // The main thread paints frames and answers clicks while the worker is busy.
    const t0 = Date.now();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await page.getAttribute('#run-state', 'data-state')).toBe('running');
    await page.click('#stop');
    await page.waitForSelector('#run-state[data-state=done]', { timeout: 60_000 });
    expect(await page.textContent('#run-state')).toMatch(/stopped; kept epoch \d+/);
    expect(await page.locator('#epochs tbody tr').count()).toBeLessThan(50);
    await page.close();
  });
});

describe('the built page on the webgpu backend', () => {
  it('trains the same epoch as cpu (same defaults and seed) to the same validation accuracy within 0.5 points', async () => {
    if (!valAccuracy.has('cpu')) (await trainOneEpoch('cpu')).close();
    const t0 = Date.now();
    const page = await trainOneEpoch('webgpu', 600_000);
    const seconds = (Date.now() - t0) / 1000;
    expect(await page.textContent('#backend-used')).toBe('webgpu');
    expect(await page.locator('#epochs tbody tr').count()).toBe(1);
    const gpu = valAccuracy.get('webgpu')!;
    const cpu = valAccuracy.get('cpu')!;
    console.log(`one epoch on webgpu: ${seconds.toFixed(1)} s, validation accuracy ${(100 * gpu).toFixed(2)}% (cpu ${(100 * cpu).toFixed(2)}%)`);
    expect(gpu).toBeGreaterThan(0.8);
    expect(Math.abs(gpu - cpu)).toBeLessThanOrEqual(0.005);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'page-webgpu.png'), fullPage: true });
    await page.close();
  }, 700_000);
});

describe('a backend that cannot start in this browser', () => {
  it('shows a clear message instead of failing silently (webgpu in a Chromium without WebGPU)', async () => {
    const browser = await launchChromium({ webgpu: false, args: ['--disable-webgpu'] });
    try {
      const page = await browser.newPage();
      await page.goto(`${url}?backend=webgpu`);
      await page.fill('input[name=epochs]', '1');
      await page.click('#train');
      await page.waitForSelector('#run-state[data-state=error]', { timeout: 60_000 });
      expect(await page.textContent('#run-state')).toMatch(/the webgpu backend could not start here: webgpu: requestAdapter\(\) returned no adapter/);
    } finally {
      await browser.close();
    }
  });
});
