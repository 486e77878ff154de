import { DTypeError, ValueError } from '../errors.js';
import { nextRandom } from '../random/generator.js';
import { philox4x32 } from '../random/philox.js';
import type { Tensor } from '../tensor.js';
import { fromHost } from './dispatch.js';
import { checkOptions, type OptionKeys } from '../options.js';

const TWO_POW_32 = 4294967296;
const MAX_N = 2 ** 31 - 1;

/**
 * A random permutation of 0..n-1 as host integers, from the seeded Philox stream (see
 * manualSeed). It reserves the counters a `rand([n])` would, and shuffles on the host with
 * Fisher-Yates, so the permutation is the same on every backend and needs no readback.
 * Used by randperm, DataLoader's shuffle and randomSplit.
 */
export function randpermIndices(n: number, op = 'randperm'): Int32Array {
  if (!Number.isInteger(n) || n < 0 || n > MAX_N) {
    throw new ValueError(`${op}: n must be an integer in [0, 2^31 - 1], got ${n}`);
  }
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const { key, offset } = nextRandom(n);
  const block = new Uint32Array(4);
  let ctr = -1;
  for (let i = n - 1; i >= 1; i--) {
    // word i of the stream: counter offset + floor(i / 4), lane i % 4
    const c = offset + Math.floor(i / 4);
    if (c !== ctr) {
      philox4x32(key[0], key[1], c % TWO_POW_32, Math.floor(c / TWO_POW_32), block);
      ctr = c;
    }
    // u in [0, 1) with 32 bits; (i + 1) * u stays below i + 1 in float64 for n < 2^31
    const j = Math.floor((block[i % 4] / TWO_POW_32) * (i + 1));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm;
}

/**
 * randperm(n): a random permutation of the integers 0..n-1, like torch.randperm, drawn from the
 * seeded Philox generator so it is identical on every backend. dtype int32 (PyTorch's int64).
 *
 *   manualSeed(0);
 *   const idx = randperm(5);      // e.g. [3, 0, 4, 1, 2]
 *   x.indexSelect(0, idx);        // shuffles the rows of x
 */
export function randperm(n: number, opts: { dtype?: 'int32' } = {}): Tensor {
  opts = checkOptions('randperm', opts, { dtype: true });
  if (opts.dtype !== undefined && opts.dtype !== 'int32') {
    throw new DTypeError(`randperm: dtype must be int32, got ${JSON.stringify(opts.dtype)}`);
  }
  return fromHost(randpermIndices(n), [n], 'int32', undefined, 'randperm');
}
