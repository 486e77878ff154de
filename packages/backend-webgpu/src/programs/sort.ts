import type { DType, Shape } from '@logit/core';
import type { KernelContext } from '../context.js';
import type { GpuStorage } from '../storage.js';
import type { Program } from '../wgsl/header.js';
import { Meta } from '../wgsl/meta.js';
import { fill } from './layout.js';
import { axisLayout, powerOfTwoAtMost, rowIndexing } from './rows.js';

/**
 * The stable argsort, as a bottom-up merge sort in passes over global memory. Each element is a
 * (key, position) pair: the key is a u32 whose unsigned order is the sort order (float bits
 * with negatives flipped, -0 as 0, every nan above +inf; int32 with its sign bit flipped; all
 * bits flipped for descending), and pairs compare by key, then position. Pairs are unique, so
 * the merge is stable whatever order it works in.
 *
 * A pass merges neighbouring sorted runs of width w into runs of 2w, one thread per element: an
 * element's place in the merged run is its rank in its own run plus the number of elements of
 * the other run before it, found by binary search. The first pass (w = 1) reads the keys from
 * x, the last writes the positions out through the row layout (any axis, no transposing copy):
 * ceil(log2(len)) dispatches, O(n log^2 n) work, no workgroup memory. (A bitonic network in
 * workgroup memory was tried first: SwiftShader took 8 s to compile it for 2048-element blocks.)
 *
 * meta: the row layout of axisLayout (rows, len, strides), then the run width w.
 */
const KEY = {
  f32: `fn keyOf(v: f32) -> u32 {
  let b = bitcast<u32>(v);
  if (isNan(v)) { return 0xffffffffu; }
  if ((b & 0x7fffffffu) == 0u) { return 0x80000000u; }
  if ((b & 0x80000000u) != 0u) { return ~b; }
  return b | 0x80000000u;
}`,
  i32: 'fn keyOf(v: i32) -> u32 { return bitcast<u32>(v) ^ 0x80000000u; }',
};

interface Pass {
  /** The element type of x, for the first pass (which reads keys from x); null reads pairs. */
  input: 'f32' | 'i32' | null;
  descending: boolean;
  /** The last pass writes positions to `out`; the others write pairs. */
  last: boolean;
  contiguous: boolean;
}

function mergeProgram(p: Pass, threads: number, widthAt: number): Program {
  const key = (pos: string) => (p.descending ? `~keyOf(x[rowBase(row) + rowOffset(${pos})])` : `keyOf(x[rowBase(row) + rowOffset(${pos})])`);
  const load = p.input
    ? `fn keyAt(row: u32, pos: u32) -> u32 { return ${key('pos')}; }
fn idxAt(row: u32, pos: u32) -> u32 { return pos; }`
    : `fn keyAt(row: u32, pos: u32) -> u32 { return src[(row * prm[1] + pos) * 2u]; }
fn idxAt(row: u32, pos: u32) -> u32 { return src[(row * prm[1] + pos) * 2u + 1u]; }`;
  const write = p.last
    ? 'out[rowBase(row) + rowOffset(dest)] = i32(i);'
    : 'dst[(row * len + dest) * 2u] = k;\n  dst[(row * len + dest) * 2u + 1u] = i;';
  const decls = `${p.input ? KEY[p.input] : ''}
${p.input || p.last ? rowIndexing(p.contiguous) : ''}
${load}
fn before(ka: u32, ia: u32, kb: u32, ib: u32) -> bool { return ka < kb || (ka == kb && ia < ib); }`;
  const main = `
  let len = prm[1];
  if (gid >= prm[0] * len) { return; }
  let w = prm[${widthAt}u];
  let row = gid / len;
  let p = gid % len;
  let q = p / w;
  let pairBase = (q & ~1u) * w;
  let k = keyAt(row, p);
  let i = idxAt(row, p);
  var own = pairBase;
  var lo = min(pairBase + w, len);
  var hi = min(pairBase + 2u * w, len);
  if ((q & 1u) == 1u) { own = pairBase + w; lo = pairBase; hi = pairBase + w; }
  let first = lo;
  while (lo < hi) {
    let mid = (lo + hi) >> 1u;
    if (before(keyAt(row, mid), idxAt(row, mid), k, i)) { lo = mid + 1u; } else { hi = mid; }
  }
  let dest = pairBase + (p - own) + (lo - first);
  ${write}`;
  const from = p.input ? { name: 'x', type: p.input } : { name: 'src', type: 'u32' };
  const to = p.last ? { name: 'out', type: 'i32', write: true } : { name: 'dst', type: 'u32', write: true };
  const label = `argsort merge${p.input ? ` from ${p.input}${p.descending ? ' desc' : ''}` : ''}${p.last ? ' out' : ''}`;
  return { label, bindings: [from, to] as Program['bindings'], workgroupSize: threads, decls, main };
}

export function argsort(ctx: KernelContext, x: GpuStorage, shape: Shape, axis: number, descending: boolean, dtype: DType): GpuStorage {
  const layout = axisLayout(shape, axis);
  const n = layout.rows * layout.len;
  if (layout.len <= 1) return fill(ctx, 0, n, 'int32');
  const out = ctx.alloc('int32', n);
  const threads = powerOfTwoAtMost(ctx.engine.maxThreads);
  const widthAt = layout.meta.length;
  const input = dtype === 'int32' ? 'i32' : 'f32';
  let src: GpuStorage | null = null;
  let dst: GpuStorage | null = null;
  for (let w = 1; w < layout.len; w *= 2) {
    const first = w === 1;
    const last = 2 * w >= layout.len;
    if (!last) dst ??= ctx.alloc('int32', 2 * n);
    const program = mergeProgram({ input: first ? input : null, descending, last, contiguous: layout.contiguous }, threads, widthAt);
    ctx.engine.run(program, [first ? x : src!, last ? out : dst!], new Meta().u(...layout.meta.words, w), ctx.engine.groupsFor(n, threads));
    if (!last) [src, dst] = [dst, src];
  }
  if (src) ctx.free(src);
  if (dst) ctx.free(dst);
  return out;
}
