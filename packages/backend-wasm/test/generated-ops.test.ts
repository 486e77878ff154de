import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BINARY_OPS, COMPARE_OPS, REDUCE_OPS, UNARY_OPS } from '@logit/core';
import asc from 'assemblyscript/asc';
import { describe, expect, it } from 'vitest';
import { OUTPUT, generateOps, readCoreOpLists } from '../scripts/generate-ops.mjs';

// The wasm op codes and dispatch are generated from core's op lists at build time: the codes are
// the indices the JS side sends, and an op added to core fails the wasm build until it is written.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Compiles a copy of assembly/ whose generated file is `generated`; returns asc's error output, '' on success. */
async function compileWith(generated: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'logit-asc-'));
  try {
    cpSync(path.join(root, 'assembly'), dir, { recursive: true });
    writeFileSync(path.join(dir, 'generated/ops.ts'), generated);
    let err = '';
    const { error } = await asc.main(
      [path.join(dir, 'index.ts'), '--runtime', 'stub', '--noAssert', '--importMemory', '--enable', 'simd', '--noEmit'],
      { stdout: { write: () => true }, stderr: { write: (s: string) => ((err += s), true) } } as never,
    );
    return error ? err : '';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('generated op codes', () => {
  it("reads core's lists from its source, in core's order", async () => {
    const lists = await readCoreOpLists();
    expect(lists.UNARY_OPS).toEqual([...UNARY_OPS]);
    expect(lists.BINARY_OPS).toEqual([...BINARY_OPS]);
    expect(lists.COMPARE_OPS).toEqual([...COMPARE_OPS]);
    expect(lists.REDUCE_OPS).toEqual([...REDUCE_OPS]);
  });

  it('numbers every op by its index in the core list, and the build uses the current lists', async () => {
    const src = generateOps(await readCoreOpLists());
    for (const [prefix, list] of [['UNARY', UNARY_OPS], ['BINARY', BINARY_OPS], ['COMPARE', COMPARE_OPS], ['REDUCE', REDUCE_OPS]] as const) {
      const codes = [...src.matchAll(new RegExp(`export const ${prefix}_\\w+: i32 = (\\d+);`, 'g'))].map((m) => Number(m[1]));
      expect(codes).toEqual(list.map((_, i) => i));
    }
    expect(src).toContain(`export const UNARY_LOGICAL_NOT: i32 = ${UNARY_OPS.indexOf('logicalNot')};`);
    expect(src).toContain(`export const REDUCE_MIN: i32 = ${REDUCE_OPS.indexOf('min')};`);
    expect(src).toContain('case UNARY_EXP: return UnaryF64.exp(x);');
    expect(src).toContain('case BINARY_POW: binaryRowF32(BINARY_POW, n, pa, sa, pb, sb, po); break;');
    expect(readFileSync(OUTPUT, 'utf8')).toBe(src); // global setup regenerated it before the tests
  });

  it('an op added to a core list is a compile error naming it until its kernel is written', async () => {
    const lists = await readCoreOpLists();
    // appended, and inserted in the middle (which renumbers every later op: the JS side follows the same list)
    const err = await compileWith(generateOps({ ...lists, UNARY_OPS: [...lists.UNARY_OPS, 'softplus'], BINARY_OPS: ['atan2', ...lists.BINARY_OPS] }));
    expect(err).toMatch(/Property 'softplus' does not exist/);
    expect(err).toMatch(/Property 'atan2' does not exist/);
    expect(await compileWith(generateOps(lists))).toBe('');
  }, 120_000);
});
