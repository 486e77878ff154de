import { describe, expect, test } from 'vitest';
import { optim, tensor, type Tensor } from '@logit/core';
import { loadOptim2, num, type JsonNum } from './helpers/optim-golden.js';

// lr (and momentum) sequences of every scheduler from tools/goldens/optim2.py (PyTorch 2.x):
// the groups' lrs right after the scheduler(s) are built, then after each epoch
// (optimizer.step() then scheduler.step()), and getLastLr() at each point. Lambdas travel by name.

interface Spec {
  kind: string;
  options?: Record<string, unknown>;
  schedulers?: Spec[];
}
interface SchedulerCase {
  name: string;
  spec: Spec;
  lrs: number[];
  optimizer: 'SGD' | 'Adam' | 'Adagrad';
  optimizerOptions: Record<string, unknown>;
  initialLr: number[] | null;
  metrics: JsonNum[] | null;
  lr: JsonNum[][];
  lastLr: JsonNum[][];
  momentum: JsonNum[][] | null;
}

const golden = loadOptim2<{ schedulers: SchedulerCase[] }>();
const S = optim.lrScheduler;

// the same functions as LAMBDAS in tools/goldens/optim2.py
const LAMBDAS: Record<string, (e: number) => number> = {
  warmup5: (e) => Math.min(1.0, (e + 1) / 5),
  decay95: (e) => 0.95 ** e,
  halfEvery3: (e) => 0.5 ** Math.floor(e / 3),
  const09: () => 0.9,
  alternate: (e) => (e % 2 ? 1.0 : 0.5),
};

type AnyScheduler = { step(m?: number): void; getLastLr(): number[] };

function build(opt: optim.Optimizer, spec: Spec): AnyScheduler {
  const o = { ...(spec.options ?? {}) };
  const lam = o.lrLambda as string | string[] | undefined;
  delete o.lrLambda;
  const fn = lam === undefined ? undefined : Array.isArray(lam) ? lam.map((n) => LAMBDAS[n]) : LAMBDAS[lam];
  switch (spec.kind) {
    case 'LambdaLR': return new S.LambdaLR(opt, fn!, o);
    case 'MultiplicativeLR': return new S.MultiplicativeLR(opt, fn!, o);
    case 'SequentialLR': return new S.SequentialLR(opt, spec.schedulers!.map((s) => build(opt, s) as optim.lrScheduler.LRScheduler), o as { milestones: number[] });
    case 'ReduceLROnPlateau': return new S.ReduceLROnPlateau(opt, o) as AnyScheduler;
    default: {
      const Cls = (S as unknown as Record<string, new (opt: optim.Optimizer, o: unknown) => AnyScheduler>)[spec.kind];
      return new Cls(opt, o);
    }
  }
}

function optimizerFor(c: SchedulerCase): { opt: optim.Optimizer; params: Tensor[] } {
  const params = c.lrs.map(() => tensor([0, 0], { requiresGrad: true }));
  const groups = params.map((p, i) => ({ params: [p], lr: c.lrs[i] }));
  const opt = c.optimizer === 'SGD' ? new optim.SGD(groups, { lr: c.lrs[0], ...c.optimizerOptions })
    : c.optimizer === 'Adam' ? new optim.Adam(groups, c.optimizerOptions)
    : new optim.Adagrad(groups, c.optimizerOptions);
  if (c.initialLr) opt.paramGroups.forEach((g, i) => (g.initialLr = c.initialLr![i]));
  return { opt, params };
}

// The schedulers do PyTorch's float arithmetic in its order (and a correctly rounded cos), so
// the sequences are bit for bit PyTorch's. The one exception is in this test, not the library:
// the lambda decay95 computes 0.95 ** e, and V8's pow is one ulp off C's for some e.
const usesPow = (s: Spec): boolean => JSON.stringify(s).includes('decay95');

const expectSame = (actual: number[], expected: JsonNum[], what: string, ulps: boolean): void => {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = num(expected[i]);
    // one ulp of pow per epoch at most, compounding in MultiplicativeLR over 30 epochs
    const ok = ulps ? Math.abs(a - e) <= 30 * 2.2e-16 * Math.abs(e) : Object.is(a, e);
    if (!ok) expect.fail(`${what} group ${i}: got ${a}, PyTorch ${e}`);
  });
};

function momentumOf(opt: optim.Optimizer): number[] {
  return opt.paramGroups.map((g) => {
    const h = g as unknown as { betas?: number[]; momentum?: number };
    return h.betas ? h.betas[0] : h.momentum!;
  });
}

describe(`lr schedulers match PyTorch ${golden.torch} step by step`, () => {
  test('the golden covers every scheduler', () => {
    const kinds = new Set<string>();
    const walk = (s: Spec): void => {
      kinds.add(s.kind);
      s.schedulers?.forEach(walk);
    };
    golden.schedulers.forEach((c) => walk(c.spec));
    for (const k of ['StepLR', 'CosineAnnealingLR', 'ReduceLROnPlateau', 'LambdaLR', 'MultiplicativeLR', 'LinearLR', 'ExponentialLR', 'MultiStepLR', 'OneCycleLR', 'SequentialLR']) {
      expect(kinds.has(k), k).toBe(true);
    }
  });

  test.each(golden.schedulers.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { opt, params } = optimizerFor(c);
    const sched = build(opt, c.spec);
    const ulps = usesPow(c.spec);
    const check = (epoch: number): void => {
      expectSame(opt.paramGroups.map((g) => g.lr), c.lr[epoch], `epoch ${epoch} lr`, ulps);
      expectSame(sched.getLastLr(), c.lastLr[epoch], `epoch ${epoch} getLastLr()`, ulps);
      if (c.momentum && c.momentum[epoch].length) expectSame(momentumOf(opt), c.momentum[epoch], `epoch ${epoch} momentum`, ulps);
    };
    check(0);
    for (let e = 1; e < c.lr.length; e++) {
      opt.step();
      if (c.metrics) sched.step(num(c.metrics[e - 1]));
      else sched.step();
      check(e);
    }
    opt.dispose();
    for (const p of params) p.dispose();
  });
});

describe('state dicts: a scheduler saved mid-way and loaded into a fresh one continues on PyTorch\'s sequence', () => {
  test.each(golden.schedulers.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const half = Math.floor((c.lr.length - 1) / 2);
    const a = optimizerFor(c);
    const schedA = build(a.opt, c.spec);
    const stepA = (e: number): void => {
      a.opt.step();
      if (c.metrics) schedA.step(num(c.metrics[e - 1]));
      else schedA.step();
    };
    for (let e = 1; e <= half; e++) stepA(e);
    // PyTorch's order: build the new scheduler, then load the optimizer's state, then the scheduler's
    const b = optimizerFor(c);
    const schedB = build(b.opt, c.spec) as AnyScheduler & { loadStateDict(sd: unknown): void };
    const optSd = a.opt.stateDict();
    b.opt.loadStateDict(optSd);
    schedB.loadStateDict(JSON.parse(JSON.stringify((schedA as unknown as { stateDict(): unknown }).stateDict())));
    const ulps = usesPow(c.spec);
    for (let e = half + 1; e < c.lr.length; e++) {
      b.opt.step();
      if (c.metrics) schedB.step(num(c.metrics[e - 1]));
      else schedB.step();
      expectSame(b.opt.paramGroups.map((g) => g.lr), c.lr[e], `epoch ${e} lr`, ulps);
      expectSame(schedB.getLastLr(), c.lastLr[e], `epoch ${e} getLastLr()`, ulps);
      if (c.momentum && c.momentum[e].length) expectSame(momentumOf(b.opt), c.momentum[e], `epoch ${e} momentum`, ulps);
    }
    for (const s of Object.values(optSd.state)) for (const v of Object.values(s)) if (v && typeof v === 'object') (v as Tensor).dispose();
    for (const o of [a, b]) {
      o.opt.dispose();
      for (const p of o.params) p.dispose();
    }
  });
});
