import type { DType, Shape } from '@logit/core';
import { broadcastStrides, sizeOf as size, stridesOf } from '@logit/core';
import type { KernelContext } from '../context.js';
import type { GpuStorage } from '../storage.js';
import type { Program } from '../wgsl/header.js';
import { Meta } from '../wgsl/meta.js';

/**
 * The layout program family: for every index c of `shape` (row-major),
 *   out[wbase + sum(c[d] * wstride[d])] = x[rbase + sum(c[d] * rstride[d])].
 * Permute, expand and slice are strided reads into a contiguous output; setSlice and concat are
 * strided writes. Values are moved as raw 32-bit words, so one shader serves every dtype.
 *   meta: [size, rank, rbase, wbase, shape..., rstrides..., wstrides...]
 */
function stridedCopyProgram(threads: number): Program {
  return {
    label: 'strided copy',
    bindings: [{ name: 'x', type: 'u32' }, { name: 'out', type: 'u32', write: true }],
    workgroupSize: threads,
    main: `
  if (gid >= prm[0]) { return; }
  let rank = prm[1];
  var rem = gid;
  var r = prm[2];
  var w = prm[3];
  for (var d = i32(rank) - 1; d >= 0; d--) {
    let dim = prm[4u + u32(d)];
    let c = rem % dim;
    rem = rem / dim;
    r = r + c * prm[4u + rank + u32(d)];
    w = w + c * prm[4u + 2u * rank + u32(d)];
  }
  out[w] = x[r];`,
  };
}

function stridedCopy(
  ctx: KernelContext, x: GpuStorage, out: GpuStorage, shape: Shape,
  rbase: number, rstrides: readonly number[], wbase: number, wstrides: readonly number[],
): void {
  const n = size(shape);
  if (n === 0) return;
  const contiguous = stridesOf(shape);
  const same = (s: readonly number[]): boolean => s.every((v, d) => v === contiguous[d] || shape[d] === 1);
  if (rbase === 0 && wbase === 0 && same(rstrides) && same(wstrides)) {
    ctx.engine.copy(x, out, n * 4); // a plain copy: no kernel needed
    return;
  }
  const threads = ctx.engine.maxThreads;
  const meta = new Meta().u(n, shape.length, rbase, wbase, ...shape, ...rstrides, ...wstrides);
  ctx.engine.run(stridedCopyProgram(threads), [x, out], meta, ctx.engine.groupsFor(n, threads));
}

export function permute(ctx: KernelContext, x: GpuStorage, shape: Shape, perm: readonly number[], dtype: DType): GpuStorage {
  const xs = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  const out = ctx.alloc(dtype, size(shape));
  stridedCopy(ctx, x, out, outShape, 0, perm.map((p) => xs[p]), 0, stridesOf(outShape));
  return out;
}

export function expand(ctx: KernelContext, x: GpuStorage, shape: Shape, outShape: Shape, dtype: DType): GpuStorage {
  const out = ctx.alloc(dtype, size(outShape));
  stridedCopy(ctx, x, out, outShape, 0, broadcastStrides(shape, outShape), 0, stridesOf(outShape));
  return out;
}

export function slice(ctx: KernelContext, x: GpuStorage, shape: Shape, begin: readonly number[], step: readonly number[], outShape: Shape, dtype: DType): GpuStorage {
  const xs = stridesOf(shape);
  const out = ctx.alloc(dtype, size(outShape));
  const base = xs.reduce((acc, s, d) => acc + s * begin[d], 0);
  stridedCopy(ctx, x, out, outShape, base, xs.map((s, d) => s * step[d]), 0, stridesOf(outShape));
  return out;
}

export function setSlice(
  ctx: KernelContext, base: GpuStorage, shape: Shape, src: GpuStorage, srcShape: Shape, begin: readonly number[], step: readonly number[], dtype: DType,
): GpuStorage {
  const xs = stridesOf(shape);
  const out = ctx.alloc(dtype, size(shape));
  ctx.engine.copy(base, out, size(shape) * 4);
  const at = xs.reduce((acc, s, d) => acc + s * begin[d], 0);
  stridedCopy(ctx, src, out, srcShape, 0, stridesOf(srcShape), at, xs.map((s, d) => s * step[d]));
  return out;
}

export function concat(ctx: KernelContext, inputs: readonly GpuStorage[], shapes: readonly Shape[], axis: number, dtype: DType): GpuStorage {
  const total = shapes.reduce((acc, s) => acc + s[axis], 0);
  const outShape = shapes[0].map((d, i) => (i === axis ? total : d));
  const os = stridesOf(outShape);
  const out = ctx.alloc(dtype, size(outShape));
  let at = 0;
  inputs.forEach((x, k) => {
    stridedCopy(ctx, x, out, shapes[k], 0, stridesOf(shapes[k]), at * os[axis], os);
    at += shapes[k][axis];
  });
  return out;
}

/** fill: every word of the output is the value's bits (meta: [size, bits]). */
export function fill(ctx: KernelContext, value: number, n: number, dtype: DType): GpuStorage {
  const out = ctx.alloc(dtype, n);
  const threads = ctx.engine.maxThreads;
  const meta = new Meta().u(n);
  if (dtype === 'float32') meta.f(value);
  else if (dtype === 'int32') meta.i(new Int32Array([value])[0]); // Int32Array store: truncate and wrap, as backend-cpu
  else meta.u(value !== 0 ? 1 : 0);
  const program: Program = {
    label: 'fill',
    bindings: [{ name: 'out', type: 'u32', write: true }],
    workgroupSize: threads,
    main: '  if (gid >= prm[0]) { return; }\n  out[gid] = prm[1];',
  };
  ctx.engine.run(program, [out], meta, ctx.engine.groupsFor(n, threads));
  return out;
}
