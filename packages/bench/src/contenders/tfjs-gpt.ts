// The @tensorflow/tfjs bundle, as users install it (tfjs-core alone registers no gradients in Node).
import * as tf from '@tensorflow/tfjs';
import { transpose } from './tfjs.js';
import { gptShapes, type GptProblem, type PreparedTraining } from './types.js';

/**
 * The same GPT written with tfjs ops, as a tfjs user must (tfjs has no attention, no causal mask
 * and no AdamW): dense kernels kept as (in, out) variables, LayerNorm from tf.moments, causal
 * attention as batched matMuls with an additive -1e9 mask above the diagonal and tf.softmax, exact
 * GELU through tf.erf, the tied output layer as a matMul with the embedding, the mean cross
 * entropy of tf.losses.softmaxCrossEntropy, and AdamW as tf.train.adam plus the decoupled
 * weight decay applied between the gradients and the Adam update (as torch.optim.AdamW orders
 * it). The token embedding is a one-hot matMul: tfjs-backend-wasm has no UnsortedSegmentSum, the
 * kernel tf.gather's gradient needs (and with 28 symbols the one-hot product is small).
 */
export function tfjsGpt(p: GptProblem, read: (t: tf.Tensor) => Promise<ArrayLike<number>>): PreparedTraining {
  const [B, T, C, H] = [p.batch, p.seq, p.nEmbd, p.nHead];
  const hs = C / H;
  const vars = new Map<string, tf.Variable>();
  for (const [name, shape] of Object.entries(gptShapes(p))) {
    const isDense = shape.length === 2 && !name.startsWith('transformer.wte') && !name.startsWith('transformer.wpe');
    const value = isDense ? tf.tensor2d(transpose(p.params[name], shape[0], shape[1]), [shape[1], shape[0]]) : tf.tensor(p.params[name], shape);
    vars.set(name, tf.variable(value));
    value.dispose();
  }
  const v = (name: string): tf.Variable => vars.get(name)!;
  const decay = [...vars.values()].filter((t) => t.rank >= 2);

  const [xOneHot, yOneHot, mask] = tf.tidy(() => [
    tf.oneHot(tf.tensor1d(p.x, 'int32'), p.vocabSize).toFloat(),
    tf.oneHot(tf.tensor1d(p.y, 'int32'), p.vocabSize).toFloat(),
    tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), -1e9), // 0 where key <= query
  ]);
  const dense = (h: tf.Tensor, name: string): tf.Tensor => tf.add(tf.matMul(h, v(`${name}.weight`)), v(`${name}.bias`));
  const layerNorm = (h: tf.Tensor, name: string): tf.Tensor => {
    const { mean, variance } = tf.moments(h, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(h, mean), tf.rsqrt(tf.add(variance, 1e-5))), v(`${name}.weight`)), v(`${name}.bias`));
  };
  const gelu = (h: tf.Tensor): tf.Tensor => tf.mul(tf.mul(h, 0.5), tf.add(tf.erf(tf.mul(h, Math.SQRT1_2)), 1));
  const heads = (t: tf.Tensor): tf.Tensor => tf.transpose(tf.reshape(t, [B, T, H, hs]), [0, 2, 1, 3]);

  const lossOf = (): tf.Scalar => {
    const wte = v('transformer.wte.weight');
    let h = tf.reshape(tf.add(tf.reshape(tf.matMul(xOneHot, wte), [B, T, C]), v('transformer.wpe.weight')), [B * T, C]);
    for (let l = 0; l < p.nLayer; l++) {
      const blk = `transformer.h.${l}`;
      const [q, k, val] = tf.split(dense(layerNorm(h, `${blk}.ln_1`), `${blk}.attn.c_attn`), 3, 1).map(heads);
      const att = tf.softmax(tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(hs)), mask));
      const y = tf.reshape(tf.transpose(tf.matMul(att, val), [0, 2, 1, 3]), [B * T, C]);
      h = tf.add(h, dense(y, `${blk}.attn.c_proj`));
      h = tf.add(h, dense(gelu(dense(layerNorm(h, `${blk}.ln_2`), `${blk}.mlp.c_fc`)), `${blk}.mlp.c_proj`));
    }
    const logits = tf.matMul(layerNorm(h, 'transformer.ln_f'), wte, false, true);
    return tf.losses.softmaxCrossEntropy(yOneHot, logits) as tf.Scalar;
  };

  const opt = tf.train.adam(p.lr, p.betas[0], p.betas[1], 1e-8);
  const varList = [...vars.values()];
  return {
    async step() {
      const { value, grads } = tf.variableGrads(lossOf, varList);
      tf.tidy(() => {
        for (const w of decay) w.assign(tf.mul(w, 1 - p.lr * p.weightDecay));
      });
      opt.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
      tf.dispose(grads);
      const loss = (await read(value))[0];
      value.dispose();
      return loss;
    },
    dispose() {
      for (const t of [...varList, xOneHot, yOneHot, mask]) t.dispose();
      opt.dispose();
    },
  };
}
