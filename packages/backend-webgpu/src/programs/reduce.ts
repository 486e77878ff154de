import type { ArgReduceOp, DType, ReduceOp, Shape } from '@logit/core';
import { wgslType, type KernelContext } from '../context.js';
import type { GpuStorage } from '../storage.js';
import type { Program } from '../wgsl/header.js';
import { mathLibrary } from '../wgsl/math.js';
import { groupPerRow, powerOfTwoAtMost, rowIndexing, rowLayout, workgroupTree, type RowLayout } from './rows.js';

/**
 * How a reduction accumulates: the accumulator type, its identity, how an element enters it
 * (`x[off]` at row position `r`), how two partials combine, and the output word.
 */
interface Accumulator {
  label: string;
  type: string;
  decls?: string;
  init: string;
  load: string;
  combine: (a: string, b: string) => string;
  store: (acc: string) => string;
  /** The input's storage type. */
  input: 'f32' | 'i32' | 'u32';
  output: 'f32' | 'i32' | 'u32';
}

/**
 * The reduction program family: one thread per row (short rows) or one workgroup per row with
 * a tree over workgroup memory (long rows). `groups` are rows or row-blocks.
 */
function reduceProgram(acc: Accumulator, contiguous: boolean, perGroup: boolean, threads: number): Program {
  const bindings = [{ name: 'x', type: acc.input }, { name: 'out', type: acc.output, write: true }] as const;
  const decls = [acc.decls ?? '', rowIndexing(contiguous)];
  let main: string;
  if (perGroup) {
    decls.push(`var<workgroup> sh: array<${acc.type}, ${threads}>;`);
    main = `
  let row = group;
  if (row >= prm[0]) { return; }
  let len = prm[1];
  let base = rowBase(row);
  var acc: ${acc.type} = ${acc.init};
  for (var r = lid; r < len; r = r + ${threads}u) {
    let off = base + rowOffset(r);
    acc = ${acc.combine('acc', acc.load)};
  }
  sh[lid] = acc;${workgroupTree(threads, acc.combine)}
  if (lid == 0u) { out[row] = ${acc.store('sh[0]')}; }`;
  } else {
    main = `
  let row = gid;
  if (row >= prm[0]) { return; }
  let len = prm[1];
  let base = rowBase(row);
  var acc: ${acc.type} = ${acc.init};
  for (var r = 0u; r < len; r = r + 1u) {
    let off = base + rowOffset(r);
    acc = ${acc.combine('acc', acc.load)};
  }
  out[row] = ${acc.store('acc')};`;
  }
  const all = decls.join('\n') + main;
  return { label: acc.label, bindings, workgroupSize: threads, decls: mathLibrary(all) + decls.join('\n'), main };
}

function runRows(ctx: KernelContext, acc: Accumulator, x: GpuStorage, layout: RowLayout, outDType: DType): GpuStorage {
  const out = ctx.alloc(outDType, layout.rows);
  const perGroup = groupPerRow(layout.rows, layout.len);
  const max = powerOfTwoAtMost(ctx.engine.maxThreads);
  const threads = perGroup ? Math.min(max, Math.max(32, 2 ** Math.ceil(Math.log2(layout.len)))) : max;
  const program = reduceProgram(acc, layout.contiguous, perGroup, threads);
  const groups = perGroup ? layout.rows : ctx.engine.groupsFor(layout.rows, threads);
  ctx.engine.run(program, [x, out], layout.meta, groups);
  return out;
}

const F32: Record<ReduceOp, Pick<Accumulator, 'init' | 'combine'>> = {
  sum: { init: '0.0', combine: (a, b) => `${a} + ${b}` },
  prod: { init: '1.0', combine: (a, b) => `${a} * ${b}` },
  max: { init: '-infF()', combine: (a, b) => `maxF(${a}, ${b})` },
  min: { init: 'infF()', combine: (a, b) => `minF(${a}, ${b})` },
};

const I32: Record<ReduceOp, Pick<Accumulator, 'init' | 'combine'>> = {
  sum: { init: '0', combine: (a, b) => `${a} + ${b}` },
  prod: { init: '1', combine: (a, b) => `${a} * ${b}` },
  max: { init: '-2147483647 - 1', combine: (a, b) => `max(${a}, ${b})` },
  min: { init: '2147483647', combine: (a, b) => `min(${a}, ${b})` },
};

/**
 * Sum/prod/max/min over `axes`. float32 accumulates in f32 (tree order in long rows); int32
 * wraps as backend-cpu's Int32Array store does, and an empty int32 max/min is 0 (its -inf/inf
 * stored as int32); bool computes on 0/1 in f32 and stores (v != 0), as backend-cpu does.
 */
export function reduce(ctx: KernelContext, op: ReduceOp, x: GpuStorage, shape: Shape, axes: readonly number[], dtype: DType): GpuStorage {
  const layout = rowLayout(shape, axes);
  const label = `reduce ${op} ${dtype}`;
  let acc: Accumulator;
  if (dtype === 'int32') {
    const empty = op === 'max' || op === 'min';
    acc = { label, type: 'i32', ...I32[op], load: 'x[off]', store: (a) => (empty ? `select(${a}, 0, prm[1] == 0u)` : a), input: 'i32', output: 'i32' };
  } else if (dtype === 'bool') {
    acc = { label, type: 'f32', ...F32[op], load: 'f32(x[off])', store: (a) => `toBool(${a})`, input: 'u32', output: 'u32' };
  } else {
    acc = { label, type: 'f32', ...F32[op], load: 'x[off]', store: (a) => a, input: 'f32', output: 'f32' };
  }
  return runRows(ctx, acc, x, layout, dtype);
}

/**
 * argmax/argmin along an axis: (value, index) pairs combined so that a nan wins, and ties (or
 * two nans) keep the lower index: the first occurrence, in any combination order.
 */
export function argReduce(ctx: KernelContext, op: ArgReduceOp, x: GpuStorage, shape: Shape, axis: number, dtype: DType): GpuStorage {
  const t = dtype === 'float32' ? 'f32' : 'i32';
  const better = op === 'argmax' ? '>' : '<';
  // (select() cannot pick structs, hence the branches)
  const nanCheck = t === 'f32' ? '  let an = isNan(a.v); let bn = isNan(b.v);\n  if (an && bn) { if (a.i < b.i) { return a; } return b; }\n  if (an) { return a; }\n  if (bn) { return b; }\n' : '';
  const decls = `
struct Arg { v: ${t}, i: u32 }
fn better(a: Arg, b: Arg) -> Arg {
${nanCheck}  if (a.v == b.v) { if (a.i < b.i) { return a; } return b; }
  if (a.v ${better} b.v) { return a; }
  return b;
}`;
  const init = t === 'f32' ? (op === 'argmax' ? '-infF()' : 'infF()') : op === 'argmax' ? '-2147483647 - 1' : '2147483647';
  const load = dtype === 'bool' ? 'Arg(i32(x[off]), r)' : 'Arg(x[off], r)';
  const acc: Accumulator = {
    label: `${op} ${dtype}`,
    type: 'Arg',
    decls,
    init: `Arg(${init}, 0xffffffffu)`,
    load,
    combine: (a, b) => `better(${a}, ${b})`,
    store: (a) => `select(0, i32(${a}.i), ${a}.i != 0xffffffffu)`,
    input: wgslType(dtype),
    output: 'i32',
  };
  return runRows(ctx, acc, x, rowLayout(shape, [axis]), 'int32');
}
