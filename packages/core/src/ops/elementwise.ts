import type { BinaryOp, CompareOp, UnaryOp } from '../backend/types.js';
import { floatDType, isFloat, promoteTypes, type DType } from '../dtype.js';
import { DTypeError, ValueError } from '../errors.js';
import { broadcastAxes, broadcastShapes, sameShape } from '../shape.js';
import { record } from '../autograd/record.js';
import { tidy } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { backendOf, filled, scalarDType, wrap } from './dispatch.js';
import { unaryGrads, binaryGrads } from './elementwise-grads.js';

export type TensorLike = Tensor | number;

/** Ops that always compute in floating point (ints and bools are promoted to float32 first). */
const FLOAT_ONLY = new Set<UnaryOp>(['exp', 'log', 'log1p', 'expm1', 'sqrt', 'reciprocal', 'sigmoid', 'tanh', 'sin', 'cos', 'erf']);

/** Sums a broadcast gradient back down to `shape`. */
export function reduceTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const { axes } = broadcastAxes(shape, g.shape);
  return g.sum(axes, false).reshape(shape);
}

export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const be = backendOf('to', x);
  if (!be.dtypes.includes(dtype)) throw new DTypeError(`to: backend '${be.name}' cannot store ${dtype} (it stores ${be.dtypes.join(', ')})`);
  const out = wrap(be, be.ops.cast(x._storage(), x.numel(), x.dtype, dtype), x.shape, dtype);
  if (!isFloat(dtype) || !isFloat(x.dtype)) return out;
  return record(out, 'to', [x], [], (g) => [g.to(x.dtype)]);
}

export function unary(op: UnaryOp, x: Tensor): Tensor {
  return tidy(() => unaryImpl(op, x));
}

function unaryImpl(op: UnaryOp, x: Tensor): Tensor {
  if (FLOAT_ONLY.has(op) && !isFloat(x.dtype)) x = cast(x, floatDType(x.dtype));
  if (x.dtype === 'bool' && op !== 'logicalNot') {
    throw new DTypeError(`${op}: not supported for bool tensors (got dtype bool); cast with .to('int32') or .to('float32') first`);
  }
  const be = backendOf(op, x);
  const out = wrap(be, be.ops.unary(op, x._storage(), x.numel(), x.dtype), x.shape, x.dtype);
  const rule = unaryGrads[op];
  if (!rule || !isFloat(x.dtype)) return out;
  return record(out, op, [x], rule.save === 'out' ? [out] : [x], (g, [s]) => [rule.grad(g, s)]);
}

/** Turns the operands of a binary op into two tensors of one dtype on one backend. */
export function operands(op: string, a: TensorLike, b: TensorLike, minFloat = false): [Tensor, Tensor] {
  if (typeof a === 'number' && typeof b === 'number') throw new DTypeError(`${op}: at least one operand must be a tensor`);
  const ref = (typeof a === 'number' ? b : a) as Tensor;
  const be = backendOf(op, ref);
  let dtype =
    typeof a === 'number' ? scalarDType(a, ref.dtype) : typeof b === 'number' ? scalarDType(b, ref.dtype) : promoteTypes(a.dtype, b.dtype);
  if (minFloat) dtype = floatDType(dtype);
  const lift = (v: TensorLike): Tensor => (typeof v === 'number' ? filled(v, [], dtype, be) : cast(v, dtype));
  return [lift(a), lift(b)];
}

export function binary(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  return tidy(() => binaryImpl(op, a, b));
}

function binaryImpl(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(op, a, b, op === 'div');
  if (x.dtype === 'bool' && op !== 'maximum' && op !== 'minimum' && op !== 'mul') {
    throw new DTypeError(`${op}: not supported for two bool tensors; cast one with .to('int32') or .to('float32') first`);
  }
  const be = backendOf(op, x, y);
  const shape = broadcastShapes(op, x.shape, y.shape);
  const out = wrap(be, be.ops.binary(op, x._storage(), x.shape, y._storage(), y.shape, shape, x.dtype), shape, x.dtype);
  if (!isFloat(x.dtype)) return out;
  const rule = binaryGrads[op];
  return record(out, op, [x, y], [x, y, out], (g, [xs, ys, os]) => {
    const [ga, gb] = rule(g, xs, ys, os);
    return [ga && reduceTo(ga, x.shape), gb && reduceTo(gb, y.shape)];
  });
}

export function compare(op: CompareOp, a: TensorLike, b: TensorLike): Tensor {
  return tidy(() => compareImpl(op, a, b));
}

function compareImpl(op: CompareOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(op, a, b);
  const be = backendOf(op, x, y);
  const shape = broadcastShapes(op, x.shape, y.shape);
  return wrap(be, be.ops.compare(op, x._storage(), x.shape, y._storage(), y.shape, shape, x.dtype), shape, 'bool');
}

/** torch.where(cond, a, b): elementwise a where cond is true, else b, with broadcasting. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  return tidy(() => whereImpl(cond, a, b));
}

function whereImpl(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (cond.dtype !== 'bool') throw new DTypeError(`where: condition must have dtype bool, got ${cond.dtype}`);
  const [x, y] = operands('where', a, b);
  const be = backendOf('where', cond, x, y);
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, x.shape), y.shape);
  const out = wrap(be, be.ops.where(cond._storage(), cond.shape, x._storage(), x.shape, y._storage(), y.shape, shape, x.dtype), shape, x.dtype);
  if (!isFloat(x.dtype)) return out;
  return record(out, 'where', [x, y], [cond], (g, [c]) => [reduceTo(where(c, g, 0), x.shape), reduceTo(where(c, 0, g), y.shape)]);
}

/** torch.clamp: nan stays nan; the gradient flows where min <= x <= max. */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  if ((min === undefined || min === null) && (max === undefined || max === null)) {
    throw new ValueError('clamp: at least one of min and max must be given');
  }
  return tidy(() => clampImpl(x, min ?? null, max ?? null));
}

function clampImpl(x: Tensor, min: number | null, max: number | null): Tensor {
  let out = x.detach();
  if (min !== null) out = where(out.lt(min), min, out);
  if (max !== null) out = where(out.gt(max), max, out);
  if (!isFloat(out.dtype)) return out;
  return record(out, 'clamp', [x], [x], (g, [xs]) => {
    // nan compares false, so a nan input gets no gradient, as in PyTorch
    const lo = min === null ? null : xs.ge(min);
    const hi = max === null ? null : xs.le(max);
    const mask = lo && hi ? lo.mul(hi) : (lo ?? hi)!;
    return [where(mask, g, 0)];
  });
}
