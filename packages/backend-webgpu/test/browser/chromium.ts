import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPage } from '@logit/headless';
import { build, type Plugin } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
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
 * Bundles `entry` with esbuild and runs it as a page in headless Chromium on navigator.gpu
 * (SwiftShader without a GPU; see @logit/headless). Waits until the page sets window.__done or
 * window.__error and returns window.__results and the error.
 */
export async function runPageInChromium<T>(entry: string, timeoutMs: number): Promise<{ results: T; error: string | null }> {
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
  return runPage<T>({ script: bundle.outputFiles[0].text, timeoutMs });
}
