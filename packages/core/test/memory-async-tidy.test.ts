import { describe, expect, test } from 'vitest';
import { keep, memory, tensor, tidy, type Tensor } from '@logit/core';

// An async tidy owns the tensors of its own async call chain only (issue 15, item 4): code that
// runs while it awaits (a timer, another request, another async tidy) keeps its tensors.

const counts = (): number[] => [memory().tensors, memory().storages];
const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

describe('async tidy follows its own async context', () => {
  test('a tensor a timer creates while the tidy awaits is not disposed (it was before)', async () => {
    const before = counts();
    let fromTimer: Tensor | null = null;
    let inside: Tensor | null = null;
    const timer = setTimeout(() => {
      fromTimer = tensor([7, 8]);
    }, 5);
    const r = await tidy(async () => {
      inside = tensor([1, 2]);
      await sleep(30);
      return inside.sum();
    });
    clearTimeout(timer);
    expect(fromTimer).not.toBeNull();
    expect(fromTimer!.isDisposed).toBe(false);
    expect(Array.from(await fromTimer!.data())).toEqual([7, 8]);
    expect(inside!.isDisposed).toBe(true);
    expect(await r.item()).toBe(3);
    r.dispose();
    fromTimer!.dispose();
    expect(counts()).toEqual(before);
  });

  test('two interleaved async tidies each dispose only their own tensors and keep what they return', async () => {
    const before = counts();
    const made: Record<string, Tensor[]> = { a: [], b: [] };
    const run = (name: string, delays: number[]): Promise<Tensor> =>
      tidy(async () => {
        let acc = tensor([0]);
        made[name].push(acc);
        for (const d of delays) {
          await sleep(d);
          acc = acc.add(1); // made after an await, while the other tidy is also running
          made[name].push(acc);
        }
        return acc;
      });
    const [ra, rb] = await Promise.all([run('a', [5, 20, 5]), run('b', [10, 5, 20, 1])]);
    expect(await ra.item()).toBe(3);
    expect(await rb.item()).toBe(4);
    expect(made.a.slice(0, -1).every((t) => t.isDisposed)).toBe(true);
    expect(made.b.slice(0, -1).every((t) => t.isDisposed)).toBe(true);
    ra.dispose();
    rb.dispose();
    expect(counts()).toEqual(before);
  });

  test('nested scopes: a sync tidy after an await, an inner async tidy, keep()', async () => {
    const before = counts();
    let kept: Tensor | null = null;
    const out = await tidy(async () => {
      const x = tensor([1, 2, 3]);
      await sleep(1);
      const y = tidy(() => x.mul(2).add(1)); // [3, 5, 7], moves to the async scope
      const z = await tidy(async () => {
        await sleep(1);
        kept = keep(y.mul(10));
        return y.sum();
      });
      return z.add(x.sum()); // 15 + 6
    });
    expect(await out.item()).toBe(21);
    expect(Array.from(await kept!.data())).toEqual([30, 50, 70]);
    out.dispose();
    kept!.dispose();
    expect(counts()).toEqual(before);
  });

  test('a plain function returning a promise owns only what it made before returning', async () => {
    const before = counts();
    let early: Tensor | null = null;
    let late: Tensor | null = null;
    await tidy(() => {
      early = tensor([1]);
      return sleep(1).then(() => {
        late = tensor([2]);
      });
    });
    expect(early!.isDisposed).toBe(true);
    expect(late!.isDisposed).toBe(false);
    late!.dispose();
    expect(counts()).toEqual(before);
  });

});
