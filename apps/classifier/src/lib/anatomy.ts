import { nn, noGrad, tensor, tidy, type Tensor } from '@logit/core';
import type { Classifier } from './model.js';

/**
 * What CrossEntropyLoss is made of, for one sample:
 *
 *   logits z                 the model's raw scores, one per class
 *   LogSoftmax(z)_k        = z_k - log(sum_j exp(z_j))
 *   softmax(z)_k           = exp(LogSoftmax(z)_k)            (probabilities, sum to 1)
 *   NLLLoss(LogSoftmax(z), y) = -LogSoftmax(z)_y             (the true class's log-probability, negated)
 *   CrossEntropyLoss(z, y)   = the same number, in one step
 */
export interface LossAnatomy {
  label: number;
  predicted: number;
  logits: number[];
  logSoftmax: number[];
  probabilities: number[];
  /** log(sum_j exp(z_j)): what LogSoftmax subtracts from every logit. */
  logSumExp: number;
  nll: number;
  crossEntropy: number;
}

const numbers = async (t: Tensor): Promise<number[]> => Array.from((await t.data()) as Float32Array);

/** Runs one image (pixels in 0..1) through the model in eval mode and takes its loss apart. */
export async function lossAnatomy(model: Classifier, pixels: Float32Array, label: number): Promise<LossAnatomy> {
  const wasTraining = model.training;
  model.eval();
  const [logits, logSm, probs, lse, nll, ce] = tidy(() => noGrad(() => {
    const x = tensor(pixels, { shape: [1, pixels.length] });
    const target = tensor([label], { dtype: 'int32' });
    const z = model.forward(x);
    const ls = new nn.LogSoftmax(1).forward(z);
    return [
      z, ls, new nn.Softmax(1).forward(z), z.logsumexp(1),
      new nn.NLLLoss().forward(ls, target),
      new nn.CrossEntropyLoss().forward(z, target),
    ];
  }));
  model.train(wasTraining);
  try {
    const probabilities = await numbers(probs);
    return {
      label,
      predicted: probabilities.indexOf(Math.max(...probabilities)),
      logits: await numbers(logits),
      logSoftmax: await numbers(logSm),
      probabilities,
      logSumExp: await lse.item(),
      nll: await nll.item(),
      crossEntropy: await ce.item(),
    };
  } finally {
    for (const t of [logits, logSm, probs, lse, nll, ce]) t.dispose();
  }
}

/** The model's class probabilities for one image (pixels in 0..1), e.g. a digit drawn on the page. */
export async function predictProbabilities(model: Classifier, pixels: Float32Array): Promise<number[]> {
  const wasTraining = model.training;
  model.eval();
  const probs = tidy(() => noGrad(() => model.forward(tensor(pixels, { shape: [1, pixels.length] })).softmax(1)));
  model.train(wasTraining);
  const out = await numbers(probs);
  probs.dispose();
  return out;
}
