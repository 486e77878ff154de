import type { DType, ScanOp, Shape } from '@logit/core';
import type { KernelContext } from '../context.js';
import type { GpuStorage } from '../storage.js';
import type { Program } from '../wgsl/header.js';
import { axisLayout, groupPerRow, powerOfTwoAtMost, rowIndexing } from './rows.js';

const COMBINE: Record<ScanOp, { id: string; op: string }> = { sum: { id: '0', op: '+' }, prod: { id: '1', op: '*' } };

/**
 * Inclusive cumulative sum/prod along an axis; `reverse` walks each row from its end. float32
 * accumulates in f32, int32 wraps (WGSL integer arithmetic).
 *
 * One thread per row for short rows; for long ones a workgroup per row: each thread scans its
 * own contiguous chunk for a total, the chunk totals get an exclusive prefix in workgroup memory
 * (Hillis-Steele), and each thread rescans its chunk from that prefix. Row positions go through
 * the row layout (any axis, no transposing copy).
 */
function scanProgram(op: ScanOp, t: 'f32' | 'i32', reverse: boolean, contiguous: boolean, perGroup: boolean, threads: number): Program {
  const { id, op: o } = COMBINE[op];
  const zero = t === 'f32' ? `${id}.0` : id;
  const at = reverse ? 'base + rowOffset(len - 1u - r)' : 'base + rowOffset(r)';
  let decls = rowIndexing(contiguous);
  let main: string;
  if (perGroup) {
    decls += `\nvar<workgroup> sh: array<${t}, ${threads}>;`;
    main = `
  let row = group;
  if (row >= prm[0]) { return; }
  let len = prm[1];
  let base = rowBase(row);
  let chunk = (len + ${threads - 1}u) / ${threads}u;
  let first = min(lid * chunk, len);
  let last = min(first + chunk, len);
  var acc: ${t} = ${zero};
  for (var r = first; r < last; r = r + 1u) { acc = acc ${o} x[${at}]; }
  sh[lid] = acc;
  workgroupBarrier();
  for (var s = 1u; s < ${threads}u; s = s << 1u) {
    var v: ${t} = ${zero};
    if (lid >= s) { v = sh[lid - s]; }
    workgroupBarrier();
    if (lid >= s) { sh[lid] = v ${o} sh[lid]; }
    workgroupBarrier();
  }
  var run: ${t} = ${zero};
  if (lid > 0u) { run = sh[lid - 1u]; }
  for (var r = first; r < last; r = r + 1u) {
    let off = ${at};
    run = run ${o} x[off];
    out[off] = run;
  }`;
  } else {
    main = `
  let row = gid;
  if (row >= prm[0]) { return; }
  let len = prm[1];
  let base = rowBase(row);
  var run: ${t} = ${zero};
  for (var r = 0u; r < len; r = r + 1u) {
    let off = ${at};
    run = run ${o} x[off];
    out[off] = run;
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
