// The core API on the active backend: a short MLP training loop, the dataSync error and memory.
import { manualSeed, memory, nn, optim, tensor, tidy, type Tensor } from '@logit/core';

/** Losses of 8 SGD steps of a 2-layer MLP on fixed data, from a fixed seed. */
export async function trainMlp(): Promise<number[]> {
  manualSeed(1234);
  const model = new nn.Sequential(new nn.Linear(6, 16), new nn.ReLU(), new nn.Linear(16, 3));
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new optim.SGD(model.parameters(), { lr: 0.2, momentum: 0.9 });
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < 24; i++) {
    xs.push(Array.from({ length: 6 }, (_, j) => Math.sin(i * 1.3 + j * 0.7)));
    ys.push(i % 3);
  }
  const x = tensor(xs);
  const y = tensor(ys, { dtype: 'int32' });
  const losses: number[] = [];
  for (let step = 0; step < 8; step++) {
    const loss = tidy(() => {
      opt.zeroGrad();
      const l = lossFn.forward(model.forward(x) as Tensor, y);
      l.backward();
      opt.step();
      return l;
    });
    losses.push(await loss.item());
    loss.dispose();
  }
  x.dispose();
  y.dispose();
  return losses;
}

/** The message of dataSync() on the active backend, or null if it returned data. */
export function dataSyncMessage(): string | null {
  const t = tensor([1, 2, 3]);
  try {
    t.dataSync();
    return null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    t.dispose();
  }
}

/** Live storages before and after a tidy scope that runs ops and returns nothing. */
export async function memoryRoundTrip(): Promise<[number, number]> {
  const before = memory().storages;
  const a = tensor([[1, 2], [3, 4]]);
  tidy(() => {
    const b = a.matmul(a).exp().sum(1).softmax(0);
    void b;
  });
  a.dispose();
  return [before, memory().storages];
}
