import { BackendError, type DType, type MatmulSpec } from '@logit/core';
import { wgslType, type KernelContext } from '../context.js';
import type { GpuStorage } from '../storage.js';
import type { Program } from '../wgsl/header.js';
import { Meta } from '../wgsl/meta.js';
import { directMatmulProgram, K_BLOCK, type DirectMatmulLayout } from './matmul-direct.js';

/** Rows/cols of C each thread accumulates in registers, and the k-depth of a shared tile. */
const PER_THREAD = 4;
const TILE_K = 16;

/**
 * Tiled matmul: each workgroup computes a (TM x TN) tile of C for one batch item, staging
 * (TM x TILE_K) of A and (TILE_K x TN) of B in workgroup memory per k-step, and each thread
 * keeps a 4x4 block of C in registers (16 products per 8 shared loads). With 16x16 threads the
 * tile is 64x64 and the shared tiles take 8 KiB, well inside a 32 KiB workgroup limit.
 *
 * Transposes are folded into how tiles are loaded (the generated index expression differs), so
 * no transposed copy is ever made. Batch items sit on the grid's z; their start offsets come
 * from the batch strides (0 broadcasts one matrix). Sums over k are blocked (see K_BLOCK), so
 * accuracy does not degrade with K.
 *   meta: [m, n, k, aBatchStride, bBatchStride, batchOffset]
 */
function matmulProgram(t: 'f32' | 'i32', transA: boolean, transB: boolean, side: number): Program {
  const tm = side * PER_THREAD;
  const tn = side * PER_THREAD;
  const zero = t === 'f32' ? '0.0' : '0';
  // A(i, p) and B(p, j) of the current batch item, transposes folded in.
  const aAt = transA ? 'aBase + p * M + i' : 'aBase + i * K + p';
  const bAt = transB ? 'bBase + j * K + p' : 'bBase + p * N + j';
  const loadsA = (tm * TILE_K) / (side * side);
  const loadsB = (tn * TILE_K) / (side * side);
  // every K_BLOCK terms of k, the partial sums join the totals (Kahan-compensated for f32): see K_BLOCK
  const fold = t === 'f32'
    ? '        let y = acc[q] - comp[q];\n        let sum = total[q] + y;\n        comp[q] = (sum - total[q]) - y;\n        total[q] = sum;'
    : '        total[q] = total[q] + acc[q];';
  return {
    label: `matmul ${t}${transA ? ' tA' : ''}${transB ? ' tB' : ''}`,
    bindings: [{ name: 'a', type: t }, { name: 'b', type: t }, { name: 'c', type: t, write: true }],
    workgroupSize: [side, side],
    decls: `
var<workgroup> As: array<${t}, ${TILE_K * tm}>;
var<workgroup> Bs: array<${t}, ${TILE_K * tn}>;`,
    main: `
  let M = prm[0];
  let N = prm[1];
  let K = prm[2];
  let item = wid.z + prm[5];
  let aBase = item * prm[3];
  let bBase = item * prm[4];
  let row0 = wid.y * ${tm}u;
  let col0 = wid.x * ${tn}u;
  let tx = lid3.x;
  let ty = lid3.y;
  var acc: array<${t}, ${PER_THREAD * PER_THREAD}>;
  var total: array<${t}, ${PER_THREAD * PER_THREAD}>;
  var comp: array<${t}, ${PER_THREAD * PER_THREAD}>;
  for (var q = 0u; q < ${PER_THREAD * PER_THREAD}u; q++) { acc[q] = ${zero}; total[q] = ${zero}; comp[q] = ${zero}; }
  for (var p0 = 0u; p0 < K; p0 = p0 + ${TILE_K}u) {
    for (var l = 0u; l < ${loadsA}u; l++) {
      let e = lid + l * ${side * side}u;
      let i = row0 + e / ${TILE_K}u;
      let p = p0 + e % ${TILE_K}u;
      As[(e % ${TILE_K}u) * ${tm}u + e / ${TILE_K}u] = select(${zero}, a[${aAt}], i < M && p < K);
    }
    for (var l = 0u; l < ${loadsB}u; l++) {
      let e = lid + l * ${side * side}u;
      let p = p0 + e / ${tn}u;
      let j = col0 + e % ${tn}u;
      Bs[e] = select(${zero}, b[${bAt}], p < K && j < N);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${TILE_K}u; kk++) {
      var av: array<${t}, ${PER_THREAD}>;
      var bv: array<${t}, ${PER_THREAD}>;
      for (var r = 0u; r < ${PER_THREAD}u; r++) {
        av[r] = As[kk * ${tm}u + ty * ${PER_THREAD}u + r];
        bv[r] = Bs[kk * ${tn}u + tx * ${PER_THREAD}u + r];
      }
      for (var r = 0u; r < ${PER_THREAD}u; r++) {
        for (var s = 0u; s < ${PER_THREAD}u; s++) {
          acc[r * ${PER_THREAD}u + s] = acc[r * ${PER_THREAD}u + s] + av[r] * bv[s];
        }
      }
    }
    workgroupBarrier();
    if ((p0 + ${TILE_K}u) % ${K_BLOCK}u == 0u || p0 + ${TILE_K}u >= K) {
      for (var q = 0u; q < ${PER_THREAD * PER_THREAD}u; q++) {
${fold}
        acc[q] = ${zero};
      }
    }
  }
  let cBase = item * M * N;
  for (var r = 0u; r < ${PER_THREAD}u; r++) {
    let i = row0 + ty * ${PER_THREAD}u + r;
    for (var s = 0u; s < ${PER_THREAD}u; s++) {
      let j = col0 + tx * ${PER_THREAD}u + s;
      if (i < M && j < N) { c[cBase + i * N + j] = total[r * ${PER_THREAD}u + s]; }
    }
  }`,
  };
}

/** Which kernel runs: by default chosen per call (see `matmul`); tests force each in turn. */
export const matmulKernel: { force: 'tiled' | 'direct' | null } = { force: null };

/**
 * A fallback adapter is a software one (SwiftShader, WARP): workgroups run as SIMD lanes on CPU
 * threads. There the direct kernel measured 3-8x faster than the shared-tile one at every shape
 * tried (64^3 to 256^3 and the MLP's 64 x 784 x 128); on hardware GPUs the shared tile is kept.
 */
function isCpuBacked(ctx: KernelContext): boolean {
  const info = (ctx.engine.device as { adapterInfo?: { isFallbackAdapter?: boolean } }).adapterInfo;
  return info?.isFallbackAdapter === true;
}

/**
 * The direct kernel's layout for one call: each operand is read 4-wide along its contiguous axis
 * when that axis and its batch stride are multiples of 4 (so every vec4 is aligned), C is written
 * 4-wide when n is; the workgroup (64 threads, 4 x 4 outputs each) is as wide as n needs, up to 16.
 */
export function directLayout(t: 'f32' | 'i32', spec: MatmulSpec): DirectMatmulLayout {
  const { m, n, k, transA, transB } = spec;
  const aligned = (axis: number, stride: number): boolean => axis % 4 === 0 && stride % 4 === 0;
  let wx = 1;
  while (wx < 16 && wx * 4 < n) wx *= 2;
  return {
    t, transA, transB,
    vecA: aligned(transA ? m : k, spec.aBatchStride),
    vecB: aligned(transB ? k : n, spec.bBatchStride),
    vecC: n % 4 === 0,
    wx, wy: 64 / wx,
  };
}

/**
 * batch x (m x k) @ (k x n): the direct kernel (matmul-direct.ts) on a CPU-backed adapter, else
 * the shared-tile kernel above. In the latter, out-of-range tile loads read as 0 through select
 * (WGSL clamps out-of-bounds reads rather than faulting, so the select only has to pick the value).
 */
export function matmul(ctx: KernelContext, a: GpuStorage, b: GpuStorage, spec: MatmulSpec, dtype: DType): GpuStorage {
  if (dtype === 'bool') throw new BackendError('webgpu: matmul of bool tensors is not supported (cast to float32 first)');
  const { batch, m, n, k } = spec;
  const out = ctx.alloc(dtype, batch * m * n);
  if (batch * m * n === 0) return out;
  if (k === 0) {
    // an empty inner dimension: the sum of nothing
    ctx.engine.run(
      { label: 'matmul zero', bindings: [{ name: 'c', type: 'u32', write: true }], workgroupSize: ctx.engine.maxThreads, main: '  if (gid < prm[0]) { c[gid] = 0u; }' },
      [out], new Meta().u(batch * m * n), ctx.engine.groupsFor(batch * m * n, ctx.engine.maxThreads),
    );
    return out;
  }
  const t = wgslType(dtype) === 'i32' ? 'i32' : 'f32';
  const side = ctx.engine.maxThreads >= 256 ? 16 : 8;
  const tile = side * PER_THREAD;
  const useDirect = matmulKernel.force ? matmulKernel.force === 'direct' : isCpuBacked(ctx);
  let program: Program;
  let grid: [number, number];
  if (useDirect) {
    const layout = directLayout(t, spec);
    program = directMatmulProgram(layout);
    grid = [Math.ceil(n / (4 * layout.wx)), Math.ceil(m / (4 * layout.wy))];
  } else {
    program = matmulProgram(t, spec.transA, spec.transB, side);
    grid = [Math.ceil(n / tile), Math.ceil(m / tile)];
  }
  const maxZ = ctx.engine.maxGroupsPerDim;
  for (let first = 0; first < batch; first += maxZ) {
    const items = Math.min(maxZ, batch - first);
    const meta = new Meta().u(m, n, k, spec.aBatchStride, spec.bBatchStride, first);
    ctx.engine.run(program, [a, b, out], meta, [grid[0], grid[1], items]);
  }
  return out;
}
