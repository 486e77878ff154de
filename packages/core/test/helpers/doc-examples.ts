import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';

/**
 * The ```ts blocks of a docs page, and a runner that executes one as a module, as a reader
 * would, collecting what each `console.log(label, value)` prints and checking it against the
 * `// -> value` (or `// -> [a, b]`) comment on the same line: to `rtol` relative, nan exactly.
 */
export function docBlocks(page: string): string[] {
  const doc = readFileSync(new URL(`../../../../docs/${page}`, import.meta.url), 'utf8');
  return [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

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

export async function runDocBlock(code: string, name: string, rtol: number): Promise<void> {
  const expectations = code.split('\n').filter((l) => l.includes('console.log(') && l.includes('// -> ')).map(expectedValues);
  expect(expectations.length, 'every example prints at least one checked value').toBeGreaterThan(0);
  const dir = mkdtempSync(join(tmpdir(), 'logit-docs-'));
  const printed: [string, number[]][] = [];
  const log = console.log;
  console.log = (label: string, value: unknown) => printed.push([label, printedValues(value)]);
  try {
    const file = join(dir, `${name}.ts`);
    writeFileSync(file, code);
    await import(/* @vite-ignore */ pathToFileURL(file).href);
  } finally {
    console.log = log;
    rmSync(dir, { recursive: true, force: true });
  }
  expect(printed.length).toBe(expectations.length);
  printed.forEach(([label, got], k) => {
    const want = expectations[k];
    expect(got.length, label).toBe(want.length);
    got.forEach((g, j) => {
      if (Number.isNaN(want[j])) expect(g, label).toBeNaN();
      else if (!(Math.abs(g - want[j]) <= rtol * Math.abs(want[j]))) expect.fail(`${label}[${j}]: printed ${g}, the page says ${want[j]}`);
    });
  });
}
