import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { optim, tensor, ValueError, type Tensor } from '@logit/core';

// lr sequences from tools/goldens/optim.py (PyTorch 1.13): the lr of each group right after the
// scheduler is built, then after each of 30 epochs (optimizer.step() then scheduler.step()).

interface SchedulerCase {
  name: string;
  scheduler: 'StepLR' | 'CosineAnnealingLR' | 'ReduceLROnPlateau';
  lrs: number[];
  options: Record<string, unknown>;
  metrics: number[] | null;
  sequence: number[][];
}

const golden = JSON.parse(readFileSync(new URL('./goldens/optim.json', import.meta.url), 'utf8')) as {
  schedulers: SchedulerCase[];
  structuralErrors: Record<string, string>;
};

const { StepLR, CosineAnnealingLR, ReduceLROnPlateau } = optim.lrScheduler;

function sgd(lrs: number[]): { opt: optim.SGD; params: Tensor[] } {
  const params = lrs.map(() => tensor([0, 0], { requiresGrad: true }));
  const opt = new optim.SGD(params.map((p, i) => ({ params: [p], lr: lrs[i] })), { lr: lrs[0] });
  return { opt, params };
}

function schedulerFor(c: SchedulerCase, opt: optim.SGD) {
  if (c.scheduler === 'StepLR') return new StepLR(opt, c.options as { stepSize: number });
  if (c.scheduler === 'CosineAnnealingLR') return new CosineAnnealingLR(opt, c.options as { tMax: number });
  return new ReduceLROnPlateau(opt, c.options);
}

function expectLrs(actual: number[], expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((a, i) => {
    if (Math.abs(a - expected[i]) > 1e-12 * Math.abs(expected[i]) + 1e-15) expect.fail(`${what} group ${i}: got ${a}, PyTorch ${expected[i]}`);
  });
}

describe('lr schedulers match PyTorch 1.13 over 30 epochs', () => {
  test.each(golden.schedulers.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { opt, params } = sgd(c.lrs);
    const sched = schedulerFor(c, opt);
    expectLrs(opt.paramGroups.map((g) => g.lr), c.sequence[0], 'after construction');
    c.sequence.slice(1).forEach((expected, epoch) => {
      opt.step();
      if (sched instanceof ReduceLROnPlateau) sched.step(c.metrics![epoch]);
      else sched.step();
      expectLrs(sched.getLastLr(), expected, `epoch ${epoch + 1}`);
      expectLrs(opt.paramGroups.map((g) => g.lr), expected, `epoch ${epoch + 1} groups`);
    });
    for (const p of params) p.dispose();
  });

  test('the sequences exercise decay, cosine restarts, patience, cooldown and minLr', () => {
    const byName = Object.fromEntries(golden.schedulers.map((c) => [c.name, c.sequence.map((s) => s[0])]));
    expect(new Set(byName.steplr).size).toBeGreaterThan(5);
    // the cosine comes back up after tMax epochs
    expect(byName.cosine_restart[10]).toBeCloseTo(0.001, 12);
    expect(byName.cosine_restart[20]).toBeCloseTo(0.1, 12);
    // plateau: stays at minLr at the end, after several reductions
    expect(byName.plateau_min_rel.at(-1)).toBe(0.01);
    expect(new Set(byName.plateau_min_rel).size).toBe(5);
  });
});

describe('scheduler behaviour', () => {
  test('schedulers record initialLr and baseLrs, and the optimizer steps with the scheduled lr', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new optim.SGD([p], { lr: 1 });
    const sched = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    expect(opt.paramGroups[0].initialLr).toBe(1);
    expect(sched.baseLrs).toEqual([1]);
    sched.step();
    expect(opt.paramGroups[0].lr).toBe(0.5);
    p.grad = tensor([2, 4]);
    opt.step();
    expect(Array.from(p.dataSync())).toEqual([0, 0]);
    p.dispose();
  });

  test('two schedulers chain on one optimizer, as in PyTorch', () => {
    const { opt, params } = sgd([1]);
    const a = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
    const b = new StepLR(opt, { stepSize: 3, gamma: 0.1 });
    const seen: number[] = [];
    for (let e = 0; e < 6; e++) {
      a.step();
      b.step();
      seen.push(opt.paramGroups[0].lr);
    }
    // epochs 1..6: x0.5 at 2, 4, 6 and x0.1 at 3, 6
    const expected = [1, 0.5, 0.05, 0.025, 0.025, 0.00125];
    seen.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 15));
    for (const p of params) p.dispose();
  });

  test('a StepLR stateDict restores the schedule in a new scheduler', () => {
    const { opt, params } = sgd([0.1]);
    const sched = new StepLR(opt, { stepSize: 2, gamma: 0.3 });
    for (let e = 0; e < 3; e++) sched.step();
    const sd = sched.stateDict();
    expect(sd).toMatchObject({ stepSize: 2, gamma: 0.3, lastEpoch: 3, baseLrs: [0.1] });
    expect(sd).not.toHaveProperty('optimizer');
    const { opt: opt2, params: params2 } = sgd([0.1]);
    const copy = new StepLR(opt2, { stepSize: 5 });
    copy.loadStateDict(sd);
    opt2.paramGroups[0].lr = opt.paramGroups[0].lr;
    for (let e = 0; e < 4; e++) {
      sched.step();
      copy.step();
      expect(copy.getLastLr()).toEqual(sched.getLastLr());
    }
    for (const p of [...params, ...params2]) p.dispose();
  });

  test('CosineAnnealingLR resumed with lastEpoch keeps the current lr at construction (PyTorch 2; 1.13 jumped to the closed form)', () => {
    const { opt, params } = sgd([0.2]);
    opt.paramGroups[0].initialLr = 0.2;
    const sched = new CosineAnnealingLR(opt, { tMax: 10, etaMin: 0.01, lastEpoch: 4 });
    expect(sched.lastEpoch).toBe(5);
    expect(opt.paramGroups[0].lr).toBe(0.2);
    for (const p of params) p.dispose();
  });

  test('resuming without initialLr, a bad stepSize or tMax, or a non-optimizer throws', () => {
    const { opt, params } = sgd([0.1]);
    expect(() => new StepLR(opt, { stepSize: 3, lastEpoch: 5 })).toThrow(/initialLr' is not specified in paramGroups\[0\]/);
    expect(opt.paramGroups[0].initialLr).toBeUndefined();
    expect(() => new StepLR(opt, { stepSize: 0 })).toThrow(ValueError);
    expect(() => new CosineAnnealingLR(opt, { tMax: 0 })).toThrow(ValueError);
    expect(opt.paramGroups[0].initialLr).toBeUndefined();
    expect(() => new StepLR({ paramGroups: [{ lr: 1 }] }, { stepSize: 1 })).toThrow(/is not an Optimizer/);
    for (const p of params) p.dispose();
  });

  test('ReduceLROnPlateau errors carry PyTorch messages', () => {
    const { opt, params } = sgd([0.1]);
    const e = golden.structuralErrors;
    const bad = (o: Record<string, unknown>) => () => new ReduceLROnPlateau(opt, o);
    expect(bad({ factor: 1.0 })).toThrow(ValueError);
    expect(bad({ factor: 1.0 })).toThrow(e.plateauFactor);
    expect(bad({ mode: 'middle' })).toThrow(e.plateauMode);
    expect(bad({ thresholdMode: 'ratio' })).toThrow(e.plateauThresholdMode);
    expect(bad({ minLr: [0.1, 0.2] })).toThrow(e.plateauMinLrCount);
    for (const p of params) p.dispose();
  });

  test('ReduceLROnPlateau takes a one-element tensor metric and round-trips its state', () => {
    const { opt, params } = sgd([1]);
    const sched = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
    expect(sched.getLastLr()).toEqual([1]);
    const m = tensor([2]);
    sched.step(m);
    sched.step(m);
    expect(sched.getLastLr()).toEqual([0.5]);
    const sd = sched.stateDict();
    expect(sd).toMatchObject({ best: 2, numBadEpochs: 0, lastEpoch: 2, mode: 'min', minLrs: [0] });
    const { opt: opt2, params: params2 } = sgd([0.5]);
    const copy = new ReduceLROnPlateau(opt2, { patience: 7 });
    copy.loadStateDict(sd);
    expect(copy.patience).toBe(0);
    copy.step(3);
    sched.step(3);
    expect(opt2.paramGroups[0].lr).toBe(opt.paramGroups[0].lr);
    expect(opt2.paramGroups[0].lr).toBe(0.25);
    for (const p of [...params, ...params2, m]) p.dispose();
  });
});
