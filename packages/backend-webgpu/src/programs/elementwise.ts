import type { BinaryOp, CompareOp, DType, Shape, UnaryOp } from '@logit/core';
import { broadcastStrides, sizeOf as size } from '@logit/core';
import { wgslType, type KernelContext } from '../context.js';
import type { GpuStorage } from '../storage.js';
import type { Binding, Program, WgslType } from '../wgsl/header.js';
import { mathLibrary } from '../wgsl/math.js';
import { Meta } from '../wgsl/meta.js';
import { BINARY, COMPARE, UNARY, type OpSnippet } from '../wgsl/ops.js';

interface MapInput {
  storage: GpuStorage;
  type: WgslType;
  shape: Shape;
}

/**
 * The elementwise program family: out[i] = expr(x0, x1, ...) with every input broadcast to the
 * output shape through stride words in `meta` (0 along broadcast dims). An input of the
 * output's size is read at i directly, so same-shape ops do no index arithmetic.
 *   meta: [size, rank, outShape..., strides of each broadcast input...]
 */
function mapProgram(label: string, inputs: readonly { type: WgslType; broadcast: boolean }[], outType: WgslType, expr: string, threads: number): Program {
  const bindings: Binding[] = inputs.map((x, k) => ({ name: `in${k}`, type: x.type }));
  bindings.push({ name: 'out', type: outType, write: true });
  const lines = ['  if (gid >= prm[0]) { return; }'];
  const broadcast = inputs.map((x, k) => (x.broadcast ? k : -1)).filter((k) => k >= 0);
  if (broadcast.length > 0) {
    lines.push('  let rank = prm[1];', '  var rem = gid;');
    for (const k of broadcast) lines.push(`  var off${k} = 0u;`);
    lines.push('  for (var d = i32(rank) - 1; d >= 0; d--) {', '    let dim = prm[2u + u32(d)];', '    let c = rem % dim;', '    rem = rem / dim;');
    broadcast.forEach((k, j) => lines.push(`    off${k} = off${k} + c * prm[2u + rank * ${j + 1}u + u32(d)];`));
    lines.push('  }');
  }
  inputs.forEach((x, k) => lines.push(`  let x${k} = in${k}[${x.broadcast ? `off${k}` : 'gid'}];`));
  lines.push(`  out[gid] = ${expr};`);
  return { label, bindings, workgroupSize: threads, decls: mathLibrary(expr), main: lines.join('\n') };
}

/** Runs an elementwise expression over inputs broadcast to outShape; returns the new storage. */
export function runMap(ctx: KernelContext, label: string, inputs: readonly MapInput[], outShape: Shape, outDType: DType, expr: string): GpuStorage {
  const n = size(outShape);
  const out = ctx.alloc(outDType, n);
  const specs = inputs.map((x) => ({ type: x.type, broadcast: size(x.shape) !== n }));
  const threads = ctx.engine.maxThreads;
  const meta = new Meta().u(n, outShape.length, ...outShape);
  inputs.forEach((x, k) => {
    if (specs[k].broadcast) meta.u(...broadcastStrides(x.shape, outShape));
  });
  const program = mapProgram(label, specs, wgslType(outDType), expr, threads);
  ctx.engine.run(program, [...inputs.map((x) => x.storage), out], meta, ctx.engine.groupsFor(n, threads));
  return out;
}

/**
 * An op snippet for a dtype, over the loaded inputs `vars`: the expression and how values are
 * converted in (to the compute type) and out (to the storage type).
 */
function typed(snippet: OpSnippet, dtype: DType, names: readonly string[], vars: readonly string[]): string {
  const intForm = dtype === 'int32' && snippet.i !== undefined;
  let e = intForm ? snippet.i! : snippet.f;
  const load = (v: string): string => (dtype === 'float32' || intForm ? v : `f32(${v})`);
  // Rename x / a / b to the loaded variables, by whole word.
  names.forEach((name, k) => {
    e = e.replace(new RegExp(`\\b${name}\\b`, 'g'), `§${k}`);
  });
  vars.forEach((v, k) => {
    e = e.split(`§${k}`).join(load(v));
  });
  if (dtype === 'float32' || intForm) return e;
  return dtype === 'int32' ? `toI32(${e})` : `toBool(${e})`;
}

export function unary(ctx: KernelContext, op: UnaryOp, x: GpuStorage, n: number, dtype: DType): GpuStorage {
  const expr = typed(UNARY[op], dtype, ['x'], ['x0']);
  return runMap(ctx, `unary ${op} ${dtype}`, [{ storage: x, type: wgslType(dtype), shape: [n] }], [n], dtype, expr);
}

export function binary(ctx: KernelContext, op: BinaryOp, a: GpuStorage, aShape: Shape, b: GpuStorage, bShape: Shape, outShape: Shape, dtype: DType): GpuStorage {
  const t = wgslType(dtype);
  const expr = typed(BINARY[op], dtype, ['a', 'b'], ['x0', 'x1']);
  return runMap(ctx, `binary ${op} ${dtype}`, [{ storage: a, type: t, shape: aShape }, { storage: b, type: t, shape: bShape }], outShape, dtype, expr);
}

export function compare(ctx: KernelContext, op: CompareOp, a: GpuStorage, aShape: Shape, b: GpuStorage, bShape: Shape, outShape: Shape, dtype: DType): GpuStorage {
  const t = wgslType(dtype);
  // Ints and bools compare exactly in their own type; no conversion and no nan.
  const cond = (dtype === 'float32' ? COMPARE[op].f : COMPARE[op].i!).replace(/\ba\b/g, 'x0').replace(/\bb\b/g, 'x1');
  return runMap(ctx, `compare ${op} ${dtype}`, [{ storage: a, type: t, shape: aShape }, { storage: b, type: t, shape: bShape }], outShape, 'bool', `select(0u, 1u, ${cond})`);
}

export function where(
  ctx: KernelContext, cond: GpuStorage, condShape: Shape, a: GpuStorage, aShape: Shape, b: GpuStorage, bShape: Shape, outShape: Shape, dtype: DType,
): GpuStorage {
  const t = wgslType(dtype);
  const inputs = [{ storage: cond, type: 'u32' as const, shape: condShape }, { storage: a, type: t, shape: aShape }, { storage: b, type: t, shape: bShape }];
  return runMap(ctx, `where ${dtype}`, inputs, outShape, dtype, 'select(x2, x1, x0 != 0u)');
}

/** Conversions as backend-cpu's typed-array stores: float -> int truncates (wrapping), -> bool is (x != 0). */
const CAST: Record<string, string> = {
  'float32>int32': 'toI32(x0)',
  'float32>bool': 'toBool(x0)',
  'int32>float32': 'f32(x0)',
  'int32>bool': 'select(0u, 1u, x0 != 0)',
  'bool>float32': 'f32(x0)',
  'bool>int32': 'i32(x0)',
};

export function cast(ctx: KernelContext, x: GpuStorage, n: number, from: DType, to: DType): GpuStorage {
  if (from === to) {
    const out = ctx.alloc(to, n);
    ctx.engine.copy(x, out, n * 4);
    return out;
  }
  return runMap(ctx, `cast ${from}>${to}`, [{ storage: x, type: wgslType(from), shape: [n] }], [n], to, CAST[`${from}>${to}`]);
}
