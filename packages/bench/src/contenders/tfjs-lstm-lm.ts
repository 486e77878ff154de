import * as tf from '@tensorflow/tfjs';
import type { LstmLmProblem, PreparedTraining } from './types.js';

/** rows x cols row-major -> cols x rows: Keras keeps kernels as (in x out). */
function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = w[i * cols + j];
  return out;
}

/**
 * The language model as a tfjs user writes it with tf.layers: embedding, lstm (returnSequences)
 * per layer, dense over the vocabulary; softmaxCrossEntropy on one-hot targets (the mean over
 * positions, as CrossEntropyLoss), sgd.minimize. Keras stacks the LSTM gates i, f, c, o (PyTorch's
 * i, f, g, o), keeps one bias (b_ih + b_hh), and defaults to a hard sigmoid for the gates:
 * `recurrentActivation: 'sigmoid'` makes it the same function as PyTorch's.
 *
 * `customGradEmbedding`: tfjs-backend-wasm 4.22 has no UnsortedSegmentSum, the gradient of the
 * embedding's gather, so there the lookup is a tf.gather whose tf.customGrad gradient is
 * oneHot(tokens)^T @ dy (the same numbers, as one matmul), in front of the same layers.
 */
export function tfjsLstmLm(p: LstmLmProblem, read: (t: tf.Tensor) => Promise<ArrayLike<number>>, customGradEmbedding = false): PreparedTraining {
  const model = tf.sequential();
  const table = tf.tensor2d(p.embedding, [p.vocab, p.embed]);
  const tokens = tf.tensor2d(p.tokens, [p.batch, p.seq], 'int32');
  const n = p.batch * p.seq;
  let lookup: (() => tf.Tensor) | null = null;
  const extra: tf.Tensor[] = [];
  if (customGradEmbedding) {
    const weight = tf.variable(table);
    const ids = tf.reshape(tokens, [n]);
    const idsOneHot = tf.tidy(() => tf.cast(tf.oneHot(ids, p.vocab), 'float32'));
    const gatherWithGrad = (w: tf.Tensor) => ({
      value: tf.reshape(tf.gather(w, ids), [p.batch, p.seq, p.embed]),
      gradFunc: (dy: tf.Tensor) => tf.matMul(idsOneHot, tf.reshape(dy, [n, p.embed]), true, false),
    });
    const gather = tf.customGrad(gatherWithGrad as unknown as Parameters<typeof tf.customGrad>[0]) as (w: tf.Tensor) => tf.Tensor;
    lookup = () => gather(weight);
    extra.push(weight, ids, idsOneHot);
  } else {
    model.add(tf.layers.embedding({ inputDim: p.vocab, outputDim: p.embed, inputLength: p.seq, weights: [table] }));
  }
  p.lstm.forEach((w, l) => {
    const inSize = l === 0 ? p.embed : p.hidden;
    const bias = w.bih.map((v, i) => v + w.bhh[i]);
    model.add(tf.layers.lstm({
      units: p.hidden, returnSequences: true, recurrentActivation: 'sigmoid',
      // the weights are given: skip the default orthogonal init (a slow QR on tfjs-cpu)
      kernelInitializer: 'zeros', recurrentInitializer: 'zeros',
      ...(l === 0 && customGradEmbedding ? { inputShape: [p.seq, p.embed] } : {}),
      weights: [tf.tensor2d(transpose(w.wih, 4 * p.hidden, inSize), [inSize, 4 * p.hidden]), tf.tensor2d(transpose(w.whh, 4 * p.hidden, p.hidden), [p.hidden, 4 * p.hidden]), tf.tensor1d(bias)],
    }));
  });
  model.add(tf.layers.dense({ units: p.vocab, weights: [tf.tensor2d(transpose(p.decoderWeight, p.vocab, p.hidden), [p.hidden, p.vocab]), tf.tensor1d(p.decoderBias)] }));
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(p.targets, 'int32'), p.vocab), 'float32'));
  const opt = tf.train.sgd(p.lr);
  const weights = [...(customGradEmbedding ? [extra[0] as tf.Variable] : []), ...model.trainableWeights.map((w) => w.read() as tf.Variable)];
  return {
    async step() {
      const loss = opt.minimize(() => {
        const logits = model.apply(lookup ? lookup() : tokens, { training: true }) as tf.Tensor;
        return tf.losses.softmaxCrossEntropy(oneHot, tf.reshape(logits, [n, p.vocab])) as tf.Scalar;
      }, true, weights)!;
      const value = (await read(loss))[0];
      loss.dispose();
      return value;
    },
    dispose() {
      model.dispose();
      for (const t of [table, tokens, oneHot, ...extra]) t.dispose();
      opt.dispose();
    },
  };
}
