import { nn, noGrad, tidy, type Tensor } from '@logit/core';
import { batchTensors, encodeNames } from './data.js';
import type { NextCharModel } from './sample.js';
import { IGNORE_INDEX, type Vocabulary } from './vocab.js';

/** One position of a name: what the model saw, what came next, and that character's loss term. */
export interface PositionTerm {
  /** The character at this position of the input (the boundary '.' first). */
  input: string;
  /** The true next character ('.' ends the name), or '·' at padding. */
  target: string;
  /** Padding: the target is IGNORE_INDEX and CrossEntropyLoss skips the position. */
  ignored: boolean;
  /** z_t[y_t]: the logit of the true next character (null at padding). */
  logit: number | null;
  /** log sum_c exp(z_t[c]): what LogSoftmax subtracts from every logit at this position. */
  logSumExp: number;
  /** LogSoftmax(z_t)[y_t] = z_t[y_t] - logsumexp(z_t) (null at padding). */
  logSoftmax: number | null;
  /** The NLL term -LogSoftmax(z_t)[y_t], as nn.NLLLoss({ reduction: 'none' }) gives it (0 at padding). */
  nll: number;
  /** The model's likeliest next character here. */
  predicted: string;
}

/**
 * CrossEntropyLoss on a sequence taken apart, for one name padded to the model's context:
 *
 *   logits z (N, T, V) -> permute -> (N, V, T): the classes in dim 1, as CrossEntropyLoss wants
 *   LogSoftmax over the V classes at every position t
 *   NLL term at t:  -LogSoftmax(z_t)[y_t], or nothing where y_t = ignoreIndex (padding)
 *   CrossEntropyLoss = sum of the terms / number of non-ignored positions
 *
 * and the same number from the (N * T, V) flattened form. `paddingCounted` is the classic
 * mistake for comparison: padding given a real target (the boundary token) and averaged in.
 */
export interface SequenceLossAnatomy {
  name: string;
  positions: PositionTerm[];
  /** Non-ignored positions: the name's letters plus its end token. */
  counted: number;
  /** The mean of the NLL terms over the non-ignored positions, summed on the host in float64. */
  meanNll: number;
  /** nn.CrossEntropyLoss() on logits (1, V, T) and targets (1, T) with ignoreIndex -100. */
  crossEntropyNCT: number;
  /** nn.CrossEntropyLoss() on logits (T, V) and targets (T): the flattened form. */
  crossEntropyFlat: number;
  /** CrossEntropyLoss if the padding targets were the boundary token instead of ignored. */
  paddingCounted: number;
}

const numbers = async (t: Tensor): Promise<number[]> => Array.from((await t.data()) as ArrayLike<number>);

/** Runs one name through the model in eval mode, padded to `length` positions, and takes its loss apart. */
export async function sequenceLossAnatomy(model: NextCharModel, vocab: Vocabulary, name: string, length: number): Promise<SequenceLossAnatomy> {
  const encoded = encodeNames([name], vocab, length);
  const t = encoded.t;
  const v = vocab.size;
  const wasTraining = model.training;
  model.eval();
  const outs = tidy(() => noGrad(() => {
    const { x, y } = batchTensors(encoded);
    const z = model.forward(x); // (1, T, V)
    const zNCT = z.permute(0, 2, 1); // (1, V, T)
    const logProbs = new nn.LogSoftmax(1).forward(zNCT);
    const padAsBoundary = y.maskedFill(y.eq(IGNORE_INDEX), 0);
    return [
      z, z.logsumexp(2), logProbs, z.argmax(2),
      new nn.NLLLoss({ reduction: 'none' }).forward(logProbs, y), // (1, T): the terms
      new nn.CrossEntropyLoss().forward(zNCT, y),
      new nn.CrossEntropyLoss().forward(z.reshape([t, v]), y.reshape([t])),
      new nn.CrossEntropyLoss().forward(zNCT, padAsBoundary),
    ];
  }));
  model.train(wasTraining);
  try {
    const [z, lse, lp, argmax, terms] = await Promise.all(outs.slice(0, 5).map(numbers));
    const [nct, flat, padded] = await Promise.all(outs.slice(5).map((s) => s.item()));
    const positions: PositionTerm[] = [];
    let sum = 0;
    let counted = 0;
    for (let i = 0; i < t; i++) {
      const target = encoded.y[i];
      const ignored = target === IGNORE_INDEX;
      if (!ignored) {
        sum += terms[i];
        counted += 1;
      }
      positions.push({
        input: vocab.show(encoded.x[i]),
        target: vocab.show(target),
        ignored,
        logit: ignored ? null : z[i * v + target],
        logSumExp: lse[i],
        logSoftmax: ignored ? null : lp[target * t + i],
        nll: terms[i],
        predicted: vocab.show(argmax[i]),
      });
    }
    return { name, positions, counted, meanNll: sum / counted, crossEntropyNCT: nct, crossEntropyFlat: flat, paddingCounted: padded };
  } finally {
    for (const o of outs) o.dispose();
  }
}
