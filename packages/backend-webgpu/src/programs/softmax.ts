import type { DType, Shape } from '@logit/core';
import type { KernelContext } from '../context.js';
import type { GpuStorage } from '../storage.js';
import type { Program } from '../wgsl/header.js';
import { mathLibrary } from '../wgsl/math.js';
import { axisLayout, groupPerRow, powerOfTwoAtMost, rowIndexing, workgroupTree } from './rows.js';

/**
 * softmax / logSoftmax along an axis, max-subtracted. A row with a nan or +inf, or of only
 * -inf, is nan everywhere, by the same arithmetic as backend-cpu (inf - inf = nan): the max is
 * nan-propagating and expF/logF keep IEEE results at the edges.
 */
const WRITE = {
  softmax: 'expF(x[off] - mx) / total',
  logSoftmax: 'x[off] - mx - logF(total)',
};

function softmaxProgram(kind: keyof typeof WRITE, contiguous: boolean, perGroup: boolean, threads: number): Program {
  const write = WRITE[kind];
  let decls = rowIndexing(contiguous);
  let main: string;
  if (perGroup) {
    decls += `\nvar<workgroup> sh: array<f32, ${threads}>;`;
    main = `
  let row = group;
  if (row >= prm[0]) { return; }
  let len = prm[1];
  let base = rowBase(row);
  var m = -infF();
  for (var r = lid; r < len; r = r + ${threads}u) { m = maxF(m, x[base + rowOffset(r)]); }
  sh[lid] = m;${workgroupTree(threads, (a, b) => `maxF(${a}, ${b})`)}
  let mx = sh[0];
  workgroupBarrier();
  var t = 0.0;
  for (var r = lid; r < len; r = r + ${threads}u) { t = t + expF(x[base + rowOffset(r)] - mx); }
  sh[lid] = t;${workgroupTree(threads, (a, b) => `${a} + ${b}`)}
  let total = sh[0];
  for (var r = lid; r < len; r = r + ${threads}u) {
    let off = base + rowOffset(r);
    out[off] = ${write};
  }`;
  } else {
    main = `
  let row = gid;
  if (row >= prm[0]) { return; }
  let len = prm[1];
  let base = rowBase(row);
  var mx = -infF();
  for (var r = 0u; r < len; r = r + 1u) { mx = maxF(mx, x[base + rowOffset(r)]); }
  var total = 0.0;
  for (var r = 0u; r < len; r = r + 1u) { total = total + expF(x[base + rowOffset(r)] - mx); }
  for (var r = 0u; r < len; r = r + 1u) {
    let off = base + rowOffset(r);
    out[off] = ${write};
  }`;
  }
  return {
    label: kind,
    bindings: [{ name: 'x', type: 'f32' }, { name: 'out', type: 'f32', write: true }],
    workgroupSize: threads,
    decls: mathLibrary(decls + main) + decls,
    main,
  };
}

export function softmaxKernel(ctx: KernelContext, kind: keyof typeof WRITE, x: GpuStorage, shape: Shape, axis: number, dtype: DType): GpuStorage {
  const layout = axisLayout(shape, axis);
  const out = ctx.alloc(dtype, layout.rows * layout.len);
  const perGroup = groupPerRow(layout.rows, layout.len);
  const max = powerOfTwoAtMost(ctx.engine.maxThreads);
  const threads = perGroup ? Math.min(max, Math.max(32, 2 ** Math.ceil(Math.log2(layout.len)))) : max;
  const program = softmaxProgram(kind, layout.contiguous, perGroup, threads);
  ctx.engine.run(program, [x, out], layout.meta, perGroup ? layout.rows : ctx.engine.groupsFor(layout.rows, threads));
  return out;
}
