import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { bmm, cumprod, manualSeed, max, outer, randn, tensor } from '@logit/core';

// The @example of every sequence-model tensor op's TSDoc, run as a reader would (each ends in
// backward()), and the values their comments promise.
const FILES = ['masking.ts', 'split.ts', 'moments.ts', 'sort.ts', 'scan.ts', 'multinomial.ts', 'norm.ts', 'products.ts', 'extremes.ts', 'shape-ops.ts'];
const srcDir = new URL('../src/ops/', import.meta.url);
const examples = FILES.flatMap((f) =>
  [...readFileSync(new URL(f, srcDir), 'utf8').matchAll(/@example\n \* ```ts\n([\s\S]*?) \* ```/g)].map((m, i) => [`${f} #${i + 1}`, m[1].replace(/^ \* ?/gm, '')] as const),
);
const dir = mkdtempSync(join(tmpdir(), 'logit-ops-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TSDoc examples of the tensor ops', () => {
  test('every op has one', () => expect(examples.length).toBeGreaterThanOrEqual(19));
  test.each(examples)('%s runs and ends in backward()', async (name, code) => {
    expect(code.trim().replace(/\s*\/\/[^\n]*$/, '').endsWith('.backward();')).toBe(true);
    const file = join(dir, `${name.replace(/[^a-z0-9]/gi, '-')}.ts`);
    writeFileSync(file, `import { bmm, manualSeed, max, min, ones, outer, randn, tensor } from '@logit/core';\n${code}`);
    await import(/* @vite-ignore */ pathToFileURL(file).href);
  });

  test('what the comments promise', async () => {
    const x = randn([4], { requiresGrad: true });
    x.cumsum(0).sum().backward();
    expect(Array.from(await x.grad!.data())).toEqual([4, 3, 2, 1]);
    const y = tensor([2, 0, 3, 4], { requiresGrad: true });
    cumprod(y, 0).sum().backward();
    expect(Array.from(await y.grad!.data())).toEqual([1, 32, 0, 0]);
    const r = randn([2, 3], { requiresGrad: true });
    const t = r.repeat(2, 1, 2);
    expect(t.shape).toEqual([2, 2, 6]);
    t.sum().backward();
    expect(Array.from(await r.grad!.data())).toEqual([4, 4, 4, 4, 4, 4]);
    const a = randn([3], { requiresGrad: true });
    const b = randn([4], { requiresGrad: true });
    outer(a, b).sum().backward();
    const sb = Array.from(await b.data()).reduce((s, v) => s + v, 0);
    for (const g of await a.grad!.data()) expect(g).toBeCloseTo(sb, 5);
    manualSeed(0);
    const next = randn([2, 65]).div(0.8).softmax(-1).multinomial(1);
    expect(next.shape).toEqual([2, 1]);
    expect(bmm(randn([4, 5, 8]), randn([4, 8, 5])).shape).toEqual([4, 5, 5]);
    expect(max(randn([4, 10]), 1).indices.dtype).toBe('int32');
  });
});
