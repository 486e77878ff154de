import type { DType, ScanOp, Shape } from '@logit/core';
import type { KernelContext } from '../context.js';
import type { GpuStorage } from '../storage.js';
import type { Program } from '../wgsl/header.js';
import { axisLayout, groupPerRow, powerOfTwoAtMost, rowIndexing } from './rows.js';

/**
 * How a scan accumulates. A float32 sum carries its rounding error along (TwoSum), so each
 * output is the exact prefix sum rounded once, as backend-cpu's double accumulator gives: the
 * same CDF on every backend is what keeps multinomial's samples identical. Products and int32
 * (which wraps) accumulate plainly.
 */
interface Acc {
  /** WGSL declarations of the accumulator state, initialized to the identity. */
  init: (v: string) => string;
  /** Adds the element `x` into the state named v. */
  add: (v: string, x: string) => string;
  /** Adds the state b into the state a (the partials of two chunks). */
  merge: (a: string, b: string) => string;
  /** The value written out. */
  value: (v: string) => string;
  /** Workgroup arrays of the state (one per component). */
  parts: readonly string[];
}

const twoSum: Acc = {
  init: (v) => `var ${v}h = 0.0; var ${v}l = 0.0;`,
  add: (v, x) => `{ let a = ${v}h; let b = ${x}; let t = a + b; let bp = t - a;
      ${v}l = ${v}l + select(0.0, (a - (t - bp)) + (b - bp), abs(t) < infF()); ${v}h = t; }`,
  merge: (a, b) => `{ let ah = ${a}h; let bh = ${b}h; let t = ah + bh; let bp = t - ah;
      ${a}l = ${a}l + ${b}l + select(0.0, (ah - (t - bp)) + (bh - bp), abs(t) < infF()); ${a}h = t; }`,
  value: (v) => `${v}h + ${v}l`,
  parts: ['h', 'l'],
};

function plain(t: 'f32' | 'i32', op: ScanOp): Acc {
  const id = op === 'sum' ? '0' : '1';
  const o = op === 'sum' ? '+' : '*';
  return {
    init: (v) => `var ${v}h: ${t} = ${t === 'f32' ? `${id}.0` : id};`,
    add: (v, x) => `${v}h = ${v}h ${o} ${x};`,
    merge: (a, b) => `${a}h = ${a}h ${o} ${b}h;`,
    value: (v) => `${v}h`,
    parts: ['h'],
  };
}

/**
 * Inclusive cumulative sum/prod along an axis; `reverse` walks each row from its end. One thread
 * per row for short rows; for long ones a workgroup per row: each thread scans its contiguous
 * chunk for a partial, the partials get an exclusive prefix in workgroup memory (Hillis-Steele),
 * and each thread rescans its chunk from there. Rows go through the row layout (any axis).
 */
function scanProgram(op: ScanOp, t: 'f32' | 'i32', reverse: boolean, contiguous: boolean, perGroup: boolean, threads: number): Program {
  const acc = t === 'f32' && op === 'sum' ? twoSum : plain(t, op);
  const at = reverse ? 'base + rowOffset(len - 1u - r)' : 'base + rowOffset(r)';
  let decls = rowIndexing(contiguous);
  let main: string;
  if (perGroup) {
    decls += acc.parts.map((p) => `\nvar<workgroup> partials${p}: array<${t}, ${threads}>;`).join('');
    const load = (v: string, i: string) => acc.parts.map((p) => `${v}${p} = partials${p}[${i}];`).join(' ');
    const save = (v: string, i: string) => acc.parts.map((p) => `partials${p}[${i}] = ${v}${p};`).join(' ');
    main = `
  let row = group;
  if (row >= prm[0]) { return; }
  let len = prm[1];
  let base = rowBase(row);
  let chunk = (len + ${threads - 1}u) / ${threads}u;
  let first = min(lid * chunk, len);
  let last = min(first + chunk, len);
  ${acc.init('part')}
  for (var r = first; r < last; r = r + 1u) { ${acc.add('part', `x[${at}]`)} }
  ${save('part', 'lid')}
  workgroupBarrier();
  for (var k = 1u; k < ${threads}u; k = k << 1u) {
    ${acc.init('o')}
    if (lid >= k) { ${load('o', 'lid - k')} }
    workgroupBarrier();
    if (lid >= k) { ${load('part', 'lid')} ${acc.merge('o', 'part')} ${save('o', 'lid')} }
    workgroupBarrier();
  }
  ${acc.init('run')}
  if (lid > 0u) { ${load('run', 'lid - 1u')} }
  for (var r = first; r < last; r = r + 1u) {
    let off = ${at};
    ${acc.add('run', 'x[off]')}
    out[off] = ${acc.value('run')};
  }`;
  } else {
    main = `
  let row = gid;
  if (row >= prm[0]) { return; }
  let len = prm[1];
  let base = rowBase(row);
  ${acc.init('run')}
  for (var r = 0u; r < len; r = r + 1u) {
    let off = ${at};
    ${acc.add('run', 'x[off]')}
    out[off] = ${acc.value('run')};
  }`;
  }
  return {
    label: `scan ${op} ${t}${reverse ? ' reverse' : ''}`,
    bindings: [{ name: 'x', type: t }, { name: 'out', type: t, write: true }],
    workgroupSize: threads,
    decls,
    main,
  };
}

export function scan(ctx: KernelContext, op: ScanOp, x: GpuStorage, shape: Shape, axis: number, reverse: boolean, dtype: DType): GpuStorage {
  const layout = axisLayout(shape, axis);
  const out = ctx.alloc(dtype, layout.rows * layout.len);
  if (layout.rows * layout.len === 0) return out;
  const perGroup = groupPerRow(layout.rows, layout.len);
  const max = powerOfTwoAtMost(ctx.engine.maxThreads);
  const threads = perGroup ? Math.min(max, Math.max(32, 2 ** Math.ceil(Math.log2(layout.len / 4)))) : max;
  const program = scanProgram(op, dtype === 'int32' ? 'i32' : 'f32', reverse, layout.contiguous, perGroup, threads);
  ctx.engine.run(program, [x, out], layout.meta, perGroup ? layout.rows : ctx.engine.groupsFor(layout.rows, threads));
  return out;
}
