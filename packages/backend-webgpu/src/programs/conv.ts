import type { Conv2dSpec, DType } from '@logit/core';
import type { KernelContext } from '../context.js';
import type { GpuStorage } from '../storage.js';
import type { Binding, Program } from '../wgsl/header.js';
import { Meta } from '../wgsl/meta.js';
import { powerOfTwoAtMost, workgroupTree } from './rows.js';

/**
 * Direct convolution kernels (no im2col buffer): the forward and the input gradient run one
 * thread per output element, each summing its window (the input gradient walks the outputs
 * whose windows reach its pixel, skipping taps that stride over it); the weight gradient runs one
 * workgroup per weight element, its threads splitting the batch x positions sum and reducing it
 * in a workgroup tree, so a small kernel with a large batch still fills the GPU.
 *   meta: [count, N, C, O, G, H, W, OH, OW, KH, KW, SH, SW, PH, PW, DH, DW]
 */
const GEOMETRY = /* wgsl */ `
  let N = i32(prm[1]); let C = i32(prm[2]); let O = i32(prm[3]); let G = i32(prm[4]);
  let H = i32(prm[5]); let W = i32(prm[6]); let OH = i32(prm[7]); let OW = i32(prm[8]);
  let KH = i32(prm[9]); let KW = i32(prm[10]); let SH = i32(prm[11]); let SW = i32(prm[12]);
  let PH = i32(prm[13]); let PW = i32(prm[14]); let DH = i32(prm[15]); let DW = i32(prm[16]);
  let cg = C / G; let og = O / G;`;

const f32In = (name: string): Binding => ({ name, type: 'f32' });
const f32Out = (name: string): Binding => ({ name, type: 'f32', write: true });

function meta(count: number, s: Conv2dSpec): Meta {
  return new Meta().u(count, s.batch, s.inChannels, s.outChannels, s.groups, ...s.inSize, ...s.outSize, ...s.kernel, ...s.stride, ...s.padding, ...s.dilation);
}

function forwardProgram(withBias: boolean, threads: number): Program {
  const main = `
  if (gid >= prm[0]) { return; }${GEOMETRY}
  let e = i32(gid);
  let j = e % OW;
  let i = (e / OW) % OH;
  let o = (e / (OW * OH)) % O;
  let n = e / (OW * OH * O);
  let c0 = (o / og) * cg;
  var acc = 0.0;
  for (var c = 0; c < cg; c++) {
    let plane = (n * C + c0 + c) * H * W;
    let taps = (o * cg + c) * KH * KW;
    for (var a = 0; a < KH; a++) {
      let r = i * SH - PH + a * DH;
      if (r < 0 || r >= H) { continue; }
      for (var b = 0; b < KW; b++) {
        let col = j * SW - PW + b * DW;
        if (col < 0 || col >= W) { continue; }
        acc = acc + x[plane + r * W + col] * w[taps + a * KW + b];
      }
    }
  }
  y[gid] = ${withBias ? 'acc + bias[o]' : 'acc'};`;
  return {
    label: `conv2d${withBias ? ' bias' : ''}`,
    bindings: [f32In('x'), f32In('w'), ...(withBias ? [f32In('bias')] : []), f32Out('y')],
    workgroupSize: threads,
    main,
  };
}

function inputGradProgram(threads: number): Program {
  const main = `
  if (gid >= prm[0]) { return; }${GEOMETRY}
  let e = i32(gid);
  let col = e % W;
  let r = (e / W) % H;
  let c = (e / (W * H)) % C;
  let n = e / (W * H * C);
  let g = c / cg;
  let cc = c - g * cg;
  var acc = 0.0;
  for (var oo = 0; oo < og; oo++) {
    let o = g * og + oo;
    let plane = (n * O + o) * OH * OW;
    let taps = (o * cg + cc) * KH * KW;
    for (var a = 0; a < KH; a++) {
      let t = r + PH - a * DH;
      if (t < 0 || t % SH != 0 || t / SH >= OH) { continue; }
      let i = t / SH;
      for (var b = 0; b < KW; b++) {
        let u = col + PW - b * DW;
        if (u < 0 || u % SW != 0 || u / SW >= OW) { continue; }
        acc = acc + gy[plane + i * OW + u / SW] * w[taps + a * KW + b];
      }
    }
  }
  gx[gid] = acc;`;
  return { label: 'conv2dBackwardInput', bindings: [f32In('gy'), f32In('w'), f32Out('gx')], workgroupSize: threads, main };
}

function weightGradProgram(threads: number): Program {
  const main = `
  let e = i32(group);
  if (group >= prm[0]) { return; }${GEOMETRY}
  let b = e % KW;
  let a = (e / KW) % KH;
  let cc = (e / (KW * KH)) % cg;
  let o = e / (KW * KH * cg);
  let c = (o / og) * cg + cc;
  let positions = OH * OW;
  var acc = 0.0;
  for (var q = i32(lid); q < N * positions; q = q + ${threads}) {
    let n = q / positions;
    let i = (q % positions) / OW;
    let j = q % OW;
    let r = i * SH - PH + a * DH;
    let col = j * SW - PW + b * DW;
    if (r >= 0 && r < H && col >= 0 && col < W) {
      acc = acc + x[((n * C + c) * H + r) * W + col] * gy[((n * O + o) * OH + i) * OW + j];
    }
  }
  sh[lid] = acc;${workgroupTree(threads, (l, rr) => `${l} + ${rr}`)}
  if (lid == 0u) { gw[e] = sh[0]; }`;
  return {
    label: 'conv2dBackwardWeight',
    bindings: [f32In('x'), f32In('gy'), f32Out('gw')],
    workgroupSize: threads,
    decls: `var<workgroup> sh: array<f32, ${threads}>;`,
    main,
  };
}

const outCount = (s: Conv2dSpec): number => s.batch * s.outChannels * s.outSize[0] * s.outSize[1];
const inCount = (s: Conv2dSpec): number => s.batch * s.inChannels * s.inSize[0] * s.inSize[1];

export function conv2d(ctx: KernelContext, x: GpuStorage, w: GpuStorage, bias: GpuStorage | null, s: Conv2dSpec, dtype: DType): GpuStorage {
  const n = outCount(s);
  const out = ctx.alloc(dtype, n);
  if (n === 0) return out;
  const threads = ctx.engine.maxThreads;
  ctx.engine.run(forwardProgram(bias !== null, threads), bias ? [x, w, bias, out] : [x, w, out], meta(n, s), ctx.engine.groupsFor(n, threads));
  return out;
}

export function conv2dBackwardInput(ctx: KernelContext, gy: GpuStorage, w: GpuStorage, s: Conv2dSpec, dtype: DType): GpuStorage {
  const n = inCount(s);
  const out = ctx.alloc(dtype, n);
  if (n === 0) return out;
  const threads = ctx.engine.maxThreads;
  ctx.engine.run(inputGradProgram(threads), [gy, w, out], meta(n, s), ctx.engine.groupsFor(n, threads));
  return out;
}

export function conv2dBackwardWeight(ctx: KernelContext, x: GpuStorage, gy: GpuStorage, s: Conv2dSpec, dtype: DType): GpuStorage {
  const n = s.outChannels * (s.inChannels / s.groups) * s.kernel[0] * s.kernel[1];
  const out = ctx.alloc(dtype, n);
  if (n === 0) return out;
  const terms = s.batch * s.outSize[0] * s.outSize[1];
  // enough threads to split the sum, no more than it has terms (a power of two for the tree)
  const threads = Math.max(32, Math.min(powerOfTwoAtMost(ctx.engine.maxThreads), 2 ** Math.ceil(Math.log2(Math.max(1, terms)))));
  ctx.engine.run(weightGradProgram(threads), [x, gy, out], meta(n, s), n);
  return out;
}
