import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

/**
 * Runs every ```ts block of docs/losses.md as a module, as a reader would, and checks that each
 * console.log prints the value its `// -> ...` comment promises (to 4 decimals, nan exactly),
 * and that the values the text says are equal (CrossEntropyLoss and NLLLoss, ...) are equal.
 */
const doc = readFileSync(new URL('../../../docs/losses.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const dir = mkdtempSync(join(tmpdir(), 'logit-losses-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Labels printed in one block whose values the text says are the same number.
const EQUAL = [
  ['CrossEntropyLoss', 'NLLLoss'],
  ['labelSmoothing 0.1', 'by hand'],
  ['one-hot', 'indices'],
  ['fused', 'composed'],
];

function expectedValues(line: string): number[] {
  const text = line.split('// -> ')[1].trim();
  const parse = (s: string): number => (s.trim() === 'nan' ? NaN : Number(s));
  return text.startsWith('[') ? text.slice(1, -1).split(',').map(parse) : [parse(text)];
}

function printedValues(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return Array.from(v as ArrayLike<number>);
  throw new Error(`a docs example printed ${String(v)}; print numbers or arrays of numbers`);
}

describe('docs/losses.md examples', () => {
  test('the page has examples for every section', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(7);
  });

  test.each(blocks.map((code, i) => [i + 1, code] as const))('example %i runs and prints what it says', async (i, code) => {
    const expectations = code.split('\n').filter((l) => l.includes('console.log(') && l.includes('// -> ')).map(expectedValues);
    expect(expectations.length, 'every example prints at least one checked value').toBeGreaterThan(0);
    const printed: [string, number[]][] = [];
    const log = console.log;
    console.log = (label: string, value: unknown) => printed.push([label, printedValues(value)]);
    try {
      const file = join(dir, `example-${i}.ts`);
      writeFileSync(file, code);
      await import(/* @vite-ignore */ pathToFileURL(file).href);
    } finally {
      console.log = log;
    }
    expect(printed.length).toBe(expectations.length);
    printed.forEach(([label, got], k) => {
      const want = expectations[k];
      expect(got.length, label).toBe(want.length);
      got.forEach((g, j) => {
        if (Number.isNaN(want[j])) expect(g, label).toBeNaN();
        else expect(Math.abs(g - want[j]), `${label}: printed ${g}, the doc says ${want[j]}`).toBeLessThanOrEqual(5.001e-5 * Math.max(1, Math.abs(want[j])));
      });
    });
    const byLabel = new Map(printed);
    for (const [a, b] of EQUAL) {
      if (byLabel.has(a) || byLabel.has(b)) expect(byLabel.get(a)![0], `${a} = ${b}`).toBeCloseTo(byLabel.get(b)![0], 6);
    }
  });
});

/** The @example of each loss class's TSDoc, run with the imports it uses; each ends in backward(). */
const srcDir = new URL('../src/nn/losses/', import.meta.url);
const tsdocExamples = readdirSync(srcDir)
  .filter((f) => f.endsWith('.ts'))
  .flatMap((f) => [...readFileSync(new URL(f, srcDir), 'utf8').matchAll(/@example\n \* ```ts\n([\s\S]*?) \* ```/g)].map((m) => [f, m[1].replace(/^ \* ?/gm, '')] as const));

describe('TSDoc examples of the loss classes', () => {
  test('every loss class has one', () => {
    expect(tsdocExamples.map(([f]) => f).sort()).toEqual(['bce-loss.ts', 'bce-with-logits-loss.ts', 'cross-entropy-loss.ts', 'mse-loss.ts', 'nll-loss.ts']);
  });
  test.each(tsdocExamples)('%s', async (f, code) => {
    expect(code.trim().endsWith('loss.backward();')).toBe(true);
    const file = join(dir, `tsdoc-${f}`);
    writeFileSync(file, `import { nn, rand, randn, tensor } from '@logit/core';\n${code}`);
    await import(/* @vite-ignore */ pathToFileURL(file).href);
  });
});
