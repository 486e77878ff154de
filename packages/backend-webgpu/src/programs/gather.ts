import type { DType, Shape } from '@logit/core';
import { sizeOf as size, stridesOf } from '@logit/core';
import { wgslType, type KernelContext } from '../context.js';
import type { GpuStorage } from '../storage.js';
import type { Program } from '../wgsl/header.js';
import { Meta } from '../wgsl/meta.js';
import { fill } from './layout.js';

/**
 * The offset, in a tensor of strides `prm[3 + rank..]`, of index position `i` of the index
 * tensor (shape at prm[3..]), with the coordinate along `axis` replaced by index[i]; NO_OFFSET
 * for an index outside [0, axis size): core validates indices on the device (see validate.ts),
 * and until that check is read back a kernel must not touch memory outside its buffers.
 *   meta: [size, rank, axis, indexShape..., strides..., axis size]
 */
const INDEXED_OFFSET = /* wgsl */ `
const NO_OFFSET = 0xffffffffu;
fn indexedOffset(i: u32) -> u32 {
  let rank = prm[1];
  let axis = prm[2];
  let j = index[i];
  if (j < 0 || u32(j) >= prm[3u + 2u * rank]) { return NO_OFFSET; }
  var rem = i;
  var off = 0u;
  for (var d = i32(rank) - 1; d >= 0; d--) {
    let dim = prm[3u + u32(d)];
    let c = rem % dim;
    rem = rem / dim;
    let coord = select(c, u32(j), u32(d) == axis);
    off = off + coord * prm[3u + rank + u32(d)];
  }
  return off;
}`;

/** torch.gather: out[i] = x[indexedOffset(i)], moved as raw words (any dtype). */
export function gather(ctx: KernelContext, x: GpuStorage, xShape: Shape, axis: number, index: GpuStorage, indexShape: Shape, dtype: DType): GpuStorage {
  const n = size(indexShape);
  const out = ctx.alloc(dtype, n);
  const threads = ctx.engine.maxThreads;
  const program: Program = {
    label: 'gather',
    bindings: [{ name: 'x', type: 'u32' }, { name: 'index', type: 'i32' }, { name: 'out', type: 'u32', write: true }],
    workgroupSize: threads,
    decls: INDEXED_OFFSET,
    main: '  if (gid >= prm[0]) { return; }\n  let o = indexedOffset(gid);\n  if (o == NO_OFFSET) { out[gid] = 0u; } else { out[gid] = x[o]; }',
  };
  const meta = new Meta().u(n, indexShape.length, axis, ...indexShape, ...stridesOf(xShape), xShape[axis]);
  ctx.engine.run(program, [x, index, out], meta, ctx.engine.groupsFor(n, threads));
  return out;
}

/**
 * How each dtype adds into the zeroed output with atomics (several src entries may hit one
 * slot): int32 wraps with atomicAdd, bool ORs (a sum of 0/1 stored as != 0), and float32 runs a
 * compare-and-swap loop on the value's bits, since WGSL has no float atomics. Float sums are
 * therefore in arrival order; each is correctly rounded.
 */
const ATOMIC_ADD: Record<string, { type: 'atomic<u32>' | 'atomic<i32>'; code: string }> = {
  float32: {
    type: 'atomic<u32>',
    code: `
  var old = atomicLoad(&out[o]);
  loop {
    let next = bitcast<u32>(bitcast<f32>(old) + src[gid]);
    let r = atomicCompareExchangeWeak(&out[o], old, next);
    if (r.exchanged) { break; }
    old = r.old_value;
  }`,
  },
  int32: { type: 'atomic<i32>', code: '  atomicAdd(&out[o], src[gid]);' },
  bool: { type: 'atomic<u32>', code: '  if (src[gid] != 0u) { atomicOr(&out[o], 1u); }' },
};

export function scatterAdd(ctx: KernelContext, index: GpuStorage, indexShape: Shape, src: GpuStorage, outShape: Shape, axis: number, dtype: DType): GpuStorage {
  const out = fill(ctx, 0, size(outShape), dtype);
  const n = size(indexShape);
  const threads = ctx.engine.maxThreads;
  const add = ATOMIC_ADD[dtype];
  const program: Program = {
    label: `scatterAdd ${dtype}`,
    bindings: [{ name: 'index', type: 'i32' }, { name: 'src', type: wgslType(dtype) }, { name: 'out', type: add.type, write: true }],
    workgroupSize: threads,
    decls: INDEXED_OFFSET,
    main: `  if (gid >= prm[0]) { return; }\n  let o = indexedOffset(gid);\n  if (o == NO_OFFSET) { return; }\n${add.code}`,
  };
  const meta = new Meta().u(n, indexShape.length, axis, ...indexShape, ...stridesOf(outShape), outShape[axis]);
  ctx.engine.run(program, [index, src, out], meta, ctx.engine.groupsFor(n, threads));
  return out;
}
