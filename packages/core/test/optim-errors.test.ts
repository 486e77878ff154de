import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { optim, tensor, ShapeError, Tensor, ValueError } from '@logit/core';

// Hyperparameter errors and their messages from PyTorch 1.13 (tools/goldens/optim.py): Logit
// throws ValueError with PyTorch's message, prefixed by the optimizer and followed by what it expects.

interface ErrorCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop';
  options: Record<string, unknown>;
  groups: Record<string, unknown>[] | null;
  message: string;
}

const golden = JSON.parse(readFileSync(new URL('./goldens/optim.json', import.meta.url), 'utf8')) as {
  errors: ErrorCase[];
  structuralErrors: Record<string, string>;
};

const CLASSES = { SGD: optim.SGD, Adam: optim.Adam, AdamW: optim.AdamW, RMSprop: optim.RMSprop } as const;
type AnyCtor = new (p: unknown, o?: unknown) => optim.Optimizer;

const made: Tensor[] = [];
const param = (n = 2) => {
  const t = tensor(new Array<number>(n).fill(0), { requiresGrad: true });
  made.push(t);
  return t;
};
afterAll(() => made.forEach((t) => t.dispose()));

describe('hyperparameter validation matches PyTorch', () => {
  test.each(golden.errors.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const Cls = CLASSES[c.optimizer] as unknown as AnyCtor;
    const p = param();
    const make = () => new Cls(c.groups === null ? [p] : c.groups.map((g) => ({ ...g, params: [p] })), c.options);
    expect(make).toThrow(ValueError);
    expect(make).toThrow(c.message);
    expect(make).toThrow(new RegExp(`^${c.optimizer}(\\.addParamGroup)?: `));
  });

  test('the boundaries: beta of exactly 1 is rejected, zero values are accepted', () => {
    const p = param();
    expect(() => new optim.Adam([p], { betas: [1, 0.999] })).toThrow('Invalid beta parameter at index 0: 1');
    expect(() => new optim.AdamW([p], { betas: [0.9, 1] })).toThrow(ValueError);
    expect(() => new optim.Adam([p], { lr: NaN })).toThrow('Invalid learning rate: NaN');
    for (const make of [
      () => new optim.SGD([p], { lr: 0, momentum: 0, weightDecay: 0 }),
      () => new optim.Adam([p], { lr: 0, eps: 0, betas: [0, 0], weightDecay: 0 }),
      () => new optim.RMSprop([p], { lr: 0, alpha: 0, eps: 0, momentum: 0, weightDecay: 0 }),
    ]) {
      expect(make).not.toThrow();
    }
  });

  test('per-group overrides are validated too', () => {
    const [a, b] = [param(), param()];
    expect(() => new optim.Adam([{ params: [a] }, { params: [b], lr: -1 }])).toThrow('Invalid learning rate: -1');
    expect(() => new optim.SGD([{ params: [a], lr: 0.1, nesterov: true }], { lr: 0.1 })).toThrow(
      'Nesterov momentum requires a momentum and zero dampening',
    );
  });
});

describe('structural errors match PyTorch', () => {
  const e = golden.structuralErrors;

  test('an empty parameter list, a lone tensor, a non-leaf, a Set, a non-tensor', () => {
    expect(() => new optim.SGD([], { lr: 0.1 })).toThrow(e.emptyParams);
    const p = param();
    expect(() => new optim.SGD(p as unknown as Tensor[], { lr: 0.1 })).toThrow(ValueError);
    const nonLeaf = p.mul(2);
    made.push(nonLeaf);
    expect(() => new optim.SGD([nonLeaf], { lr: 0.1 })).toThrow(e.nonLeaf);
    expect(() => new optim.SGD([{ params: new Set([p]) }], { lr: 0.1 })).toThrow(/ordered collections/);
    expect(() => new optim.SGD([{ params: [p, 3 as unknown as Tensor] }], { lr: 0.1 })).toThrow(/can only optimize Tensors/);
  });

  test('a parameter in two groups, or twice in one, is rejected and no group is added', () => {
    const [p, q] = [param(), param(3)];
    expect(() => new optim.SGD([{ params: [p] }, { params: [q, p] }], { lr: 0.1 })).toThrow(e.duplicateAcrossGroups);
    expect(() => new optim.SGD([{ params: [p, p] }], { lr: 0.1 })).toThrow(/duplicate parameters/);
    const opt = new optim.SGD([p], { lr: 0.1 });
    expect(() => opt.addParamGroup({ params: [q, p] })).toThrow(e.duplicateAcrossGroups);
    expect(() => opt.addParamGroup({ params: [q], lr: -2 })).toThrow(ValueError);
    expect(opt.paramGroups.length).toBe(1);
    opt.addParamGroup({ params: q, momentum: 0.5 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.1, momentum: 0.5, params: [q] });
  });

  test('loadStateDict checks group count, group sizes and state shapes before changing anything', () => {
    const [p, q] = [param(), param(3)];
    const one = new optim.Adam([p, q], { lr: 0.1 });
    const two = new optim.Adam([{ params: [p] }, { params: [q] }], { lr: 0.1 });
    const other = new optim.Adam([p], { lr: 0.1 });
    p.grad = tensor([1, 2]);
    q.grad = tensor([1, 2, 3]);
    one.step();
    const before = one.stateDict();
    const expAvgBefore = Array.from((before.state[0].expAvg as Tensor).dataSync());

    expect(() => one.loadStateDict(two.stateDict())).toThrow(ValueError);
    expect(() => one.loadStateDict(two.stateDict())).toThrow(e.groupCount);
    expect(() => one.loadStateDict(other.stateDict())).toThrow(e.groupSize);
    const swapped = { ...before, state: { 0: before.state[1], 1: before.state[0] } };
    expect(() => one.loadStateDict(swapped)).toThrow(ShapeError);
    expect(() => one.loadStateDict({ ...before, state: { 7: before.state[0] } })).toThrow(/matches no parameter/);

    const after = one.stateDict();
    expect(Array.from((after.state[0].expAvg as Tensor).dataSync())).toEqual(expAvgBefore);
    expect(after.state[0].step).toBe(1);
    for (const sd of [before, after]) for (const s of Object.values(sd.state)) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
    for (const o of [one, two, other]) o.dispose();
  });

  test('SGD without lr names the missing option; groups that all set lr need none', () => {
    const p = param();
    expect(() => new optim.SGD([p])).toThrow("parameter group didn't specify a value of required optimization parameter lr");
    const opt = new optim.SGD([{ params: [p], lr: 0.3 }]);
    expect(opt.paramGroups[0].lr).toBe(0.3);
    expect(opt.defaults.lr).toBeUndefined();
  });
});
