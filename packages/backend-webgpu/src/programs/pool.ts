import type { DType, MaxPool2dResult, Pool2dSpec } from '@logit/core';
import type { KernelContext } from '../context.js';
import type { GpuStorage } from '../storage.js';
import type { Program } from '../wgsl/header.js';
import { Meta } from '../wgsl/meta.js';

/**
 * Pooling, one thread per element: the forwards per output window; the backwards per input
 * pixel, walking the windows that can cover it (a gather, so no atomics): max pooling adds the
 * gradients of the windows whose argmax it is, average pooling each covering window's gradient
 * over its divisor. Nan is found by bits (WGSL leaves comparisons with nan to the implementation):
 * a tap wins when it is nan or greater than the max so far (the last nan of a window wins), as PyTorch.
 *   meta: [count, planes, H, W, OH, OW, KH, KW, SH, SW, PH, PW, DH, DW, countIncludePad, divisorOverride]
 */
const GEOMETRY = /* wgsl */ `
  let H = i32(prm[2]); let W = i32(prm[3]); let OH = i32(prm[4]); let OW = i32(prm[5]);
  let KH = i32(prm[6]); let KW = i32(prm[7]); let SH = i32(prm[8]); let SW = i32(prm[9]);
  let PH = i32(prm[10]); let PW = i32(prm[11]); let DH = i32(prm[12]); let DW = i32(prm[13]);`;

/** WGSL: the divisor of window (i, j) (PyTorch's avg_pool2d rules, see FusedKernels.avgPool2d). */
const DIVISOR = /* wgsl */ `
fn divisor(i: i32, j: i32) -> f32 {
  let H = i32(prm[2]); let W = i32(prm[3]);
  let r = i * i32(prm[8]) - i32(prm[10]);
  let c = j * i32(prm[9]) - i32(prm[11]);
  if (prm[15] != 0u) { return f32(i32(prm[15])); }
  let rEnd = min(r + i32(prm[6]), H + i32(prm[10]));
  let cEnd = min(c + i32(prm[7]), W + i32(prm[11]));
  if (prm[14] != 0u) { return f32((rEnd - r) * (cEnd - c)); }
  return f32((min(rEnd, H) - max(r, 0)) * (min(cEnd, W) - max(c, 0)));
}`;

function meta(count: number, s: Pool2dSpec): Meta {
  return new Meta().u(count, s.planes, ...s.inSize, ...s.outSize, ...s.kernel, ...s.stride, ...s.padding, ...s.dilation)
    .u(s.countIncludePad ? 1 : 0).i(s.divisorOverride);
}

/** WGSL lines splitting gid into (q, i, j) of an output, or (q, r, col) of an input pixel. */
const outputIndex = '  let e = i32(gid);\n  let j = e % OW;\n  let i = (e / OW) % OH;\n  let q = e / (OW * OH);';
const inputIndex = '  let e = i32(gid);\n  let col = e % W;\n  let r = (e / W) % H;\n  let q = e / (W * H);';

function maxProgram(threads: number): Program {
  const main = `
  if (gid >= prm[0]) { return; }${GEOMETRY}
${outputIndex}
  var r0 = i * SH - PH;
  let r1 = min(r0 + (KH - 1) * DH + 1, H);
  while (r0 < 0) { r0 = r0 + DH; }
  var c0 = j * SW - PW;
  let c1 = min(c0 + (KW - 1) * DW + 1, W);
  while (c0 < 0) { c0 = c0 + DW; }
  var best = -infF();
  var at = r0 * W + c0;
  for (var r = r0; r < r1; r = r + DH) {
    for (var c = c0; c < c1; c = c + DW) {
      let v = x[q * H * W + r * W + c];
      if (isNan(v) || v > best) {
        best = v;
        at = r * W + c;
      }
    }
  }
  out[gid] = best;
  indices[gid] = at;`;
  return {
    label: 'maxPool2d',
    bindings: [{ name: 'x', type: 'f32' }, { name: 'out', type: 'f32', write: true }, { name: 'indices', type: 'i32', write: true }],
    workgroupSize: threads,
    main,
  };
}

/** WGSL: the window rows i0..i1 (inclusive) whose span of `k` taps spaced `d` can reach input row `r`. */
const windowsOver = (name: string, r: string, k: string, d: string, s: string, p: string, count: string): string => `
  let ${name}Lo = max(0, (${r} + ${p} - (${k} - 1) * ${d} + ${s} - 1) / ${s});
  let ${name}Hi = min(${count} - 1, (${r} + ${p}) / ${s});`;

function maxBackwardProgram(threads: number): Program {
  const main = `
  if (gid >= prm[0]) { return; }${GEOMETRY}
${inputIndex}${windowsOver('i', 'r', 'KH', 'DH', 'SH', 'PH', 'OH')}${windowsOver('j', 'col', 'KW', 'DW', 'SW', 'PW', 'OW')}
  let me = r * W + col;
  var acc = 0.0;
  for (var i = max(iLo, 0); i <= iHi; i++) {
    for (var j = max(jLo, 0); j <= jHi; j++) {
      let o = (q * OH + i) * OW + j;
      if (indices[o] == me) { acc = acc + gy[o]; }
    }
  }
  gx[gid] = acc;`;
  return {
    label: 'maxPool2dBackward',
    bindings: [{ name: 'gy', type: 'f32' }, { name: 'indices', type: 'i32' }, { name: 'gx', type: 'f32', write: true }],
    workgroupSize: threads,
    main,
  };
}

function avgProgram(threads: number): Program {
  const main = `
  if (gid >= prm[0]) { return; }${GEOMETRY}
${outputIndex}
  let r = i * SH - PH;
  let c = j * SW - PW;
  var sum = 0.0;
  for (var rr = max(r, 0); rr < min(min(r + KH, H + PH), H); rr++) {
    for (var cc = max(c, 0); cc < min(min(c + KW, W + PW), W); cc++) { sum = sum + x[(q * H + rr) * W + cc]; }
  }
  out[gid] = sum / divisor(i, j);`;
  return {
    label: 'avgPool2d',
    bindings: [{ name: 'x', type: 'f32' }, { name: 'out', type: 'f32', write: true }],
    workgroupSize: threads,
    decls: DIVISOR,
    main,
  };
}

function avgBackwardProgram(threads: number): Program {
  // dilation is 1 for average pooling, so the windows over a pixel are those with i * SH - PH <= r < i * SH - PH + KH
  const main = `
  if (gid >= prm[0]) { return; }${GEOMETRY}
${inputIndex}${windowsOver('i', 'r', 'KH', '1', 'SH', 'PH', 'OH')}${windowsOver('j', 'col', 'KW', '1', 'SW', 'PW', 'OW')}
  var acc = 0.0;
  for (var i = max(iLo, 0); i <= iHi; i++) {
    for (var j = max(jLo, 0); j <= jHi; j++) { acc = acc + gy[(q * OH + i) * OW + j] / divisor(i, j); }
  }
  gx[gid] = acc;`;
  return {
    label: 'avgPool2dBackward',
    bindings: [{ name: 'gy', type: 'f32' }, { name: 'gx', type: 'f32', write: true }],
    workgroupSize: threads,
    decls: DIVISOR,
    main,
  };
}

const outCount = (s: Pool2dSpec): number => s.planes * s.outSize[0] * s.outSize[1];
const inCount = (s: Pool2dSpec): number => s.planes * s.inSize[0] * s.inSize[1];

export function maxPool2d(ctx: KernelContext, x: GpuStorage, s: Pool2dSpec, dtype: DType): MaxPool2dResult {
  const n = outCount(s);
  const out = ctx.alloc(dtype, n);
  const indices = ctx.alloc('int32', n);
  if (n > 0) ctx.engine.run(maxProgram(ctx.engine.maxThreads), [x, out, indices], meta(n, s), ctx.engine.groupsFor(n, ctx.engine.maxThreads));
  return { out, indices };
}

export function maxPool2dBackward(ctx: KernelContext, gy: GpuStorage, indices: GpuStorage, s: Pool2dSpec, dtype: DType): GpuStorage {
  const n = inCount(s);
  const out = ctx.alloc(dtype, n);
  if (n > 0) ctx.engine.run(maxBackwardProgram(ctx.engine.maxThreads), [gy, indices, out], meta(n, s), ctx.engine.groupsFor(n, ctx.engine.maxThreads));
  return out;
}

export function avgPool2d(ctx: KernelContext, x: GpuStorage, s: Pool2dSpec, dtype: DType): GpuStorage {
  const n = outCount(s);
  const out = ctx.alloc(dtype, n);
  if (n > 0) ctx.engine.run(avgProgram(ctx.engine.maxThreads), [x, out], meta(n, s), ctx.engine.groupsFor(n, ctx.engine.maxThreads));
  return out;
}

export function avgPool2dBackward(ctx: KernelContext, gy: GpuStorage, s: Pool2dSpec, dtype: DType): GpuStorage {
  const n = inCount(s);
  const out = ctx.alloc(dtype, n);
  if (n > 0) ctx.engine.run(avgBackwardProgram(ctx.engine.maxThreads), [gy, out], meta(n, s), ctx.engine.groupsFor(n, ctx.engine.maxThreads));
  return out;
}
