import type { DType, GruCellGrads, GruCellResult, LstmCellGrads, LstmCellResult, RnnCellSpec } from '@logit/core';
import type { KernelContext } from '../context.js';
import type { GpuStorage } from '../storage.js';
import type { Binding, Program } from '../wgsl/header.js';
import { mathLibrary } from '../wgsl/math.js';
import { Meta } from '../wgsl/meta.js';

/**
 * The fused recurrent steps (lstmCell, gruCell and their backward; formulas in @logit/core's
 * backend types): one thread per (row, unit), one dispatch per time step instead of the dozen
 * elementwise kernels core composes otherwise. sigmoid and tanh are the unary kernels' sigmoidF
 * and tanhF, so edge values behave as in the composed path.
 *
 * meta: [batch * hidden, hidden, xOffset (the forward kernels' first element of xg)].
 */

const f32In = (name: string): Binding => ({ name, type: 'f32' });
const f32Out = (name: string): Binding => ({ name, type: 'f32', write: true });

const UNIT = ['  if (gid >= prm[0]) { return; }', '  let H = prm[1];', '  let b = gid / H;', '  let j = gid % H;'];

function program(label: string, bindings: Binding[], body: string[], threads: number): Program {
  const main = [...UNIT, ...body].join('\n');
  return { label, bindings, workgroupSize: threads, decls: mathLibrary(main), main };
}

const lstmForward = (threads: number): Program =>
  program('lstmCell', [f32In('xg'), f32In('hg'), f32In('c'), f32Out('hOut'), f32Out('cOut'), f32Out('gates')], [
    '  let row = b * 4u * H;',
    '  let x = prm[2] + row;',
    '  let i = sigmoidF(xg[x + j] + hg[row + j]);',
    '  let f = sigmoidF(xg[x + H + j] + hg[row + H + j]);',
    '  let g = tanhF(xg[x + 2u * H + j] + hg[row + 2u * H + j]);',
    '  let o = sigmoidF(xg[x + 3u * H + j] + hg[row + 3u * H + j]);',
    '  let keep = f * c[gid];',
    '  let write = i * g;',
    '  let cj = keep + write;',
    '  cOut[gid] = cj;',
    '  hOut[gid] = o * tanhF(cj);',
    '  gates[row + j] = i;',
    '  gates[row + H + j] = f;',
    '  gates[row + 2u * H + j] = g;',
    '  gates[row + 3u * H + j] = o;',
  ], threads);

const lstmBackward = (threads: number): Program =>
  program('lstmCellBackward', [f32In('gates'), f32In('c'), f32In('cNew'), f32In('dh'), f32In('dc'), f32Out('dgates'), f32Out('dcOut')], [
    '  let row = b * 4u * H;',
    '  let i = gates[row + j];',
    '  let f = gates[row + H + j];',
    '  let g = gates[row + 2u * H + j];',
    '  let o = gates[row + 3u * H + j];',
    '  let tc = tanhF(cNew[gid]);',
    '  let d = dh[gid];',
    '  let dct = dc[gid] + d * o * (1.0 - tc * tc);',
    '  dgates[row + j] = dct * g * i * (1.0 - i);',
    '  dgates[row + H + j] = dct * c[gid] * f * (1.0 - f);',
    '  dgates[row + 2u * H + j] = dct * i * (1.0 - g * g);',
    '  dgates[row + 3u * H + j] = d * tc * o * (1.0 - o);',
    '  dcOut[gid] = dct * f;',
  ], threads);

const gruForward = (threads: number, bias: boolean): Program =>
  program(`gruCell${bias ? '' : ' (no bias)'}`, [f32In('xg'), f32In('hg'), ...(bias ? [f32In('bhh')] : []), f32In('h'), f32Out('hOut'), f32Out('gates')], [
    '  let row = b * 3u * H;',
    '  let grow = b * 4u * H;',
    '  let x = prm[2] + row;',
    ...(bias
      ? ['  let br = hg[row + j] + bhh[j];', '  let bz = hg[row + H + j] + bhh[H + j];', '  let hn = hg[row + 2u * H + j] + bhh[2u * H + j];']
      : ['  let br = hg[row + j];', '  let bz = hg[row + H + j];', '  let hn = hg[row + 2u * H + j];']),
    '  let r = sigmoidF(xg[x + j] + br);',
    '  let z = sigmoidF(xg[x + H + j] + bz);',
    '  let n = tanhF(xg[x + 2u * H + j] + r * hn);',
    '  hOut[gid] = (1.0 - z) * n + z * h[gid];',
    '  gates[grow + j] = r;',
    '  gates[grow + H + j] = z;',
    '  gates[grow + 2u * H + j] = n;',
    '  gates[grow + 3u * H + j] = hn;',
  ], threads);

const gruBackward = (threads: number): Program =>
  program('gruCellBackward', [f32In('gates'), f32In('h'), f32In('dh'), f32Out('dxg'), f32Out('dhg'), f32Out('dhOut')], [
    '  let row = b * 3u * H;',
    '  let grow = b * 4u * H;',
    '  let r = gates[grow + j];',
    '  let z = gates[grow + H + j];',
    '  let n = gates[grow + 2u * H + j];',
    '  let hn = gates[grow + 3u * H + j];',
    '  let d = dh[gid];',
    '  let dn = d * (1.0 - z) * (1.0 - n * n);',
    '  let dz = d * (h[gid] - n) * z * (1.0 - z);',
    '  let dr = dn * hn * r * (1.0 - r);',
    '  dxg[row + j] = dr;',
    '  dxg[row + H + j] = dz;',
    '  dxg[row + 2u * H + j] = dn;',
    '  dhg[row + j] = dr;',
    '  dhg[row + H + j] = dz;',
    '  dhg[row + 2u * H + j] = dn * r;',
    '  dhOut[gid] = d * z;',
  ], threads);

function dispatch(ctx: KernelContext, make: (threads: number) => Program, storages: GpuStorage[], spec: RnnCellSpec): void {
  const n = spec.batch * spec.hidden;
  if (n === 0) return;
  const threads = ctx.engine.maxThreads;
  ctx.engine.run(make(threads), storages, new Meta().u(n, spec.hidden, spec.xOffset), ctx.engine.groupsFor(n, threads));
}

export function lstmCell(ctx: KernelContext, xg: GpuStorage, hg: GpuStorage, c: GpuStorage, spec: RnnCellSpec, dtype: DType): LstmCellResult {
  const n = spec.batch * spec.hidden;
  const h = ctx.alloc(dtype, n), cNew = ctx.alloc(dtype, n), gates = ctx.alloc(dtype, 4 * n);
  dispatch(ctx, lstmForward, [xg, hg, c, h, cNew, gates], spec);
  return { h, c: cNew, gates };
}

export function lstmCellBackward(
  ctx: KernelContext, gates: GpuStorage, c: GpuStorage, cNew: GpuStorage, dh: GpuStorage, dc: GpuStorage, spec: RnnCellSpec, dtype: DType,
): LstmCellGrads {
  const n = spec.batch * spec.hidden;
  const dgates = ctx.alloc(dtype, 4 * n), dcPrev = ctx.alloc(dtype, n);
  dispatch(ctx, lstmBackward, [gates, c, cNew, dh, dc, dgates, dcPrev], spec);
  return { dgates, dc: dcPrev };
}

export function gruCell(ctx: KernelContext, xg: GpuStorage, hg: GpuStorage, bhh: GpuStorage | null, h: GpuStorage, spec: RnnCellSpec, dtype: DType): GruCellResult {
  const n = spec.batch * spec.hidden;
  const hNew = ctx.alloc(dtype, n), gates = ctx.alloc(dtype, 4 * n);
  dispatch(ctx, (t) => gruForward(t, bhh !== null), [xg, hg, ...(bhh ? [bhh] : []), h, hNew, gates], spec);
  return { h: hNew, gates };
}

export function gruCellBackward(ctx: KernelContext, gates: GpuStorage, h: GpuStorage, dh: GpuStorage, spec: RnnCellSpec, dtype: DType): GruCellGrads {
  const n = spec.batch * spec.hidden;
  const dxg = ctx.alloc(dtype, 3 * n), dhg = ctx.alloc(dtype, 3 * n), dhPrev = ctx.alloc(dtype, n);
  dispatch(ctx, gruBackward, [gates, h, dh, dxg, dhg, dhPrev], spec);
  return { dxg, dhg, dh: dhPrev };
}
