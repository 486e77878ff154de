import type { DType, ValueCheck } from '@logit/core';
import { WORDS_PER_SLOT } from '../asserts.js';
import type { KernelContext } from '../context.js';
import type { GpuStorage } from '../storage.js';
import type { Program } from '../wgsl/header.js';
import { Meta } from '../wgsl/meta.js';

const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;

/**
 * The value an element is read as: int32 and bool (u32 0/1) compare as i32, float32 as f32 with
 * nan tested by its bits (never in range, whatever the compiler assumes of comparisons).
 */
function readValue(dtype: DType): { load: string; inRange: string; equals: string } {
  if (dtype === 'float32') {
    return { load: 'bitcast<f32>(x[gid])', inRange: '!isNan(v) && v >= metaF(2u) && v <= metaF(3u)', equals: 'v == metaF(4u)' };
  }
  return { load: 'bitcast<i32>(x[gid])', inRange: 'v >= metaI(2u) && v <= metaI(3u)', equals: 'v == metaI(4u)' };
}

/**
 * Device-side `validate`, two dispatches: every thread tests one element and an offending one
 * raises its slot's flag with atomicMax(0xffffffff - index), so the flag ends up naming the first
 * bad element in row-major order; then one thread copies that element's bits and index next to
 * the flag. The engine reads the slot back at the next read or sync (see asserts.ts).
 *   meta: [size, slot's first word, min, max, except, has except]
 */
function checkProgram(dtype: DType, threads: number): Program {
  const r = readValue(dtype);
  return {
    label: `validate ${dtype}`,
    bindings: [{ name: 'x', type: 'u32' }, { name: 'err', type: 'atomic<u32>', write: true }],
    workgroupSize: threads,
    main: `
  if (gid >= prm[0]) { return; }
  let v = ${r.load};
  if (!(${r.inRange}) && !(prm[5] != 0u && ${r.equals})) { atomicMax(&err[prm[1]], 0xffffffffu - gid); }`,
  };
}

const RECORD_PROGRAM: Program = {
  label: 'validate record',
  bindings: [{ name: 'x', type: 'u32' }, { name: 'err', type: 'atomic<u32>', write: true }],
  workgroupSize: 1,
  main: `
  let at = prm[1];
  let flag = atomicLoad(&err[at]);
  if (flag == 0u) { return; }
  let i = 0xffffffffu - flag;
  atomicStore(&err[at + 1u], x[i]);
  atomicStore(&err[at + 2u], i);`,
};

export function validate(ctx: KernelContext, x: GpuStorage, size: number, dtype: DType, check: ValueCheck): void {
  if (size === 0) return;
  const { engine } = ctx;
  const { slot, seq } = engine.assertSlot(check, dtype);
  const meta = new Meta().u(size, slot * WORDS_PER_SLOT);
  if (dtype === 'float32') {
    meta.f(check.min, check.max, check.except ?? 0);
  } else {
    const min = Math.max(Math.ceil(check.min), I32_MIN);
    const max = Math.min(Math.floor(check.max), I32_MAX);
    meta.i(min > max ? 1 : min, min > max ? 0 : max, check.except ?? 0);
  }
  const hasExcept = check.except !== null && (dtype === 'float32' || (Number.isInteger(check.except) && check.except >= I32_MIN && check.except <= I32_MAX));
  meta.u(hasExcept ? 1 : 0);
  const threads = engine.maxThreads;
  engine.run(checkProgram(dtype, threads), [x, engine.asserts.record], meta, engine.groupsFor(size, threads), true);
  engine.run(RECORD_PROGRAM, [x, engine.asserts.record], meta, 1, true);
  engine.asserts.markChecked(x, seq);
}
