import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumRuntime } from './runtime.js';

/** Options of `launchChromium`. */
export interface LaunchOptions {
  /** Turn WebGPU on (`--enable-unsafe-webgpu`: without a GPU, Chromium offers no adapter otherwise). Default: true. */
  webgpu?: boolean;
  /** More command-line switches. */
  args?: readonly string[];
  /** Page size; playwright's default (1280x720) when not given. */
  viewport?: { width: number; height: number };
  /** Device pixels per CSS pixel. Default: 1. */
  deviceScaleFactor?: number;
}

// A headless run stays off the network and out of the user's profile; --no-sandbox lets it run as root.
const QUIET = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Starts headless Chromium (see `chromiumRuntime` for which one) with a fresh profile that is
 * deleted when the context closes. Close the context when done.
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<BrowserContext> {
  const runtime = chromiumRuntime();
  const profile = mkdtempSync(path.join(tmpdir(), 'logit-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: runtime.executablePath,
      env: { ...process.env, ...runtime.env } as Record<string, string>,
      headless: true,
      viewport: options.viewport,
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
      args: [...QUIET, ...(options.webgpu === false ? [] : ['--enable-unsafe-webgpu']), ...(options.args ?? [])],
    });
    // After close() resolves the browser has exited, so nothing writes into the profile any more.
    const close = context.close.bind(context);
    context.close = async (...args) => {
      await close(...args);
      rmSync(profile, { recursive: true, force: true });
    };
    return context;
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}

/** Options of `runPage`. */
export interface PageOptions {
  /** The page's module script (e.g. an esbuild bundle), served as /page.js. */
  script: string;
  /** HTML placed before the script tag, e.g. `<script>window.__config = {...}</script>`. */
  head?: string;
  /** Give up after this long. */
  timeoutMs: number;
  /** Receives the page's console lines and uncaught errors. */
  log?: (line: string) => void;
  /** How to start the browser. Default: `launchChromium()`'s defaults. */
  launch?: LaunchOptions;
}

type PageWindow<T> = { __done?: boolean; __error?: string; __results?: T };

/**
 * Serves a one-script page from 127.0.0.1 (a secure context, as WebGPU needs), opens it in
 * `launchChromium()` and waits until the page sets `window.__done` (returning
 * `window.__results`) or `window.__error` (returned as `error`). Everything is closed after.
 */
export async function runPage<T>(options: PageOptions): Promise<{ results: T; error: string | null }> {
  const html = `<!doctype html><meta charset="utf-8">${options.head ?? ''}<script type="module" src="/page.js"></script>`;
  const server = http.createServer((req, res) => {
    const isScript = req.url === '/page.js';
    res.writeHead(200, { 'content-type': isScript ? 'text/javascript' : 'text/html' });
    res.end(isScript ? options.script : html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let context: BrowserContext | null = null;
  try {
    context = await launchChromium(options.launch);
    const page = await context.newPage();
    const log = options.log;
    if (log) {
      page.on('console', (msg) => log(msg.type() === 'log' ? msg.text() : `[page ${msg.type()}] ${msg.text()}`));
      page.on('pageerror', (e) => log(`[page error] ${e.message}`));
    }
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => (window as PageWindow<unknown>).__done || (window as PageWindow<unknown>).__error, null, { timeout: options.timeoutMs });
    const error = await page.evaluate(() => (window as PageWindow<unknown>).__error ?? null);
    const results = await page.evaluate(() => (window as PageWindow<T>).__results as T);
    return { results, error };
  } finally {
    await context?.close();
    server.close();
  }
}
