import {
  IndexError, ValueError, gather, memory, nn, oneHot, randn, setBackend, tensor, tidy,
  type Tensor,
} from '@logit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebGpuBackend } from '../../src/index.js';
import { cpu, webgpu } from '../backends.js';

// Device-side asserts (src/asserts.ts): a bad index or probability is found by a kernel, and the
// next read or sync throws what backend-cpu throws at once; anything computed from the refused
// values throws it again when read, and everything else (the inputs, later work) stays valid.

let be: WebGpuBackend;
beforeAll(async () => {
  be = await webgpu();
});
afterAll(() => setBackend(cpu));

/** The error fn throws on backend-cpu (at once), for comparison. */
function cpuError(fn: () => unknown): Error {
  setBackend(cpu);
  try {
    tidy(fn);
  } catch (e) {
    return e as Error;
  } finally {
    setBackend(be);
  }
  throw new Error('expected backend-cpu to throw');
}

async function readError(t: Tensor): Promise<Error> {
  try {
    await t.data();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the read to throw');
}

describe('webgpu device-side asserts', () => {
  it('gather with an index out of range: no throw at the call; the read throws cpu\'s IndexError; inputs stay valid', async () => {
    const make = (): Tensor => gather(tensor([[1, 2, 3], [4, 5, 6]]), 1, tensor([[0, 7], [2, -1]], { dtype: 'int32' }));
    const want = cpuError(make);
    setBackend(be);
    const live = (): number[] => [memory().tensors, memory().storages, be.memory().storages];
    const before = live();
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const idx = tensor([[0, 7], [2, -1]], { dtype: 'int32' });
    const out = gather(x, 1, idx);
    const err = await readError(out);
    expect(err).toBeInstanceOf(IndexError);
    expect(err.message).toBe(want.message);
    expect(err.message).toBe('gather: index 7 is out of bounds for dim 1 with size 3 (expected 0 <= index < 3)');
    // reported once, but a read of the refused result throws the same again
    expect((await readError(out)).message).toBe(want.message);
    expect(Array.from(await x.data())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(await idx.data())).toEqual([0, 7, 2, -1]);
    // later work is unaffected
    const doubled = x.mul(2);
    expect(Array.from(await doubled.data())).toEqual([2, 4, 6, 8, 10, 12]);
    await be.sync();
    for (const t of [x, idx, out, doubled]) t.dispose();
    expect(live()).toEqual(before);
  });

  it('CrossEntropyLoss (fused kernel) and NLLLoss with a target >= C or negative: the read throws; the gradient too', async () => {
    const logits = (): Tensor => tensor([[0.1, 0.2, 0.3], [1, 2, 3]]);
    for (const [loss, target] of [
      [new nn.CrossEntropyLoss(), [1, 3]],
      [new nn.CrossEntropyLoss({ ignoreIndex: 0 }), [0, -2]],
      [new nn.NLLLoss(), [5, 0]],
    ] as const) {
      const want = cpuError(() => loss.forward(logits(), tensor(target as unknown as number[], { dtype: 'int32' })));
      const x = logits().requiresGrad_();
      const t = tensor(target as unknown as number[], { dtype: 'int32' });
      const l = loss.forward(x, t);
      l.backward();
      const err = await readError(l);
      expect(err).toBeInstanceOf(IndexError);
      expect(err.message).toBe(want.message);
      const gradErr = await readError(x.grad!);
      expect(gradErr.message).toBe(want.message);
      expect(Array.from(await t.data())).toEqual(target);
      for (const d of [x, t, l]) d.dispose();
    }
  });

  it('BCELoss with an input outside [0, 1] or nan throws cpu\'s ValueError at the read', async () => {
    for (const values of [[0.5, 1.5, 0.2], [0.5, NaN, -1]]) {
      const want = cpuError(() => new nn.BCELoss().forward(tensor(values), tensor([1, 0, 1])));
      const x = tensor(values);
      const y = tensor([1, 0, 1]);
      const l = new nn.BCELoss().forward(x, y);
      const err = await readError(l);
      expect(err).toBeInstanceOf(ValueError);
      expect(err.message).toBe(want.message);
      for (const d of [x, y, l]) d.dispose();
    }
  });

  it('indexSelect and oneHot: the read throws cpu\'s IndexError', async () => {
    for (const make of [
      () => tensor([1, 2, 3]).indexSelect(0, tensor([0, 3], { dtype: 'int32' })),
      () => oneHot(tensor([0, 4, 1], { dtype: 'int32' }), 3),
    ]) {
      const want = cpuError(make);
      const out = tidy(make);
      const err = await readError(out);
      expect(err).toBeInstanceOf(IndexError);
      expect(err.message).toBe(want.message);
      out.dispose();
    }
  });

  it('sync() reports a failed check; a good check after it reads normally', async () => {
    const x = tensor([1, 2, 3]);
    const bad = x.indexSelect(0, tensor([9], { dtype: 'int32' }));
    await expect(be.sync()).rejects.toThrow('indexSelect: index 9 is out of bounds for dim 0 with size 3');
    await be.sync(); // reported once
    const good = x.indexSelect(0, tensor([2, 0], { dtype: 'int32' }));
    expect(Array.from(await good.data())).toEqual([3, 1]);
    for (const d of [x, bad, good]) d.dispose();
  });

  it('more checks than the error record holds between two reads: drained in the background, the bad one still found', async () => {
    const x = tensor([1, 2, 3, 4]);
    const outs: Tensor[] = [];
    for (let i = 0; i < 150; i++) outs.push(x.indexSelect(0, tensor([i === 100 ? 4 : i % 4], { dtype: 'int32' })));
    const err = await readError(outs[149]);
    expect(err.message).toBe('indexSelect: index 4 is out of bounds for dim 0 with size 4 (expected 0 <= index < 4)');
    expect(Array.from(await outs[99].data())).toEqual([4]);
    expect((await readError(outs[100])).message).toBe(err.message);
    expect(Array.from(await outs[101].data())).toEqual([2]);
    tidy(() => outs.forEach((o) => o.dispose()));
    x.dispose();
  });

  it('a training step on a bad target leaves the refused parameters unreadable, then works again on good data', async () => {
    const lin = new nn.Linear(3, 2);
    const x = randn([4, 3]);
    const run = (target: number[]): Tensor =>
      tidy(() => {
        const loss = new nn.CrossEntropyLoss().forward(lin.forward(x), tensor(target, { dtype: 'int32' }));
        loss.backward();
        return loss;
      });
    const good = run([0, 1, 1, 0]);
    expect(Number.isFinite(await good.item())).toBe(true);
    lin.zeroGrad();
    const bad = run([0, 2, 1, 0]);
    await expect(bad.item()).rejects.toThrow(IndexError);
    await expect(lin.weight.grad!.data()).rejects.toThrow('CrossEntropyLoss: target 2 is out of bounds');
    lin.zeroGrad();
    const again = run([1, 1, 0, 0]);
    expect(Number.isFinite(await again.item())).toBe(true);
    expect((await lin.weight.grad!.data()).every(Number.isFinite)).toBe(true);
    for (const d of [good, bad, again, x, ...lin.parameters()]) d.dispose();
  });
});
