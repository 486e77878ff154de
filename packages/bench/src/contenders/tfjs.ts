import * as tf from '@tensorflow/tfjs-core';
import type { Contender, PreparedCase } from './types.js';

/**
 * TensorFlow.js on one of its registered backends. The backend package must be imported (it
 * registers itself on import) by whoever builds this contender.
 */
export function tfjsContender(name: string, tfBackend: string): Contender {
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
        run() {
          const c = tf.matMul(a, b);
          c.dataSync();
          c.dispose();
        },
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
  };
}
