import { afterAll, describe, expect, test } from 'vitest';
import { optim, tensor, Tensor, ValueError } from '@logit/core';

// Issue #15 item 8 and #13 for optim: state dicts and hyperparameters are checked when loaded or
// set (at the latest when step() starts, before anything changes), and every options object and
// param group refuses a key it does not know, naming the camelCase form of a snake_case one.

const made: Tensor[] = [];
const param = (values = [1, 2]): Tensor => {
  const t = tensor(values, { requiresGrad: true });
  made.push(t);
  return t;
};
afterAll(() => made.forEach((t) => t.dispose()));

const data = (t: Tensor): number[] => Array.from(t.dataSync());
const disposeSd = (sd: optim.OptimizerStateDict): void => {
  for (const s of Object.values(sd.state)) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
};

/** An optimizer over one parameter that has taken one step. */
function stepped<T extends optim.Optimizer>(make: (ps: Tensor[]) => T): { opt: T; p: Tensor } {
  const p = param();
  const opt = make([p]);
  p.grad = tensor([0.5, -1]);
  opt.step();
  return { opt, p };
}

describe("loadStateDict refuses another optimizer's state, naming the optimizer and the field", () => {
  test('Adam given SGD state (it failed at step() with a raw TypeError)', () => {
    const { opt: sgd } = stepped((ps) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9 }));
    const { opt: adam, p } = stepped((ps) => new optim.Adam(ps));
    const sd = sgd.stateDict();
    const before = data(p);
    expect(() => adam.loadStateDict(sd as never)).toThrow(ValueError);
    expect(() => adam.loadStateDict(sd as never)).toThrow(/^Adam\.loadStateDict: paramGroups\[0\] has 'momentum', which is not a hyperparameter of Adam/);
    // the groups alone would pass: the per-parameter state is checked too
    const adamGroups = adam.stateDict();
    expect(() => adam.loadStateDict({ state: sd.state, paramGroups: adamGroups.paramGroups } as never)).toThrow(
      /^Adam\.loadStateDict: state of parameter 0 has 'momentumBuffer', which Adam does not keep \(it keeps 'step', 'expAvg', 'expAvgSq', 'maxExpAvgSq'\)/,
    );
    // nothing changed: the next step runs from Adam's own state
    p.grad = tensor([0.5, -1]);
    adam.step();
    expect(data(p)).not.toEqual(before);
    for (const s of [sd, adamGroups]) disposeSd(s);
  });

  test('SGD given Adam state (it silently dropped its momentum)', () => {
    const { opt: adam } = stepped((ps) => new optim.Adam(ps, { lr: 0.1 }));
    const { opt: sgd } = stepped((ps) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9 }));
    const sd = adam.stateDict();
    const mine = sgd.stateDict();
    expect(() => sgd.loadStateDict(sd as never)).toThrow(/^SGD\.loadStateDict: paramGroups\[0\] has 'betas', which is not a hyperparameter of SGD/);
    expect(() => sgd.loadStateDict({ state: sd.state, paramGroups: mine.paramGroups } as never)).toThrow(
      /^SGD\.loadStateDict: state of parameter 0 has 'step', which SGD does not keep/,
    );
    const after = sgd.stateDict();
    expect(data(after.state[0].momentumBuffer as Tensor)).toEqual(data(mine.state[0].momentumBuffer as Tensor));
    for (const s of [sd, mine, after]) disposeSd(s);
  });

  test('a missing entry, a wrong kind, a bad hyperparameter, a wrong dtype, a disposed tensor', () => {
    const { opt } = stepped((ps) => new optim.Adam(ps));
    const sd = opt.stateDict();
    const { expAvgSq, ...noSq } = sd.state[0];
    const g = sd.paramGroups[0];
    const cases: [unknown, RegExp][] = [
      [{ ...sd, state: { 0: noSq } }, /state of parameter 0 lacks 'expAvgSq'/],
      [{ ...sd, state: { 0: { ...sd.state[0], step: 1.5 } } }, /'step' must be a whole number >= 0, got number 1.5/],
      [{ ...sd, state: { 0: { ...sd.state[0], expAvg: 3 } } }, /'expAvg' must be a Tensor, got number 3/],
      [{ ...sd, state: { 0: { ...sd.state[0], expAvg: tensor([1, 2], { dtype: 'int32' }) } } }, /'expAvg' must be a floating-point tensor, got int32/],
      [{ ...sd, paramGroups: [{ ...g, lr: 'abc' }] }, /paramGroups\[0\]: 'lr' must be a number, got string 'abc'/],
      [{ ...sd, paramGroups: [{ ...g, lr: -1 }] }, /paramGroups\[0\]: Invalid learning rate: -1/],
      [{ ...sd, paramGroups: [{ ...g, amsgrad: 'yes' }] }, /'amsgrad' must be a boolean, got string 'yes'/],
      [{ ...sd, paramGroups: [{ ...g, betas: [0.9, 1.5] }] }, /Invalid beta parameter at index 1: 1.5/],
      [{ ...sd, paramGroups: [{ ...g, eps: undefined }] }, /paramGroups\[0\] lacks the hyperparameter 'eps' of Adam/],
      [{ ...sd, paramGroups: [{ ...g, params: [0, 0] }] }, /doesn't match the size/],
      [null, /expected \{ state, paramGroups \}/],
    ];
    for (const [bad, message] of cases) expect(() => opt.loadStateDict(bad as never), String(message)).toThrow(message);
    const disposed = tensor([1, 2]);
    disposed.dispose();
    expect(() => opt.loadStateDict({ ...sd, state: { 0: { ...sd.state[0], expAvg: disposed } } })).toThrow(/'expAvg' is a disposed tensor/);
    opt.loadStateDict(sd); // the untouched one still loads
    disposeSd(sd);
  });
});

describe('hyperparameters set after construction are checked when step() starts, before anything changes', () => {
  test("lr = 'abc' (it turned the parameters into nan)", () => {
    const p = param([1, 2]);
    const q = param([3, 4]);
    const opt = new optim.SGD([{ params: [p] }, { params: [q] }], { lr: 0.1 });
    opt.paramGroups[1].lr = 'abc' as unknown as number;
    p.grad = tensor([1, 1]);
    q.grad = tensor([1, 1]);
    expect(() => opt.step()).toThrow(ValueError);
    expect(() => opt.step()).toThrow("SGD.step: paramGroups[1]: 'lr' must be a number, got string 'abc'");
    // group 0 comes first in the loop, and it did not move either
    expect(data(p)).toEqual([1, 2]);
    expect(data(q)).toEqual([3, 4]);
    opt.paramGroups[1].lr = 0.1;
    opt.step();
    expect(data(p)[0]).toBeCloseTo(0.9, 6);
  });

  test.each([
    ['Adam', 'betas', [0.9, 2], () => new optim.Adam([param()]), /Adam\.step: paramGroups\[0\]: Invalid beta parameter at index 1: 2/],
    ['AdamW', 'weightDecay', NaN, () => new optim.AdamW([param()]), /AdamW\.step: paramGroups\[0\]: Invalid weight_decay value: NaN/],
    ['RMSprop', 'centered', 1, () => new optim.RMSprop([param()]), /RMSprop\.step: paramGroups\[0\]: 'centered' must be a boolean, got number 1/],
    ['Adagrad', 'lrDecay', -1, () => new optim.Adagrad([param()]), /Adagrad\.step: paramGroups\[0\]: Invalid lr_decay value: -1/],
    ['Adadelta', 'rho', 1.1, () => new optim.Adadelta([param()]), /Adadelta\.step: paramGroups\[0\]: Invalid rho value: 1.1/],
    ['SGD', 'dampening', 0.5, () => new optim.SGD([param()], { lr: 0.1, momentum: 0.9, nesterov: true }), /SGD\.step: paramGroups\[0\]: Nesterov momentum requires/],
  ] as const)('%s: %s', (_name, key, value, make, message) => {
    const opt = make();
    const p = opt.paramGroups[0].params[0];
    p.grad = tensor([1, 1]);
    (opt.paramGroups[0] as unknown as Record<string, unknown>)[key] = value;
    const before = data(p);
    expect(() => opt.step()).toThrow(message);
    expect(data(p)).toEqual(before);
    opt.dispose();
  });
});

describe('options objects and param groups refuse unknown keys (PyTorch raises TypeError for an unexpected keyword)', () => {
  test('{ momentun: 0.9 } (it ran SGD without momentum) and { weight_decay } name the right key', () => {
    const p = param();
    expect(() => new optim.SGD([p], { lr: 0.1, momentun: 0.9 } as object)).toThrow("SGD: unknown option 'momentun'; did you mean 'momentum'?");
    expect(() => new optim.AdamW([p], { weight_decay: 0.1 } as object)).toThrow("AdamW: unknown option 'weight_decay'; did you mean 'weightDecay'? (options are camelCase)");
    expect(() => new optim.Adagrad([p], { lr_decay: 0.1 } as object)).toThrow(/did you mean 'lrDecay'/);
    expect(() => new optim.Adadelta([p], { rhoo: 0.5 } as object)).toThrow(/did you mean 'rho'/);
    expect(() => new optim.RMSprop([p], 0.1 as unknown as object)).toThrow('RMSprop: options must be an object, got number');
    expect(() => new optim.Adam([p], { amsgrad: 'yes' } as unknown as object)).toThrow("Adam: 'amsgrad' must be a boolean, got string 'yes'");
  });

  test('a param group with a misspelled key is refused, naming the group', () => {
    const [p, q] = [param(), param()];
    expect(() => new optim.AdamW([{ params: [p], weightDecay: 0 }, { params: [q], weight_decay: 0 }] as never)).toThrow(
      "AdamW.addParamGroup: paramGroups[1]: unknown option 'weight_decay'; did you mean 'weightDecay'? (options are camelCase)",
    );
    const opt = new optim.SGD([p], { lr: 0.1 });
    expect(() => opt.addParamGroup({ params: [q], name: 'decoder' } as never)).toThrow(/paramGroups\[1\]: unknown option 'name'/);
    expect(opt.paramGroups.length).toBe(1);
  });

  test('every scheduler checks its options', () => {
    const opt = new optim.SGD([param()], { lr: 0.1 });
    const S = optim.lrScheduler;
    const bad: [() => unknown, RegExp][] = [
      [() => new S.StepLR(opt, { step_size: 3 } as never), /StepLR: unknown option 'step_size'; did you mean 'stepSize'/],
      [() => new S.CosineAnnealingLR(opt, { T_max: 3 } as never), /CosineAnnealingLR: unknown option 'T_max'/],
      [() => new S.ReduceLROnPlateau(opt, { min_lr: 0.1 } as never), /ReduceLROnPlateau: unknown option 'min_lr'; did you mean 'minLr'/],
      [() => new S.LinearLR(opt, { start_factor: 0.1 } as never), /did you mean 'startFactor'/],
      [() => new S.ExponentialLR(opt, { gama: 0.9 } as never), /did you mean 'gamma'/],
      [() => new S.MultiStepLR(opt, { milestones: [2], last_epoch: -1 } as never), /did you mean 'lastEpoch'/],
      [() => new S.OneCycleLR(opt, { maxLr: 1, totalSteps: 10, pct_start: 0.2 } as never), /did you mean 'pctStart'/],
      [() => new S.LambdaLR(opt, () => 1, { verbose: true } as never), /LambdaLR: unknown option 'verbose'/],
      [() => new S.MultiplicativeLR(opt, () => 1, { lastEpch: 1 } as never), /did you mean 'lastEpoch'/],
    ];
    for (const [make, message] of bad) expect(make, String(message)).toThrow(message);
    // nothing was written into the groups by the refused constructions
    expect(opt.paramGroups[0].initialLr).toBeUndefined();
    expect(opt.paramGroups[0].lr).toBe(0.1);
  });
});

describe('schedulers', () => {
  const S = optim.lrScheduler;

  test("ReduceLROnPlateau.step('abc') throws (it silently lowered the lr)", () => {
    const opt = new optim.SGD([param()], { lr: 0.1 });
    const sched = new S.ReduceLROnPlateau(opt, { patience: 0 });
    sched.step(1);
    for (const bad of ['abc', undefined, null, [1], { valueOf: () => 1 }]) {
      expect(() => sched.step(bad as never)).toThrow(/^ReduceLROnPlateau\.step: the metric must be a number or a one-element tensor, got /);
    }
    expect(sched.numBadEpochs).toBe(0);
    expect(sched.lastEpoch).toBe(1);
    expect(opt.paramGroups[0].lr).toBe(0.1);
    sched.step(2); // a real bad epoch still counts
    expect(opt.paramGroups[0].lr).toBeCloseTo(0.01, 15);
  });

  test("a scheduler refuses a group lr set to 'abc', and an epoch argument, before changing anything", () => {
    const opt = new optim.SGD([param()], { lr: 0.1 });
    const sched = new S.ExponentialLR(opt, { gamma: 0.5 });
    opt.paramGroups[0].lr = 'abc' as unknown as number;
    expect(() => sched.step()).toThrow("ExponentialLR.step: paramGroups[0].lr must be a number, got string 'abc'");
    expect(sched.lastEpoch).toBe(0);
    opt.paramGroups[0].lr = 0.1;
    expect(() => sched.step(5 as never)).toThrow(/ExponentialLR\.step: takes no arguments/);
    sched.step();
    expect(opt.paramGroups[0].lr).toBe(0.05);
  });

  test("loadStateDict refuses another scheduler's state and bad fields, changing nothing", () => {
    const opt = new optim.SGD([param()], { lr: 0.1 });
    const step = new S.StepLR(opt, { stepSize: 2 });
    const cos = new S.CosineAnnealingLR(opt, { tMax: 10 });
    const before = cos.stateDict();
    expect(() => cos.loadStateDict(step.stateDict())).toThrow(/^CosineAnnealingLR\.loadStateDict: unknown field 'stepSize' .*; is this the state dict of another scheduler\?/);
    expect(() => cos.loadStateDict({ ...before, tMax: 'x' })).toThrow(/field 'tMax' must be a number \(it is number 10 now\), got string 'x'/);
    expect(() => cos.loadStateDict({ ...before, tMax: -1 })).toThrow(/tMax must be > 0, got -1/);
    expect(() => cos.loadStateDict({ ...before, lastEpoch: 1.5 })).toThrow(/lastEpoch must be a whole number >= -1/);
    expect(() => cos.loadStateDict({ ...before, baseLrs: [0.1, 0.2] })).toThrow(/'baseLrs' must have one entry per param group \(1\), got 2/);
    const { etaMin: _, ...lacking } = before;
    expect(() => cos.loadStateDict(lacking)).toThrow(/lacks 'etaMin'/);
    expect(cos.stateDict()).toEqual(before);

    const plateau = new S.ReduceLROnPlateau(opt);
    const p0 = plateau.stateDict();
    expect(() => plateau.loadStateDict({ ...p0, mode: 'middle' })).toThrow(/mode middle is unknown/);
    expect(() => plateau.loadStateDict({ ...p0, factor: 2 })).toThrow(/Factor should be < 1.0/);
    expect(() => plateau.loadStateDict({ ...p0, minLrs: [0.1, 0.1] })).toThrow(/'minLrs' must have one entry per param group/);
    expect(() => plateau.loadStateDict(step.stateDict())).toThrow(/unknown field/);
    expect(plateau.stateDict()).toEqual(p0);
  });

  test('SequentialLR checks every part of its state before loading any', () => {
    const opt = new optim.SGD([param()], { lr: 0.1 });
    const seq = new S.SequentialLR(opt, [new S.LinearLR(opt), new S.ExponentialLR(opt, { gamma: 0.9 })], { milestones: [5] });
    const before = seq.stateDict();
    const subs = before.schedulers as Record<string, unknown>[];
    expect(() => seq.loadStateDict({ ...before, schedulers: [subs[0], { ...subs[1], gamma: 'x' }] })).toThrow(/ExponentialLR\.loadStateDict: field 'gamma'/);
    expect(seq.stateDict()).toEqual(before);
  });
});

describe('zeroGrad and step arguments', () => {
  test('zeroGrad refuses an unknown option (set_to_none names setToNone); step refuses a closure that is not a function', () => {
    const p = param();
    const opt = new optim.SGD([p], { lr: 0.1 });
    p.grad = tensor([1, 1]);
    expect(() => opt.zeroGrad({ set_to_none: false } as never)).toThrow("SGD.zeroGrad: unknown option 'set_to_none'; did you mean 'setToNone'?");
    expect(p.grad).not.toBeNull();
    expect(() => opt.step(0.5 as never)).toThrow('SGD.step: the closure must be a function, got number');
    expect(data(p)).toEqual([1, 2]);
    opt.zeroGrad({ setToNone: false });
    expect(data(p.grad!)).toEqual([0, 0]);
  });
});

describe('scheduler state through JSON', () => {
  test("ReduceLROnPlateau's best = Infinity becomes null in JSON: loading it throws instead of comparing with null", () => {
    const opt = new optim.SGD([param()], { lr: 0.1 });
    const sched = new optim.lrScheduler.ReduceLROnPlateau(opt);
    const viaJson = JSON.parse(JSON.stringify(sched.stateDict())) as Record<string, unknown>;
    expect(viaJson.best).toBeNull();
    expect(() => sched.loadStateDict(viaJson)).toThrow(/field 'best' must be a number \(it is number Infinity now\), got null/);
    expect(sched.best).toBe(Infinity);
    // a per-group minLr state loads into a scheduler built with one minLr (defaultMinLr number -> null)
    const perGroup = new optim.lrScheduler.ReduceLROnPlateau(opt, { minLr: [0.01] });
    sched.loadStateDict({ ...perGroup.stateDict() });
    expect(sched.defaultMinLr).toBeNull();
    expect(sched.minLrs).toEqual([0.01]);
  });
});
