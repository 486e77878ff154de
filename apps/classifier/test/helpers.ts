import { setBackend } from '@logit/core';
import { createBackend } from '@logit/backend-cpu';
import { DIGIT_CLASSES, subsetOf, type Splits } from '../src/lib/images.js';
import { loadEmbeddedDigits } from '../src/node/embedded.js';

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
