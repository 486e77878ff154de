import { expect, test } from 'vitest';
import { memory, nn, optim, randn, tensor, tidy, ValueError, type Tensor } from '@logit/core';

// The @example blocks of optim's and nn.utils' TSDoc, run as written (each inside tidy, as a
// training loop would be), plus checks of what they claim.

function train(make: (model: nn.Linear) => { opt: optim.Optimizer; sched: { step(): void } }, steps: number): number[] {
  const model = new nn.Linear(4, 2);
  const { opt, sched } = make(model);
  const lrs: number[] = [];
  for (let step = 0; step < steps; step++) {
    tidy(() => {
      opt.zeroGrad();
      model.forward(randn([8, 4])).square().mean().backward();
      opt.step();
      sched.step();
    });
    lrs.push(opt.paramGroups[0].lr);
  }
  opt.zeroGrad();
  opt.dispose();
  for (const p of model.parameters()) p.dispose();
  return lrs;
}

test('Adagrad and Adadelta', () => {
  for (const make of [
    (ps: Tensor[]) => new optim.Adagrad(ps, { lr: 0.1, lrDecay: 1e-3 }),
    (ps: Tensor[]) => new optim.Adadelta(ps, { lr: 1.0 }),
  ]) {
    const model = new nn.Linear(4, 2);
    const before = Array.from(model.weight.dataSync());
    const opt = make(model.parameters());
    opt.zeroGrad();
    tidy(() => model.forward(randn([8, 4])).square().mean().backward());
    opt.step();
    expect(Array.from(model.weight.dataSync())).not.toEqual(before);
    opt.zeroGrad();
    opt.dispose();
    for (const p of model.parameters()) p.dispose();
  }
});

test('every scheduler example runs and leaves memory flat', () => {
  const start = memory().tensors;
  const S = optim.lrScheduler;
  const sgd = (model: nn.Linear, lr: number, momentum = 0) => new optim.SGD(model.parameters(), { lr, momentum });
  const step = train((m) => { const opt = sgd(m, 0.05); return { opt, sched: new S.StepLR(opt, { stepSize: 30, gamma: 0.1 }) }; }, 100);
  expect(step[29]).toBeCloseTo(0.005, 15);
  const cosine = train((m) => { const opt = sgd(m, 0.1); return { opt, sched: new S.CosineAnnealingLR(opt, { tMax: 50, etaMin: 1e-5 }) }; }, 50);
  expect(cosine[49]).toBeCloseTo(1e-5, 15);
  const exp = train((m) => { const opt = sgd(m, 0.1); return { opt, sched: new S.ExponentialLR(opt, { gamma: 0.95 }) }; }, 10);
  expect(exp[9]).toBeCloseTo(0.1 * 0.95 ** 10, 15);
  const warmup = (epoch: number) => Math.min(1, (epoch + 1) / 10);
  const lambda = train((m) => { const opt = sgd(m, 0.1); return { opt, sched: new S.LambdaLR(opt, warmup) }; }, 20);
  expect(lambda[0]).toBeCloseTo(0.02, 15);
  expect(lambda[19]).toBe(0.1);
  const linear = train((m) => {
    const opt = new optim.AdamW(m.parameters(), { lr: 1e-3 });
    return { opt, sched: new S.LinearLR(opt, { startFactor: 0.01, totalIters: 10 }) };
  }, 20);
  expect(linear[19]).toBeCloseTo(1e-3, 15);
  const multi = train((m) => { const opt = sgd(m, 0.1); return { opt, sched: new S.MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 }) }; }, 100);
  expect(multi[99]).toBeCloseTo(0.001, 15);
  const mult = train((m) => { const opt = sgd(m, 0.1); return { opt, sched: new S.MultiplicativeLR(opt, () => 0.95) }; }, 10);
  expect(mult[9]).toBeCloseTo(0.1 * 0.95 ** 10, 15);
  const cycle = train((m) => {
    const opt = sgd(m, 0.01, 0.9);
    return { opt, sched: new S.OneCycleLR(opt, { maxLr: 0.1, epochs: 2, stepsPerEpoch: 50 }) };
  }, 100);
  expect(Math.max(...cycle)).toBeCloseTo(0.1, 3);
  const seq = train((m) => {
    const opt = new optim.AdamW(m.parameters(), { lr: 6e-4 });
    const w = new S.LinearLR(opt, { startFactor: 0.01, totalIters: 10 });
    const c = new S.CosineAnnealingLR(opt, { tMax: 90, etaMin: 6e-5 });
    return { opt, sched: new S.SequentialLR(opt, [w, c], { milestones: [10] }) };
  }, 100);
  expect(seq[9]).toBe(6e-4);
  expect(seq[99]).toBeCloseTo(6e-5, 15);
  expect(memory().tensors).toBe(start);
});

test('ReduceLROnPlateau', async () => {
  const model = new nn.Linear(4, 2);
  const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
  const sched = new optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 5 });
  for (let epoch = 0; epoch < 20; epoch++) {
    opt.zeroGrad();
    const loss = model.forward(randn([8, 4])).square().mean();
    loss.backward();
    opt.step();
    sched.step(await loss.item());
    loss.dispose();
  }
  expect(sched.getLastLr()[0]).toBeLessThanOrEqual(0.1);
  opt.zeroGrad();
  opt.dispose();
  for (const p of model.parameters()) p.dispose();
});

test('nn.utils', async () => {
  const model = new nn.Linear(4, 2);
  tidy(() => model.forward(randn([8, 4])).square().mean().backward());
  const norm = nn.utils.clipGradNorm_(model.parameters(), 1.0);
  expect(await norm.item()).toBeGreaterThan(0);
  norm.dispose();
  for (const p of model.parameters()) p.dispose();

  const w = tensor([3, 4], { requiresGrad: true });
  w.square().sum().backward(); // grad [6, 8]
  const total = nn.utils.getTotalNorm([w.grad!]); // 10
  expect(total.itemSync()).toBe(10);
  if (Number.isFinite(await total.item())) nn.utils.clipGradsWithNorm_([w], 5.0, total);
  expect(Array.from(w.grad!.dataSync()).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([3, 4]);
  nn.utils.clipGradValue_([w], 3.5);
  expect(Array.from(w.grad!.dataSync()).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([3, 3.5]);
  total.dispose();
  w.dispose();
});

test('a custom optimizer from the Optimizer TSDoc gets the base class checks', () => {
  class SignSGD extends optim.Optimizer<{ lr: number }, Record<string, never>> {
    constructor(params: Tensor[], opts: { lr?: number } = {}) {
      const validate = (where: string, h: { lr?: number }) => {
        if (!((h.lr ?? 0) >= 0)) throw new ValueError(`${where}: lr must be >= 0`);
      };
      super('SignSGD', params, opts, { lr: opts.lr ?? 0.01 }, { hyper: { lr: 'number' }, state: {}, validate });
    }
    protected initState() {
      return {};
    }
    protected update(p: Tensor, grad: Tensor, group: optim.ParamGroup<{ lr: number }>) {
      p.sub_(grad.sign().mul(group.lr));
    }
  }
  const w = tensor([1, -2], { requiresGrad: true });
  const opt = new SignSGD([w], { lr: 0.5 });
  w.square().sum().backward();
  opt.step();
  expect(Array.from(w.dataSync())).toEqual([0.5, -1.5]);
  expect(() => new SignSGD([w], { lr: 0.1, momentum: 0.9 } as never)).toThrow("SignSGD: unknown option 'momentum'");
  opt.paramGroups[0].lr = -1;
  expect(() => opt.step()).toThrow('SignSGD.step: paramGroups[0]: lr must be >= 0');
  w.dispose();
});
