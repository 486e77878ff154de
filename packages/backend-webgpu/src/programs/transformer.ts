import type { AttentionResult, AttentionSpec, DType, LayerNormGrads, LayerNormResult, LayerNormSpec } from '@logit/core';
import type { KernelContext } from '../context.js';
import type { GpuStorage } from '../storage.js';
import type { Binding, Program } from '../wgsl/header.js';
import { mathLibrary } from '../wgsl/math.js';
import { Meta } from '../wgsl/meta.js';
import { powerOfTwoAtMost } from './rows.js';

// The transformer kernels (types.ts `layerNorm`, `layerNormBackward`, `attention`): one thread
// per row, each a few passes over its row, in float32. One dispatch replaces the ten or so of the
// composed path (each a buffer, a bind group and a pass); the backward is two: dx per row, and
// dweight/dbias per column summed over the rows.

const f32 = (name: string, write = false): Binding => ({ name, type: 'f32', write });

/** meta: [rows, cols, eps (f32)] */
function layerNormProgram(weighted: boolean, biased: boolean, threads: number): Program {
  const main = `
  let row = gid;
  if (row >= prm[0]) { return; }
  let cols = prm[1];
  let base = row * cols;
  var s = 0.0;
  for (var c = 0u; c < cols; c++) { s = s + x[base + c]; }
  let m = s / f32(cols);
  var q = 0.0;
  for (var c = 0u; c < cols; c++) { let d = x[base + c] - m; q = q + d * d; }
  let rs = 1.0 / sqrt(q / f32(cols) + metaF(2u));
  mean[row] = m;
  rstd[row] = rs;
  for (var c = 0u; c < cols; c++) {
    out[base + c] = (x[base + c] - m) * rs${weighted ? ' * weight[c]' : ''}${biased ? ' + bias[c]' : ''};
  }`;
  const bindings = [f32('x'), ...(weighted ? [f32('weight')] : []), ...(biased ? [f32('bias')] : []), f32('out', true), f32('mean', true), f32('rstd', true)];
  return { label: 'layerNorm', bindings, workgroupSize: threads, main };
}

/** dx per row. meta: [rows, cols] */
function layerNormRowsProgram(weighted: boolean, threads: number): Program {
  const gw = (i: string): string => (weighted ? `dy[${i}] * weight[c]` : `dy[${i}]`);
  const main = `
  let row = gid;
  if (row >= prm[0]) { return; }
  let cols = prm[1];
  let base = row * cols;
  let m = mean[row];
  let rs = rstd[row];
  var sg = 0.0;
  var sgx = 0.0;
  for (var c = 0u; c < cols; c++) {
    let g = ${gw('base + c')};
    sg = sg + g;
    sgx = sgx + g * (x[base + c] - m) * rs;
  }
  let mg = sg / f32(cols);
  let mgx = sgx / f32(cols);
  for (var c = 0u; c < cols; c++) {
    dx[base + c] = rs * (${gw('base + c')} - mg - (x[base + c] - m) * rs * mgx);
  }`;
  const bindings = [f32('dy'), f32('x'), f32('mean'), f32('rstd'), ...(weighted ? [f32('weight')] : []), f32('dx', true)];
  return { label: 'layerNormBackward rows', bindings, workgroupSize: threads, main };
}

/** dweight and dbias per column, summed over the rows. meta: [rows, cols] */
function layerNormColsProgram(threads: number): Program {
  const main = `
  let c = gid;
  let cols = prm[1];
  if (c >= cols) { return; }
  var sw = 0.0;
  var sb = 0.0;
  for (var r = 0u; r < prm[0]; r++) {
    let g = dy[r * cols + c];
    sw = sw + g * (x[r * cols + c] - mean[r]) * rstd[r];
    sb = sb + g;
  }
  dweight[c] = sw;
  dbias[c] = sb;`;
  return { label: 'layerNormBackward columns', bindings: [f32('dy'), f32('x'), f32('mean'), f32('rstd'), f32('dweight', true), f32('dbias', true)], workgroupSize: threads, main };
}

export function layerNorm(ctx: KernelContext, x: GpuStorage, weight: GpuStorage | null, bias: GpuStorage | null, spec: LayerNormSpec, dtype: DType): LayerNormResult {
  const { rows, cols, eps } = spec;
  const out = ctx.alloc(dtype, rows * cols), mean = ctx.alloc(dtype, rows), rstd = ctx.alloc(dtype, rows);
  const threads = powerOfTwoAtMost(Math.min(64, ctx.engine.maxThreads));
  const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  ctx.engine.run(layerNormProgram(!!weight, !!bias, threads), [...inputs, out, mean, rstd], new Meta().u(rows, cols).f(eps), ctx.engine.groupsFor(rows, threads));
  return { out, mean, rstd };
}

export function layerNormBackward(
  ctx: KernelContext, dy: GpuStorage, x: GpuStorage, mean: GpuStorage, rstd: GpuStorage, weight: GpuStorage | null, spec: LayerNormSpec, dtype: DType,
): LayerNormGrads {
  const { rows, cols } = spec;
  const dx = ctx.alloc(dtype, rows * cols), dweight = ctx.alloc(dtype, cols), dbias = ctx.alloc(dtype, cols);
  const threads = powerOfTwoAtMost(Math.min(64, ctx.engine.maxThreads));
  const meta = new Meta().u(rows, cols);
  ctx.engine.run(layerNormRowsProgram(!!weight, threads), [dy, x, mean, rstd, ...(weight ? [weight] : []), dx], meta, ctx.engine.groupsFor(rows, threads));
  ctx.engine.run(layerNormColsProgram(threads), [dy, x, mean, rstd, dweight, dbias], meta, ctx.engine.groupsFor(cols, threads));
  return { dx, dweight, dbias };
}

/**
 * One thread per query row: scores into `probs` (they are its scratch), the row max, exps and
 * their sum, the probabilities, then out = probs @ v for the row.
 * meta: [batch, l, s, e, ev, causal, maskStride, nanRows, scale (f32)]
 */
function attentionProgram(masked: boolean, threads: number): Program {
  const main = `
  let row = gid;
  let l = prm[1];
  if (row >= prm[0] * l) { return; }
  let s = prm[2];
  let e = prm[3];
  let ev = prm[4];
  let b = row / l;
  let i = row % l;
  let qo = row * e;
  let kb = b * s * e;
  let vb = b * s * ev;
  let po = row * s;
  let oo = row * ev;
  let scale = metaF(8u);
  var mx = -infF();
  for (var j = 0u; j < s; j++) {
    var sc = -infF();
    if (prm[5] == 0u || j <= i) {
      var d = 0.0;
      for (var c = 0u; c < e; c++) { d = d + q[qo + c] * k[kb + j * e + c]; }
      sc = scale * d${masked ? ' + mask[b * prm[6] + i * s + j]' : ''};
    }
    probs[po + j] = sc;
    mx = maxF(mx, sc);
  }
  if (mx == -infF()) {
    let fill = select(0.0, nanF(), prm[7] != 0u);
    for (var j = 0u; j < s; j++) { probs[po + j] = fill; }
    for (var c = 0u; c < ev; c++) { out[oo + c] = fill; }
    return;
  }
  var total = 0.0;
  for (var j = 0u; j < s; j++) {
    let p = expF(probs[po + j] - mx);
    probs[po + j] = p;
    total = total + p;
  }
  for (var j = 0u; j < s; j++) { probs[po + j] = probs[po + j] / total; }
  for (var c = 0u; c < ev; c++) {
    var acc = 0.0;
    for (var j = 0u; j < s; j++) { acc = acc + probs[po + j] * v[vb + j * ev + c]; }
    out[oo + c] = acc;
  }`;
  const bindings = [f32('q'), f32('k'), f32('v'), ...(masked ? [f32('mask')] : []), f32('out', true), f32('probs', true)];
  return { label: 'attention', bindings, workgroupSize: threads, decls: mathLibrary(main), main };
}

export function attention(ctx: KernelContext, q: GpuStorage, k: GpuStorage, v: GpuStorage, mask: GpuStorage | null, spec: AttentionSpec, dtype: DType): AttentionResult {
  const { batch, l, s, e, ev, scale, causal, maskBatchStride, maskedRows } = spec;
  const out = ctx.alloc(dtype, batch * l * ev), probs = ctx.alloc(dtype, batch * l * s);
  const threads = powerOfTwoAtMost(Math.min(64, ctx.engine.maxThreads));
  const meta = new Meta().u(batch, l, s, e, ev, causal ? 1 : 0, maskBatchStride, maskedRows === 'nan' ? 1 : 0).f(scale);
  ctx.engine.run(attentionProgram(!!mask, threads), [q, k, v, ...(mask ? [mask] : []), out, probs], meta, ctx.engine.groupsFor(batch * l, threads));
  return { out, probs };
}
