import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { memory, nn, noGrad, optim, tensor, Tensor, tidy, type DType } from '@logit/core';

// The Optimizer contract beyond the numbers (those are in optim-golden.test.ts): in-place updates
// that keep module fields valid, skipping params without grad, zeroGrad, closures, state dicts
// as detached snapshots, dtype casts on load, and memory that stays flat over many steps.

class Tiny extends nn.Module {
  w = nn.Parameter(tensor([[0.5, -1], [2, 0.25]]));
  b = nn.Parameter(tensor([0.1, -0.2]));
  forward(x: Tensor): Tensor {
    return x.matmul(this.w).add(this.b);
  }
}

/** A scalar loss with a real autograd graph: sum((model(x) - target)^2). */
function lossOf(model: Tiny): Tensor {
  return tidy(() => {
    const x = tensor([[1, 2], [3, -1], [0.5, 0.5]]);
    const target = tensor([[1, 0], [0, 1], [1, 1]]);
    return model.forward(x).sub(target).square().sum();
  });
}

const disposeState = (sd: optim.OptimizerStateDict) => {
  for (const s of Object.values(sd.state)) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
};

const counts = () => {
  const m = memory();
  return { tensors: m.tensors, storages: m.storages, bytes: m.bytes };
};

describe('Optimizer', () => {
  test('step updates parameters in place: module fields and parameters() stay the same objects', () => {
    const model = new Tiny();
    const [w, b] = model.parameters();
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const loss = lossOf(model);
    loss.backward();
    const expectedW = noGrad(() => tidy(() => Array.from(w.sub(w.grad!.mul(0.1)).dataSync())));
    opt.step();
    expect(model.w).toBe(w);
    expect(model.b).toBe(b);
    expect(Array.from(model.w.dataSync())).toEqual(expectedW);
    expect(w.isLeaf && w.requiresGrad && w.gradFn === null).toBe(true);
    loss.dispose();
    opt.zeroGrad();
    for (const p of model.parameters()) p.dispose();
  });

  test('parameters whose grad is null are skipped and get no state', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const q = tensor([3, 4], { requiresGrad: true });
    const opt = new optim.Adam([p, q], { lr: 0.1 });
    p.grad = tensor([1, 1]);
    opt.step();
    expect(Array.from(q.dataSync())).toEqual([3, 4]);
    const sd = opt.stateDict();
    expect(Object.keys(sd.state)).toEqual(['0']);
    disposeState(sd);
    opt.dispose();
    for (const t of [p, q]) t.dispose();
  });

  test('zeroGrad sets grads to null by default, or to zeros in place with setToNone: false', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new optim.SGD([p], { lr: 0.1 });
    p.grad = tensor([5, 6]);
    const g = p.grad;
    opt.zeroGrad({ setToNone: false });
    expect(p.grad).toBe(g);
    expect(Array.from(p.grad!.dataSync())).toEqual([0, 0]);
    opt.zeroGrad();
    expect(p.grad).toBeNull();
    expect(g.isDisposed).toBe(true);
    p.dispose();
  });

  test('step(closure) evaluates the closure with grad enabled and returns its result', () => {
    const model = new Tiny();
    const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
    const before = lossOf(model);
    const l0 = before.itemSync();
    before.dispose();
    const returned = noGrad(() =>
      opt.step(() => {
        opt.zeroGrad();
        const loss = lossOf(model);
        loss.backward();
        return loss;
      }),
    );
    expect(returned!.itemSync()).toBe(l0);
    const after = lossOf(model);
    expect(after.itemSync()).toBeLessThan(l0);
    for (const t of [returned!, after, ...model.parameters()]) t.dispose();
  });

  test('changing a group lr between steps takes effect (what schedulers rely on)', (ctx) => {
    needs(ctx, 'float64');
    const p = tensor([1], { requiresGrad: true, dtype: 'float64' });
    const opt = new optim.SGD([p], { lr: 0.5 });
    p.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    opt.paramGroups[0].lr = 0.25;
    opt.step();
    expect(p.itemSync()).toBe(0.25);
    p.dispose();
  });

  test('Adam minimises a quadratic through autograd', () => {
    const x = tensor([5, -4, 0.5], { requiresGrad: true });
    const opt = new optim.Adam([x], { lr: 0.1 });
    for (let i = 0; i < 300; i++) {
      opt.zeroGrad();
      const loss = tidy(() => x.sub(tensor([3, 1, -2])).square().sum());
      loss.backward();
      loss.dispose();
      opt.step();
    }
    Array.from(x.dataSync()).forEach((v, i) => expect(v).toBeCloseTo([3, 1, -2][i], 2));
    opt.dispose();
    x.dispose();
  });

  test('a stateDict is a snapshot: later steps do not change the tensors in it', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
    p.grad = tensor([1, -1]);
    opt.step();
    const sd = opt.stateDict();
    const buf = sd.state[0].momentumBuffer as Tensor;
    opt.step();
    opt.step();
    expect(Array.from(buf.dataSync())).toEqual([1, -1]);
    expect(sd.paramGroups).toEqual([{ lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, params: [0] }]);
    sd.paramGroups[0].lr = 99;
    expect(opt.paramGroups[0].lr).toBe(0.1);
    disposeState(sd);
    opt.dispose();
    p.dispose();
  });

  test('loadStateDict casts floating state to each parameter dtype and copies group options', (ctx) => {
    needs(ctx, 'float64');
    const make = (dtype: DType) => tensor([1, 2, 3], { requiresGrad: true, dtype });
    const p64 = make('float64');
    const src = new optim.RMSprop([p64], { lr: 0.05, momentum: 0.5, centered: true });
    p64.grad = tensor([0.5, -1, 2], { dtype: 'float64' });
    src.step();
    const sd = src.stateDict();
    const p32 = make('float32');
    const dst = new optim.RMSprop([p32]);
    dst.loadStateDict(sd);
    disposeState(sd);
    expect(dst.paramGroups[0]).toMatchObject({ lr: 0.05, momentum: 0.5, centered: true, params: [p32] });
    const mine = dst.stateDict();
    expect(mine.state[0].step).toBe(1);
    for (const k of ['squareAvg', 'momentumBuffer', 'gradAvg']) expect((mine.state[0][k] as Tensor).dtype).toBe('float32');
    disposeState(mine);
    for (const o of [src, dst]) o.dispose();
    for (const t of [p64, p32]) t.dispose();
  });

  test.each([
    ['SGD nesterov', (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 0.1 })],
    ['Adam amsgrad', (ps: Tensor[]) => new optim.Adam(ps, { lr: 0.01, amsgrad: true, weightDecay: 0.1 })],
    ['AdamW', (ps: Tensor[]) => new optim.AdamW(ps, { lr: 0.01, maximize: true })],
    ['RMSprop centered momentum', (ps: Tensor[]) => new optim.RMSprop(ps, { lr: 0.01, centered: true, momentum: 0.9 })],
  ])('%s: memory() is flat over 100 training steps and back to baseline after dispose', (_name, make) => {
    const baseline = counts();
    const model = new Tiny();
    const opt = make(model.parameters());
    const trainStep = () => {
      opt.zeroGrad();
      const loss = lossOf(model);
      loss.backward();
      loss.dispose();
      opt.step();
    };
    for (let i = 0; i < 3; i++) trainStep();
    const warm = counts();
    for (let i = 0; i < 100; i++) trainStep();
    expect(counts()).toEqual(warm);
    opt.zeroGrad();
    opt.dispose();
    for (const p of model.parameters()) p.dispose();
    expect(counts()).toEqual(baseline);
  });
});
