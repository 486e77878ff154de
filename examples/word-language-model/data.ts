/** pytorch/examples word_language_model's data.py: a word dictionary and a tokenised corpus. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tensor, type Tensor } from '@logit/core';

export class Dictionary {
  readonly word2idx = new Map<string, number>();
  readonly idx2word: string[] = [];

  addWord(word: string): number {
    let id = this.word2idx.get(word);
    if (id === undefined) {
      id = this.idx2word.push(word) - 1;
      this.word2idx.set(word, id);
    }
    return id;
  }

  get length(): number {
    return this.idx2word.length;
  }
}

/** train.txt, valid.txt and test.txt of a folder, each a 1-D int32 tensor of word ids (`<eos>` ends a line). */
export class Corpus {
  readonly dictionary = new Dictionary();
  readonly train: Tensor;
  readonly valid: Tensor;
  readonly test: Tensor;

  constructor(path: string) {
    this.train = this.tokenize(join(path, 'train.txt'));
    this.valid = this.tokenize(join(path, 'valid.txt'));
    this.test = this.tokenize(join(path, 'test.txt'));
  }

  private tokenize(file: string): Tensor {
    const ids: number[] = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.length === 0) continue;
      for (const word of [...line.split(/\s+/).filter(Boolean), '<eos>']) ids.push(this.dictionary.addWord(word));
    }
    return tensor(ids, { dtype: 'int32' });
  }
}

/**
 * Arranges the word stream into `bsz` columns, [nbatch, bsz]: column j is the j-th slice of the
 * text, so each column is learnt independently and the hidden state carries along a column.
 * The words that do not fill a last row are dropped.
 */
export function batchify(data: Tensor, bsz: number): Tensor {
  const nbatch = Math.floor(data.shape[0] / bsz);
  return data.narrow(0, 0, nbatch * bsz).view([bsz, -1]).T;
}

/** Rows i .. i + seqLen of `source` and, flattened, the word after each: the BPTT window at i. */
export function getBatch(source: Tensor, i: number, bptt: number): { data: Tensor; target: Tensor } {
  const seqLen = Math.min(bptt, source.shape[0] - 1 - i);
  return { data: source.narrow(0, i, seqLen), target: source.narrow(0, i + 1, seqLen).reshape([-1]) };
}
