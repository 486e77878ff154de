import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { io, memory, nn, optim, setFusedKernelsEnabled, tidy, type Tensor } from '@logit/core';

// 20 SGD steps of a 2-layer LSTM and GRU (batchFirst, dropout 0) with a Linear head, from the
// initial weights and the batches PyTorch wrote into fixtures/rnn-sgd.safetensors
// (tools/goldens/rnn_sgd.py): every step's loss must match PyTorch's to 1e-4 relative.

const fixture = readFileSync(new URL('./fixtures/rnn-sgd.safetensors', import.meta.url));

class Net extends nn.Module {
  rnn: nn.LSTM | nn.GRU;
  head = new nn.Linear(16, 4);
  constructor(kind: 'LSTM' | 'GRU') {
    super();
    this.rnn = kind === 'LSTM' ? new nn.LSTM(5, 16, { numLayers: 2, batchFirst: true, dropout: 0 }) : new nn.GRU(5, 16, { numLayers: 2, batchFirst: true, dropout: 0 });
  }
  forward(x: Tensor): Tensor {
    const [out] = this.rnn.forward(x);
    return this.head.forward(out);
  }
}

function train(kind: 'LSTM' | 'GRU'): { got: number[]; expected: number[] } {
  const all = io.load(fixture);
  const prefix = `${kind.toLowerCase()}.`;
  const net = new Net(kind);
  net.loadStateDict(Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v])));
  const opt = new optim.SGD(net.parameters(), { lr: 0.3, momentum: 0.9 });
  const lossFn = new nn.CrossEntropyLoss();
  const got: number[] = [];
  for (let step = 0; step < 20; step++) {
    got.push(tidy(() => {
      opt.zeroGrad();
      const loss = lossFn.forward(net.forward(all.inputs.select(0, step)).reshape([-1, 4]), all.targets.select(0, step).reshape([-1]));
      loss.backward();
      opt.step();
      return loss.itemSync();
    }));
  }
  const expected = Array.from(all[`losses.${kind.toLowerCase()}`].dataSync());
  for (const t of Object.values(all)) t.dispose();
  opt.zeroGrad();
  opt.dispose();
  for (const p of net.parameters()) p.dispose();
  return { got, expected };
}

describe("20 SGD steps from PyTorch's initial weights give PyTorch's losses", () => {
  test.each([
    ['LSTM', true], ['LSTM', false], ['GRU', true], ['GRU', false],
  ] as const)('%s (fused kernels %s)', (kind, fused) => {
    setFusedKernelsEnabled(fused);
    const before = memory().tensors;
    try {
      const { got, expected } = train(kind);
      expect(got.length).toBe(20);
      got.forEach((v, i) => {
        const rel = Math.abs(v - expected[i]) / Math.abs(expected[i]);
        if (!(rel <= 1e-4)) expect.fail(`step ${i}: loss ${v}, PyTorch ${expected[i]} (relative difference ${rel.toExponential(2)} > 1e-4)`);
      });
      // the run moved: the last loss is not the first
      expect(Math.abs(got[19] - got[0])).toBeGreaterThan(1e-3);
    } finally {
      setFusedKernelsEnabled(true);
    }
    expect(memory().tensors).toBe(before);
  });
});
