import * as tf from '@tensorflow/tfjs';
import type { CnnProblem, PreparedTraining } from './types.js';

/** A copy of `data` (shape `shape`) permuted by `perm`, as tf.transpose would on the host. */
function permuted(data: Float32Array, shape: number[], perm: number[]): Float32Array {
  const out = new Float32Array(data.length);
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const outShape = perm.map((p) => shape[p]);
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < perm.length; d++) src += idx[d] * strides[perm[d]];
    out[o] = data[src];
    for (let d = perm.length - 1; d >= 0 && ++idx[d] === outShape[d]; d--) idx[d] = 0;
  }
  return out;
}

/**
 * dL/dfilter of a stride-1 'valid' conv2d (NHWC input, filter [kH, kW, in, out]) as a conv2d of
 * transposed tensors: the input with batch and channels swapped, convolved with dy as the filter.
 * tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter kernel, so its conv2d cannot train.
 */
function filterGrad(x: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const xT = tf.transpose(x, [3, 1, 2, 0]); // (in, H, W, N): in as the batch, N as the channels
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // (OH, OW, N, out): a filter from N to out channels
    return tf.transpose(tf.conv2d(xT, dyT, 1, 'valid'), [1, 2, 0, 3]); // (kH, kW, in, out)
  });
}

/** conv2d (stride 1, 'valid') whose filter gradient comes from filterGrad; the input gradient only when `inputGrad`. */
function trainableConv(inputGrad: boolean) {
  if (!inputGrad) {
    return (x: tf.Tensor4D, w: tf.Variable) =>
      tf.customGrad(((f: tf.Tensor, save: tf.GradSaveFunc) => {
        save([f]);
        return { value: tf.conv2d(x, f as tf.Tensor4D, 1, 'valid'), gradFunc: (dy: tf.Tensor) => [filterGrad(x, dy as tf.Tensor4D)] };
      }) as unknown as Parameters<typeof tf.customGrad>[0])(w);
  }
  return (x: tf.Tensor4D, w: tf.Variable) =>
    tf.customGrad(((input: tf.Tensor, f: tf.Tensor, save: tf.GradSaveFunc) => {
      save([input, f]);
      return {
        value: tf.conv2d(input as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid'),
        gradFunc: (dy: tf.Tensor, [xs, fs]: tf.Tensor[]) => [
          tf.conv2dTranspose(dy as tf.Tensor4D, fs as tf.Tensor4D, xs.shape as [number, number, number, number], 1, 'valid'),
          filterGrad(xs as tf.Tensor4D, dy as tf.Tensor4D),
        ],
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0])(x, w);
}

/**
 * The mnist Net as a tfjs user writes it without tf.layers: NHWC variables, conv2d, maxPool,
 * softmaxCrossEntropy on one-hot labels, sgd.minimize. With `customFilterGrad` (tfjs-wasm), the
 * convolutions' filter gradients go through tf.customGrad (see filterGrad).
 */
export function tfjsCnn(p: CnnProblem, read: (t: tf.Tensor) => Promise<ArrayLike<number>>, customFilterGrad: boolean): PreparedTraining {
  const P = p.params;
  const conv1W = tf.variable(tf.tensor4d(permuted(P['conv1.weight'], [32, 1, 3, 3], [2, 3, 1, 0]), [3, 3, 1, 32]));
  const conv2W = tf.variable(tf.tensor4d(permuted(P['conv2.weight'], [64, 32, 3, 3], [2, 3, 1, 0]), [3, 3, 32, 64]));
  // PyTorch flattens (C, H, W); NHWC flattens (H, W, C): fc1's rows are permuted to match
  const fc1 = permuted(P['fc1.weight'], [128, 64, 12, 12], [2, 3, 1, 0]);
  const fc1W = tf.variable(tf.tensor2d(fc1, [9216, 128]));
  const fc2W = tf.variable(tf.tensor2d(permuted(P['fc2.weight'], [10, 128], [1, 0]), [128, 10]));
  const biases = (['conv1.bias', 'conv2.bias', 'fc1.bias', 'fc2.bias'] as const).map((k) => tf.variable(tf.tensor1d(P[k])));
  const x = tf.tensor4d(permuted(p.x, [p.batch, 1, 28, 28], [0, 2, 3, 1]), [p.batch, 28, 28, 1]);
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(p.labels, 'int32'), 10), 'float32'));
  const opt = tf.train.sgd(p.lr);
  const conv1 = customFilterGrad ? trainableConv(false) : (input: tf.Tensor4D, w: tf.Variable) => tf.conv2d(input, w as tf.Tensor4D, 1, 'valid');
  const conv2 = customFilterGrad ? trainableConv(true) : (input: tf.Tensor4D, w: tf.Variable) => tf.conv2d(input, w as tf.Tensor4D, 1, 'valid');
  const forward = (): tf.Tensor => {
    const h1 = tf.relu(tf.add(conv1(x, conv1W), biases[0])) as tf.Tensor4D;
    const h2 = tf.relu(tf.add(conv2(h1, conv2W), biases[1])) as tf.Tensor4D;
    const pooled = tf.reshape(tf.maxPool(h2, 2, 2, 'valid'), [p.batch, 9216]);
    const h3 = tf.relu(tf.add(tf.matMul(pooled, fc1W), biases[2]));
    return tf.add(tf.matMul(h3, fc2W), biases[3]);
  };
  const vars = [conv1W, conv2W, fc1W, fc2W, ...biases];
  return {
    async step() {
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(oneHot, forward()) as tf.Scalar, true, vars)!;
      const value = (await read(loss))[0];
      loss.dispose();
      return value;
    },
    dispose() {
      for (const v of vars) v.dispose();
      x.dispose();
      oneHot.dispose();
      opt.dispose();
    },
  };
}
