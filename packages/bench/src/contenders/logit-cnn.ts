import { getBackend, nn, optim, tensor, tidy, type Tensor } from '@logit/core';
import { CNN_SHAPES, type CnnProblem, type PreparedTraining } from './types.js';

/** The mnist Net as a Logit user writes it: a Module with PyTorch's layer names, CrossEntropyLoss, SGD, a tidy step. */
class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 32, 3);
  conv2 = new nn.Conv2d(32, 64, 3);
  pool = new nn.MaxPool2d(2);
  fc1 = new nn.Linear(9216, 128);
  fc2 = new nn.Linear(128, 10);

  forward(x: Tensor): Tensor {
    const h = this.pool.forward(this.conv2.forward(this.conv1.forward(x).relu()).relu());
    return this.fc2.forward(this.fc1.forward(h.flatten(1)).relu());
  }
}

export function logitCnn(p: CnnProblem): PreparedTraining {
  const model = new Net();
  const state = Object.fromEntries(Object.entries(p.params).map(([k, v]) => [k, tensor(v, { shape: CNN_SHAPES[k as keyof CnnProblem['params']] })]));
  model.loadStateDict(state);
  for (const t of Object.values(state)) t.dispose();
  const x = tensor(p.x, { shape: [p.batch, 1, 28, 28] });
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
      const value = getBackend().readSync ? loss.itemSync() : await loss.item();
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
