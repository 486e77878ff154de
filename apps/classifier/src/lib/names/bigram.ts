import { nn, tensor, type Tensor } from '@logit/core';
import type { Vocabulary } from './vocab.js';

/**
 * How often each character follows each other in `names` (boundary token included):
 * counts[a * V + b] = the number of times b follows a. Computed on the host, exactly.
 */
export function bigramCounts(names: readonly string[], vocab: Vocabulary): Float64Array {
  const v = vocab.size;
  const counts = new Float64Array(v * v);
  for (const name of names) {
    const ids = [0, ...vocab.encode(name), 0];
    for (let i = 0; i + 1 < ids.length; i++) counts[ids[i] * v + ids[i + 1]] += 1;
  }
  return counts;
}

/**
 * The bigram model, the baseline every number is compared with: the next character depends on
 * the current one only, with probabilities counted on the training names, each count plus
 * `smoothing` so an unseen pair is unlikely rather than impossible (makemore adds 1):
 *
 *   P(b | a) = (count(a, b) + smoothing) / sum_c (count(a, c) + smoothing)
 *
 * It is an nn.Embedding whose row a holds log P(. | a): log-probabilities are logits whose
 * logsumexp is 0, so CrossEntropyLoss on its output is exactly the counted model's
 * negative log-likelihood, and it trains, evaluates and samples through the same code as the
 * transformer. Input (N, T) int32 token ids; output (N, T, V).
 */
export class BigramModel extends nn.Module {
  readonly table: nn.Embedding;

  constructor(readonly vocab: Vocabulary, trainNames: readonly string[], readonly smoothing = 1) {
    super();
    const v = vocab.size;
    const counts = bigramCounts(trainNames, vocab);
    const logProbs = new Float32Array(v * v);
    for (let a = 0; a < v; a++) {
      let total = 0;
      for (let b = 0; b < v; b++) total += counts[a * v + b] + smoothing;
      for (let b = 0; b < v; b++) logProbs[a * v + b] = Math.log((counts[a * v + b] + smoothing) / total);
    }
    const weight = tensor(logProbs, { shape: [v, v] });
    this.table = nn.Embedding.fromPretrained(weight); // holds a view: the storage outlives `weight`
    weight.dispose();
  }

  forward(x: Tensor): Tensor {
    return this.table.forward(x);
  }
}
