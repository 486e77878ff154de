import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { io, memory, nn, optim, tidy, type Tensor } from '@logit/core';
import { readGolden } from './helpers/golden.js';

// Issue 12's "must show": a small CNN with BatchNorm2d and ConvTranspose2d, from PyTorch's initial
// weights and batch (fixtures/cnn-train.safetensors, written by tools/goldens/cnn_train.py), trained
// 20 steps with SGD (momentum 0.9) on backend-cpu: every loss within 1e-4 (relative) of PyTorch's,
// and the BatchNorm running stats after the last step too. Memory stays flat over the steps.

class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 4, 3, { padding: 1 });
  bn1 = new nn.BatchNorm2d(4);
  pool = new nn.MaxPool2d(2);
  conv2 = new nn.Conv2d(4, 8, 3, { stride: 2, padding: 1 });
  up = new nn.ConvTranspose2d(8, 4, 4, { stride: 2, padding: 1 });
  bn2 = new nn.BatchNorm2d(4);
  fc = new nn.Linear(4 * 4 * 4, 3);

  forward(x: Tensor): Tensor {
    const h = this.pool.forward(this.bn1.forward(this.conv1.forward(x)).relu());
    const d = this.bn2.forward(this.up.forward(this.conv2.forward(h).relu())).relu();
    return this.fc.forward(d.flatten(1));
  }
}

interface Golden {
  torch: string;
  steps: number;
  lr: number;
  momentum: number;
  losses: number[];
  buffersAfter: Record<string, number[]>;
}

test('20 SGD steps of a CNN with BatchNorm2d and ConvTranspose2d give PyTorch\'s losses to 1e-4', () => {
  const golden = readGolden<Golden>('cnn-train.json');
  const loaded = io.load(readFileSync(new URL('./fixtures/cnn-train.safetensors', import.meta.url)));
  const { input: x, target, ...state } = loaded;
  const model = new Net();
  model.loadStateDict(state);
  for (const t of Object.values(state)) t.dispose();
  expect(target.dtype).toBe('int32');
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new optim.SGD(model.parameters(), { lr: golden.lr, momentum: golden.momentum });
  const losses: number[] = [];
  let live = 0;
  for (let s = 0; s < golden.steps; s++) {
    const loss = tidy(() => {
      opt.zeroGrad();
      const loss = lossFn.forward(model.forward(x), target);
      loss.backward();
      opt.step();
      return loss;
    });
    losses.push(loss.itemSync());
    loss.dispose();
    if (s === 1) live = memory().tensors;
    if (s > 1) expect(memory().tensors, `live tensors after step ${s}`).toBe(live);
  }
  const worst = Math.max(...losses.map((l, s) => Math.abs(l - golden.losses[s]) / Math.abs(golden.losses[s])));
  if (process.env.LOGIT_PRINT) console.log(`max relative loss difference over ${golden.steps} steps: ${worst.toExponential(2)}`);
  losses.forEach((l, s) => {
    const want = golden.losses[s];
    expect(Math.abs(l - want) / Math.abs(want), `step ${s}: loss ${l}, PyTorch ${want}`).toBeLessThan(1e-4);
  });
  const buffers = new Map(model.namedBuffers());
  for (const [k, want] of Object.entries(golden.buffersAfter)) {
    const got = buffers.get(k)!.dataSync();
    want.forEach((v, i) => expect(Math.abs(got[i] - v), `${k}[${i}]`).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))));
  }
  opt.zeroGrad();
  for (const t of [...model.parameters(), ...model.buffers(), x, target]) t.dispose();
});
