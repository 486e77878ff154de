import { setBackend } from '@logit/core';
import { createBackend } from '@logit/backend-cpu';
import { DIGIT_CLASSES, subsetOf, type Splits } from '../src/lib/images.js';
import { splitNames, type NameSplits } from '../src/lib/names/data.js';
import { loadEmbeddedDigits } from '../src/node/embedded.js';
import { loadEmbeddedNames } from '../src/node/names-data.js';

export async function useCpu(): Promise<void> {
  setBackend(await createBackend());
}

/**
 * A small, fixed sample of the embedded digits (which are stored sorted by class), so runs take a
 * second or two: image (i * 7919) mod 10000 for consecutive i — 7919 is prime, so no repeats.
 */
export function smallSplits(train = 1500, val = 300, test = 300): Splits {
  const all = loadEmbeddedDigits();
  const pick = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => ((from + i) * 7919) % all.count);
  return {
    name: 'embedded slice',
    classNames: DIGIT_CLASSES,
    train: subsetOf(all, pick(0, train)),
    val: subsetOf(all, pick(train, val)),
    test: subsetOf(all, pick(train + val, test)),
  };
}

/**
 * A small, fixed slice of the embedded names split 60/20/20 (seeded), so names runs take seconds.
 * Every fifth name of the first 5 * `count`, to mix the female and male lists' alphabetical order less.
 */
export function smallNameSplits(count = 500, seed = 0): NameSplits {
  const all = loadEmbeddedNames();
  return splitNames(Array.from({ length: count }, (_, i) => all[(i * 5) % all.length]), [0.6, 0.2, 0.2], seed, 'names slice');
}
