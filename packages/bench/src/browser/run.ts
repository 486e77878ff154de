import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPage } from '@logit/headless';
import { build } from 'esbuild';
import type { PageConfig, PageResults } from './protocol.js';

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
 * Runs one benchmark in headless Chromium (WebGPU on SwiftShader without a GPU; see
 * @logit/headless): bundles the bench page, serves it from 127.0.0.1 (a secure context, as WebGPU
 * needs), passes `config` in, forwards the page's progress lines to `log`, and returns what the
 * page measured. Fails on a page error or after `timeoutMs`.
 */
export async function runInBrowser(config: PageConfig, log: (line: string) => void, timeoutMs: number): Promise<PageResults> {
  const { results, error } = await runPage<PageResults>({
    script: await bundlePage(),
    head: `<script>window.__config = ${JSON.stringify(config)};</script>`,
    timeoutMs,
    log,
  });
  if (error) throw new Error(`bench --browser: the page failed: ${error}`);
  return results;
}
