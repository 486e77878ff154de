// The @tensorflow/tfjs bundle, as users install it: tfjs-core alone registers no gradients in Node.
import * as tf from '@tensorflow/tfjs';
import { tfjsGpt } from './tfjs-gpt.js';
import { tfjsLstmLm } from './tfjs-lstm-lm.js';
import { tfjsCnn } from './tfjs-cnn.js';
import type { Contender, MlpProblem, PreparedCase, PreparedTraining } from './types.js';

/**
 * How a user reads results on a backend: `dataSync()` on cpu and wasm; `await data()` on webgpu,
 * whose dataSync goes through a canvas and warns that it is slow.
 */
export type Readback = 'sync' | 'async';

async function readBack(t: tf.Tensor, readback: Readback): Promise<ArrayLike<number>> {
  return readback === 'sync' ? t.dataSync() : t.data();
}

/** rows x cols row-major → cols x rows: tfjs users keep dense kernels as (in x out). */
export function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = w[i * cols + j];
  return out;
}

/** The MLP as a tfjs user writes it without tf.layers: variables, softmaxCrossEntropy, sgd.minimize. */
function tfjsMlp(p: MlpProblem, readback: Readback): PreparedTraining {
  const kernels = p.weights.map((w, l) => tf.variable(tf.tensor2d(transpose(w, p.sizes[l + 1], p.sizes[l]), [p.sizes[l], p.sizes[l + 1]])));
  const biases = p.biases.map((b) => tf.variable(tf.tensor1d(b)));
  const classes = p.sizes[p.sizes.length - 1];
  const x = tf.tensor2d(p.x, [p.batch, p.sizes[0]]);
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(p.labels, 'int32'), classes), 'float32'));
  const opt = tf.train.sgd(p.lr);
  const forward = (): tf.Tensor => {
    let h: tf.Tensor = x;
    kernels.forEach((k, l) => {
      h = tf.add(tf.matMul(h, k), biases[l]);
      if (l + 1 < kernels.length) h = tf.relu(h);
    });
    return h;
  };
  return {
    async step() {
      // minimize computes the gradients of the returned loss (mean over the batch) and applies them.
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(oneHot, forward()) as tf.Scalar, true, [...kernels, ...biases])!;
      const value = (await readBack(loss, readback))[0];
      loss.dispose();
      return value;
    },
    dispose() {
      for (const v of [...kernels, ...biases]) v.dispose();
      x.dispose();
      oneHot.dispose();
      opt.dispose();
    },
  };
}

/**
 * TensorFlow.js on one of its registered backends. The backend package must be imported (it
 * registers itself on import) by whoever builds this contender.
 */
export function tfjsContender(name: string, tfBackend: string, readback: Readback = 'sync'): Contender {
  return {
    name,
    async activate() {
      // Production mode skips tfjs's debug-time checks: tfjs measured as its users deploy it.
      tf.enableProdMode();
      if (!(await tf.setBackend(tfBackend))) throw new Error(`tfjs backend '${tfBackend}' failed to initialize`);
      await tf.ready();
    },
    matmul(n, aData, bData): PreparedCase {
      const a = tf.tensor2d(aData, [n, n]);
      const b = tf.tensor2d(bData, [n, n]);
      return {
        async run() {
          const c = tf.matMul(a, b);
          await readBack(c, readback);
          c.dispose();
        },
        // tfjs's cpu and wasm kernels run inside the op call (those are the 'sync' readback ones)
        compute: readback === 'sync' ? () => tf.matMul(a, b).dispose() : undefined,
        async result() {
          const c = tf.matMul(a, b);
          const data = (await c.data()) as Float32Array;
          c.dispose();
          return data;
        },
        dispose() {
          a.dispose();
          b.dispose();
        },
      };
    },
    mlp: (problem) => tfjsMlp(problem, readback),
    gpt: (problem) => tfjsGpt(problem, (t) => readBack(t, readback)),
    lstmLm: (problem) => tfjsLstmLm(problem, (t) => readBack(t, readback), tfBackend === 'wasm'),
    // tfjs-backend-wasm registers no Conv2DBackpropFilter: its conv filter gradients go through tf.customGrad
    cnn: (problem) => tfjsCnn(problem, (t) => readBack(t, readback), tfBackend === 'wasm'),
  };
}
