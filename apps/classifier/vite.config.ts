import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { encodeIdx } from './src/lib/idx.js';
import { loadEmbeddedDigits } from './src/node/embedded.js';
import { loadEmbeddedNames } from './src/node/names-data.js';

export const DIGITS_IMAGES = 'data/mnist-images-idx3-ubyte.gz';
export const DIGITS_LABELS = 'data/mnist-labels-idx1-ubyte.gz';
export const NAMES_LIST = 'data/names.txt';

/**
 * Ships the `mnist` package's 10,000 digits to the page as two gzipped IDX files (about 1.5 MB
 * instead of 21 MB of JSON), and the names task's 8,422 cleaned names as one text file (60 kB):
 * served by the dev server, emitted as assets by the build.
 */
function embeddedDigits(): Plugin {
  let files: Map<string, Uint8Array> | null = null;
  const build = (): Map<string, Uint8Array> => {
    if (files) return files;
    const set = loadEmbeddedDigits();
    files = new Map([
      [DIGITS_IMAGES, gzipSync(encodeIdx([set.count, set.rows, set.cols], set.images))],
      [DIGITS_LABELS, gzipSync(encodeIdx([set.count], set.labels))],
      [NAMES_LIST, new TextEncoder().encode(`${loadEmbeddedNames().join('\n')}\n`)],
    ]);
    return files;
  };
  return {
    name: 'logit-embedded-digits',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0].replace(/^\//, '');
        const body = build().get(path);
        if (!body) return next();
        res.setHeader('Content-Type', path.endsWith('.txt') ? 'text/plain; charset=utf-8' : 'application/octet-stream');
        res.end(body);
      });
    },
    generateBundle() {
      for (const [fileName, source] of build()) this.emitFile({ type: 'asset', fileName, source });
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [embeddedDigits()],
  worker: { format: 'es' },
  // backend-wasm finds its .wasm with new URL(..., import.meta.url); pre-bundling would break that.
  optimizeDeps: { exclude: ['@logit/backend-wasm'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 1500 },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
