import { describe, expect, test } from 'vitest';
import {
  DTypeError, ShapeError, ValueError, cat, manualSeed, memory, nn, noGrad, optim, randn, setFusedKernelsEnabled, stack, tidy,
  type Tensor,
} from '@logit/core';
import { runLayers, type CellWeights } from '../src/nn/functional/rnn/layers.js';
import type { RnnMode } from '../src/nn/functional/rnn/steps.js';
import { expectCleanThrow } from './helpers/expect-error.js';
import { gradcheck, input } from './helpers/gradcheck.js';

const F = nn.functional;
const disposeAll = (m: nn.Module): void => m.parameters().forEach((p) => p.dispose());
const data = (t: Tensor): number[] => Array.from(t.dataSync());

function expectNear(a: Tensor, b: Tensor, tol: number, what: string): void {
  expect(a.shape, what).toEqual(b.shape);
  const x = a.dataSync(), y = b.dataSync();
  for (let i = 0; i < x.length; i++) {
    if (!(Math.abs(x[i] - y[i]) <= tol * Math.max(1, Math.abs(y[i])))) expect.fail(`${what}[${i}]: ${x[i]} vs ${y[i]}`);
  }
}

describe('construction', () => {
  test('parameters start in U(-1/sqrt(hidden), 1/sqrt(hidden)), have the documented shapes, and follow manualSeed', () => {
    manualSeed(3);
    const lstm = new nn.LSTM(5, 16, { numLayers: 2, bidirectional: true });
    const shapes = Object.fromEntries(lstm.namedParameters().map(([k, p]) => [k, p.shape]));
    expect(shapes.weight_ih_l0).toEqual([64, 5]);
    expect(shapes.weight_ih_l1_reverse).toEqual([64, 32]);
    expect(shapes.weight_hh_l1).toEqual([64, 16]);
    expect(shapes.bias_hh_l0_reverse).toEqual([64]);
    const all = lstm.parameters().flatMap(data);
    expect(Math.max(...all.map(Math.abs))).toBeLessThanOrEqual(0.25);
    // uniform on [-0.25, 0.25]: mean 0, sd 0.144; 12,000+ draws
    expect(Math.abs(all.reduce((a, b) => a + b, 0) / all.length)).toBeLessThan(0.01);
    expect(lstm.allWeights.length).toBe(4);
    expect(lstm.allWeights[3][0]).toBe(lstm.parameters()[12]);
    manualSeed(3);
    const again = new nn.LSTM(5, 16, { numLayers: 2, bidirectional: true });
    expect(again.parameters().flatMap(data)).toEqual(all);
    disposeAll(lstm);
    disposeAll(again);
  });

  test('bias false has no bias parameters; cells have weight_ih, weight_hh, bias_ih, bias_hh', () => {
    const gru = new nn.GRU(3, 4, { bias: false, numLayers: 2 });
    expect(gru.namedParameters().map(([k]) => k)).toEqual(['weight_ih_l0', 'weight_hh_l0', 'weight_ih_l1', 'weight_hh_l1']);
    const cell = new nn.GRUCell(3, 4);
    expect(cell.namedParameters().map(([k, p]) => `${k} ${p.shape}`)).toEqual(['weight_ih 12,3', 'weight_hh 12,4', 'bias_ih 12', 'bias_hh 12']);
    disposeAll(gru);
    disposeAll(cell);
  });

  test('bad options throw typed errors naming the module', () => {
    expect(() => new nn.LSTM(3, 4, { projSize: 2 })).toThrow(new ValueError("LSTM: option 'projSize' is not supported yet: LSTM with projections (projSize > 0) is not implemented yet; use projSize 0"));
    expect(() => new nn.GRU(3, 4, { num_layers: 2 } as object)).toThrow(/GRU: unknown option 'num_layers'; did you mean 'numLayers'\?/);
    expect(() => new nn.RNN(3, 4, { nonlinearity: 'sigmoid' as 'tanh' })).toThrow(new ValueError("RNN: unknown nonlinearity 'sigmoid'; select from 'tanh' or 'relu'"));
    expect(() => new nn.RNNCell(3, 4, { nonlinearity: 'gelu' as 'tanh' })).toThrow(ValueError);
    expect(() => new nn.LSTM(3, 4, { dropout: 1.5 })).toThrow(/LSTM: dropout probability has to be between 0 and 1, but got 1.5/);
    expect(() => new nn.GRU(3, 4, { numLayers: 0 })).toThrow(/GRU: numLayers must be an integer >= 1, got 0/);
    expect(() => new nn.RNN(3, 0)).toThrow(/RNN: hiddenSize must be an integer >= 1/);
    expect(() => new nn.LSTMCell(3, 4, { batchFirst: true } as object)).toThrow(/LSTMCell: unknown option 'batchFirst'/);
    expect(() => new nn.GRU(3, 4, { dtype: 'int32' as 'float32' })).toThrow(DTypeError);
    const ok = new nn.LSTM(3, 4, { projSize: 0 });
    expect(ok.projSize).toBe(0);
    disposeAll(ok);
  });
});

describe('forward checks leave everything unchanged', () => {
  const lstm = new nn.LSTM(3, 4, { numLayers: 2 });
  const params = lstm.parameters();
  test.each([
    ['rank', () => lstm.forward(randn([2, 2, 2, 3])), ShapeError, /LSTM: expected input to be 2-D \(unbatched \[seq, feature\]\) or 3-D \(batched\), got shape \[2, 2, 2, 3\]/],
    ['features', () => lstm.forward(randn([5, 2, 7])), ShapeError, /LSTM: input.size\(-1\) must be equal to inputSize. Expected 3, got 7/],
    ['empty sequence', () => lstm.forward(randn([0, 2, 3])), ValueError, /LSTM: expected sequence length to be larger than 0/],
    ['dtype', () => lstm.forward(randn([5, 2, 3], { dtype: 'float64' })), DTypeError, /input has dtype float64 but the parameters have dtype float32/],
    ['hx batch', () => lstm.forward(randn([5, 2, 3]), [randn([2, 3, 4]), randn([2, 2, 4])]), ShapeError, /LSTM: expected hx of shape \[2, 2, 4\], got \[2, 3, 4\]/],
    ['cx layers', () => lstm.forward(randn([5, 2, 3]), [randn([2, 2, 4]), randn([1, 2, 4])]), ShapeError, /expected cx of shape \[2, 2, 4\], got \[1, 2, 4\]/],
    ['hx rank batched', () => lstm.forward(randn([5, 2, 3]), [randn([2, 4]), randn([2, 4])]), ShapeError, /For batched 3-D input, hx should also be 3-D/],
    ['hx rank unbatched', () => lstm.forward(randn([5, 3]), [randn([2, 1, 4]), randn([2, 1, 4])]), ShapeError, /For unbatched 2-D input, hx should also be 2-D/],
    ['hx not a pair', () => lstm.forward(randn([5, 2, 3]), randn([2, 2, 4]) as never), ValueError, /LSTM: hx must be a pair \[h0, c0\]/],
  ] as const)('%s', (_n, fn, cls, msg) => {
    expectCleanThrow(() => tidy(fn), cls, msg, params);
  });

  test('cells check input and state shapes', () => {
    const cell = new nn.GRUCell(3, 4);
    expectCleanThrow(() => tidy(() => cell.forward(randn([2, 5]))), ShapeError, /GRUCell: input has inconsistent input_size: got 5 expected 3/, cell.parameters());
    expectCleanThrow(() => tidy(() => cell.forward(randn([2, 3]), randn([3, 4]))), ShapeError, /GRUCell: expected hx of shape \[2, 4\] for input of shape \[2, 3\], got \[3, 4\]/);
    expectCleanThrow(() => tidy(() => cell.forward(randn([1, 2, 3]))), ShapeError, /GRUCell: Expected input to be 1D or 2D, got 3D/);
    disposeAll(cell);
  });
});

describe('layout and consistency', () => {
  test('hN is the last step of a unidirectional output; batchFirst and unbatched give the same numbers', () => {
    manualSeed(11);
    const gru = new nn.GRU(3, 5, { numLayers: 2 });
    const x = randn([6, 2, 3]);
    tidy(() => {
      const [out, hn] = gru.forward(x);
      expect(data(hn.select(0, 1))).toEqual(data(out.select(0, 5)));
      const bf = new nn.GRU(3, 5, { numLayers: 2, batchFirst: true });
      bf.loadStateDict(gru.stateDict());
      const [outBF, hnBF] = bf.forward(x.transpose(0, 1));
      expect(data(outBF.transpose(0, 1))).toEqual(data(out));
      expect(data(hnBF)).toEqual(data(hn));
      const [out1, hn1] = gru.forward(x.select(1, 1));
      expectNear(out1, out.select(1, 1), 1e-6, 'unbatched output');
      expectNear(hn1, hn.select(1, 1), 1e-6, 'unbatched hN');
      disposeAll(bf);
    });
    disposeAll(gru);
  });

  test('an LSTMCell unrolled by hand with layer 0 of an LSTM gives the LSTM, forward and backward', () => {
    manualSeed(4);
    const lstm = new nn.LSTM(3, 4);
    const cell = new nn.LSTMCell(3, 4);
    tidy(() => {
      const sd = lstm.stateDict();
      cell.loadStateDict({ weight_ih: sd.weight_ih_l0, weight_hh: sd.weight_hh_l0, bias_ih: sd.bias_ih_l0, bias_hh: sd.bias_hh_l0 });
      const x = randn([5, 2, 3]);
      const [out, [hn, cn]] = lstm.forward(x);
      let hc: [Tensor, Tensor] = [randn([2, 4]).mul(0), randn([2, 4]).mul(0)];
      const hs: Tensor[] = [];
      for (let t = 0; t < 5; t++) hs.push((hc = cell.forward(x.select(0, t), hc))[0]);
      expectNear(stack(hs, 0), out, 1e-6, 'outputs');
      expectNear(hc[1], cn.select(0, 0), 1e-6, 'cN');
      out.square().sum().add(cn.sum()).backward();
      stack(hs, 0).square().sum().add(hc[1].sum()).backward();
      expectNear(cell.weight_hh.grad!, lstm.parameters()[1].grad!, 1e-5, 'weight_hh grad');
      expectNear(cell.bias_ih!.grad!, lstm.parameters()[2].grad!, 1e-5, 'bias_ih grad');
      expect(hn.shape).toEqual([1, 2, 4]);
    });
    disposeAll(lstm);
    disposeAll(cell);
  });
});

describe('dropout between layers', () => {
  test('in training, equals two one-layer LSTMs with F.dropout between them under the same seed', () => {
    manualSeed(8);
    const two = new nn.LSTM(3, 6, { numLayers: 2, dropout: 0.4 });
    const a = new nn.LSTM(3, 6);
    const b = new nn.LSTM(6, 6);
    tidy(() => {
      const sd = two.stateDict();
      a.loadStateDict(Object.fromEntries(Object.entries(sd).filter(([k]) => k.endsWith('l0'))));
      b.loadStateDict(Object.fromEntries(Object.entries(sd).filter(([k]) => k.endsWith('l1')).map(([k, v]) => [k.replace('l1', 'l0'), v])));
      const x = randn([7, 2, 3]);
      manualSeed(99);
      const [y] = two.forward(x);
      manualSeed(99);
      const [mid] = a.forward(x);
      const dropped = F.dropout(mid, 0.4, true);
      expect(data(dropped).filter((v) => v === 0).length).toBeGreaterThan(10);
      const [ref] = b.forward(dropped);
      expect(data(y)).toEqual(data(ref));
      two.eval();
      const [yEval] = two.forward(x);
      const [refEval] = b.forward(a.forward(x)[0]);
      expect(data(yEval)).toEqual(data(refEval));
      expect(data(yEval)).not.toEqual(data(y));
    });
    [two, a, b].forEach(disposeAll);
  });
});

describe('truncated backpropagation through time', () => {
  test("detach() between windows: each window's gradients are those of a fresh run from the detached state", () => {
    manualSeed(21);
    const lstm = new nn.LSTM(3, 5, { numLayers: 2 });
    const x = randn([12, 2, 3]);
    let hidden: [Tensor, Tensor] | null = null;
    for (let w = 0; w < 3; w++) {
      const prev: [Tensor, Tensor] | null = hidden;
      const grads = tidy(() => {
        lstm.zeroGrad();
        const [out, hc] = lstm.forward(x.narrow(0, 4 * w, 4), prev);
        out.sum().backward();
        return { hidden: [hc[0].detach(), hc[1].detach()] as [Tensor, Tensor], g: lstm.parameters().map((p) => p.grad!.clone()) };
      });
      const ref = tidy(() => {
        lstm.zeroGrad();
        const h0 = prev ? ([prev[0].clone(), prev[1].clone()] as [Tensor, Tensor]) : null;
        lstm.forward(x.narrow(0, 4 * w, 4), h0)[0].sum().backward();
        return lstm.parameters().map((p) => p.grad!.clone());
      });
      grads.g.forEach((g, i) => expect(data(g)).toEqual(data(ref[i])));
      [...grads.g, ...ref].forEach((t) => t.dispose());
      prev?.forEach((t) => t.dispose());
      hidden = grads.hidden;
    }
    hidden!.forEach((t) => t.dispose());
    x.dispose();
    disposeAll(lstm);
  });

  test.each([['LSTM'], ['GRU']] as const)('%s: memory() stays flat over 60 windows of training with detached state', (kind) => {
    manualSeed(2);
    const model = kind === 'LSTM' ? new nn.LSTM(4, 8, { numLayers: 2 }) : new nn.GRU(4, 8, { numLayers: 2 });
    const head = new nn.Linear(8, 4);
    const opt = new optim.SGD([...model.parameters(), ...head.parameters()], { lr: 0.1 });
    const xs = randn([60 * 5, 3, 4]);
    let hidden: Tensor | [Tensor, Tensor] | null = null;
    const counts: number[] = [];
    for (let w = 0; w < 60; w++) {
      const prev: Tensor | [Tensor, Tensor] | null = hidden;
      hidden = tidy(() => {
        opt.zeroGrad();
        const x = xs.narrow(0, 5 * w, 5);
        const [out, h] = (model as nn.GRU).forward(x, prev as Tensor | null) as unknown as [Tensor, Tensor | [Tensor, Tensor]];
        head.forward(out).sub(x).square().mean().backward();
        opt.step();
        return Array.isArray(h) ? ([h[0].detach(), h[1].detach()] as [Tensor, Tensor]) : h.detach();
      });
      if (Array.isArray(prev)) prev.forEach((t) => t.dispose());
      else prev?.dispose();
      counts.push(memory().tensors);
    }
    expect(new Set(counts.slice(2)).size).toBe(1);
    if (Array.isArray(hidden)) hidden.forEach((t) => t.dispose());
    else (hidden as Tensor | null)?.dispose();
    xs.dispose();
    disposeAll(model);
    disposeAll(head);
  });

  test('under noGrad nothing is saved for backward, and eval output equals the training output with dropout 0', () => {
    manualSeed(5);
    const gru = new nn.GRU(3, 4, { numLayers: 2, bidirectional: true });
    const x = randn([6, 2, 3]);
    let before = memory().storages;
    const [trainOut, trainHn] = gru.forward(x);
    // with gradients on, the graph keeps each step's gates and states alive
    expect(memory().storages).toBeGreaterThan(before + 2 + 6 * 2 * 2);
    gru.eval();
    before = memory().storages;
    const [out, hn] = noGrad(() => gru.forward(x));
    expect(memory().storages).toBe(before + 2);
    expect(out.requiresGrad).toBe(false);
    expect(data(out)).toEqual(data(trainOut));
    [out, hn, trainOut, trainHn, x].forEach((t) => t.dispose());
    disposeAll(gru);
  });
});

/** One multi-layer forward through the internal entry point, with every weight an input (float64). */
function functionalRnn(mode: RnnMode, layers: number, dirs: number, T: number, B: number, I: number, H: number, bias: boolean) {
  const G = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 }[mode] * H;
  const shapes: number[][] = [[T, B, I], [layers * dirs, B, H], ...(mode === 'LSTM' ? [[layers * dirs, B, H]] : [])];
  const nState = shapes.length;
  for (let l = 0; l < layers; l++) {
    for (let d = 0; d < dirs; d++) shapes.push([G, l === 0 ? I : dirs * H], [G, H], ...(bias ? [[G], [G]] : []));
  }
  const per = bias ? 4 : 2;
  const fn = (...xs: Tensor[]): Tensor => {
    const weights: CellWeights[] = [];
    for (let k = 0; k < layers * dirs; k++) {
      const w = xs.slice(nState + k * per, nState + (k + 1) * per);
      weights.push({ wih: w[0], whh: w[1], bih: bias ? w[2] : null, bhh: bias ? w[3] : null });
    }
    const r = runLayers({ mode, x: xs[0], h0: xs[1], c0: mode === 'LSTM' ? xs[2] : null, weights, numLayers: layers, bidirectional: dirs === 2, dropout: 0, training: true });
    return cat([r.output.flatten(), r.hN.flatten(), ...(r.cN ? [r.cN.flatten()] : [])], 0);
  };
  return { fn, inputs: shapes.map((s, i) => input(s, undefined, i < nState ? -1.5 : -0.6, i < nState ? 1.5 : 0.6, 31 + i)) };
}

describe('gradients against central differences in float64 (every input, state and weight)', () => {
  test.each([
    ['LSTM', 2, 2, true], ['GRU', 2, 2, true], ['GRU', 1, 1, false], ['RNN_TANH', 2, 1, true], ['RNN_RELU', 1, 2, true],
  ] as const)('%s layers %d directions %d bias %s', async (mode, layers, dirs, bias) => {
    for (const fused of [true, false]) {
      setFusedKernelsEnabled(fused);
      try {
        const { fn, inputs } = functionalRnn(mode, layers, dirs, 3, 2, 2, 2, bias);
        await gradcheck(fn, inputs);
      } finally {
        setFusedKernelsEnabled(true);
      }
    }
  }, 300_000);
});
