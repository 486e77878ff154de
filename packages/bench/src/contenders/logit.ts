import { getBackend, nn, optim, setBackend, tensor, tidy, type Backend, type Tensor } from '@logit/core';
import { logitGpt } from './logit-gpt.js';
import { logitLayerStep } from './logit-layers.js';
import { logitLstmLm } from './logit-lstm-lm.js';
import { logitCnn } from './logit-cnn.js';
import type { Contender, MlpProblem, PreparedCase, PreparedTraining } from './types.js';

/** Reads a tensor the way a user of this backend would: synchronously where the backend can. */
async function readBack(t: Tensor): Promise<void> {
  if (getBackend().readSync) t.dataSync();
  else await t.data();
}

async function readScalar(t: Tensor): Promise<number> {
  return getBackend().readSync ? t.itemSync() : t.item();
}

/** The MLP as a user writes it: Sequential of Linear/ReLU, CrossEntropyLoss, SGD, a tidy step. */
function logitMlp(p: MlpProblem): PreparedTraining {
  const layers: nn.Module[] = [];
  for (let l = 0; l + 1 < p.sizes.length; l++) {
    if (l > 0) layers.push(new nn.ReLU());
    layers.push(new nn.Linear(p.sizes[l], p.sizes[l + 1]));
  }
  const model = new nn.Sequential(...layers);
  // Sequential names its children by position: Linear l is child 2l (a ReLU sits between).
  const state: Record<string, Tensor> = {};
  p.weights.forEach((w, l) => {
    state[`${2 * l}.weight`] = tensor(w, { shape: [p.sizes[l + 1], p.sizes[l]] });
    state[`${2 * l}.bias`] = tensor(p.biases[l]);
  });
  model.loadStateDict(state);
  for (const t of Object.values(state)) t.dispose();

  const x = tensor(p.x, { shape: [p.batch, p.sizes[0]] });
  const y = tensor(p.labels);
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new optim.SGD(model.parameters(), { lr: p.lr });
  return {
    async step() {
      const loss = tidy(() => {
        opt.zeroGrad();
        const loss = lossFn.forward(model.forward(x), y);
        loss.backward();
        opt.step();
        return loss;
      });
      const value = await readScalar(loss);
      loss.dispose();
      return value;
    },
    dispose() {
      opt.zeroGrad();
      for (const param of model.parameters()) param.dispose();
      x.dispose();
      y.dispose();
    },
  };
}

/** Logit through its public API on the backend that `create` makes (created once, lazily). */
export function logitContender(
  name: string, create: () => Promise<Backend>, compareTo?: string, benchmarks?: readonly string[],
): Contender {
  let backend: Backend | undefined;
  return {
    name,
    compareTo,
    benchmarks,
    async activate() {
      backend ??= await create();
      setBackend(backend);
    },
    matmul(n, aData, bData): PreparedCase {
      const a = tensor(aData, { shape: [n, n] });
      const b = tensor(bData, { shape: [n, n] });
      // readSync marks a synchronous backend: its kernels are done when the op returns
      const synchronous = getBackend().readSync !== undefined;
      return {
        async run() {
          const c = a.matmul(b);
          await readBack(c);
          c.dispose();
        },
        compute: synchronous ? () => a.matmul(b).dispose() : undefined,
        async result() {
          const c = a.matmul(b);
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
    mlp: logitMlp,
    layerStep: logitLayerStep,
    gpt: logitGpt,
    lstmLm: logitLstmLm,
    cnn: logitCnn,
  };
}
