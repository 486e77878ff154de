import { getBackend } from '../backend/registry.js';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import { dtypeOfArray, isDType, isFloat, type DType, type TypedArray } from '../dtype.js';
import { checkShape, fmt, sizeOf, type Shape } from '../shape.js';
import { nextRandom } from '../random/generator.js';
import { tidy } from '../memory/scope.js';
import type { RandomKind } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import { checkBackendDType, filled, fromHost, wrap } from './dispatch.js';
import { checkInt32, hostArray } from './host-values.js';
import { checkOptions, type OptionKeys } from '../options.js';

/** Options of the creation functions. */
export interface TensorOptions {
  /** The element type. Default: float32, or what the data implies (int32 for `arange` of integers, bool for booleans). */
  dtype?: DType;
  /** Record ops on the new tensor for autograd (floating-point dtypes only). Default: false. */
  requiresGrad?: boolean;
}

const TENSOR_OPTIONS: OptionKeys<TensorOptions> = { dtype: true, requiresGrad: true };
const TENSOR_DATA_OPTIONS: OptionKeys<TensorOptions & { shape?: readonly number[] }> = { ...TENSOR_OPTIONS, shape: true };

/** Data for `tensor()`: a number or boolean, or (nested) arrays of them with a rectangular shape. */
export type NestedArray = number | boolean | readonly NestedArray[];

function finish(t: Tensor, op: string, opts: TensorOptions | undefined): Tensor {
  if (opts?.requiresGrad) {
    if (!isFloat(t.dtype)) {
      t.dispose();
      throw new DTypeError(`${op}: only floating-point tensors can require gradients, got dtype ${t.dtype}`);
    }
    t.requiresGrad_(true);
  }
  return t;
}

function pickDType(op: string, d: unknown, fallback: DType): DType {
  if (d === undefined) return fallback;
  if (!isDType(d)) throw new DTypeError(`${op}: unknown dtype ${JSON.stringify(d)} (expected float32, float64, int32 or bool)`);
  return d;
}

function flatten(op: string, data: NestedArray, shape: number[], out: number[], depth: number, sawBool: { v: boolean }): void {
  if (Array.isArray(data)) {
    if (shape.length <= depth) {
      // numbers already placed fixed the rank below this depth, e.g. [1, [2, 3]]
      if (out.length > 0) throw new ShapeError(`${op}: ragged nested array: an array at depth ${depth}, numbers expected`);
      shape.push(data.length);
    } else if (shape[depth] !== data.length) {
      throw new ShapeError(`${op}: ragged nested array: expected ${shape[depth]} elements at depth ${depth}, got ${data.length}`);
    }
    for (const v of data) flatten(op, v, shape, out, depth + 1, sawBool);
    return;
  }
  if (depth !== shape.length) throw new ShapeError(`${op}: ragged nested array: a number at depth ${depth}, arrays expected`);
  if (typeof data === 'boolean') sawBool.v = true;
  else if (typeof data !== 'number') throw new ValueError(`${op}: expected numbers or booleans, got ${typeof data}`);
  out.push(Number(data));
}

/**
 * A tensor from a number, a boolean, nested arrays or a typed array. dtype defaults to the typed
 * array's (Uint8Array is bool), bool for booleans, else float32 (JS numbers carry no int/float
 * distinction, so integers are not guessed to be int32: pass `{ dtype: 'int32' }`).
 * `shape` reshapes flat data.
 */
export function tensor(data: NestedArray | TypedArray, opts: TensorOptions & { shape?: readonly number[] } = {}): Tensor {
  opts = checkOptions('tensor', opts, TENSOR_DATA_OPTIONS);
  let values: ArrayLike<number>;
  let shape: number[];
  let inferred: DType;
  const arrDType = dtypeOfArray(data);
  if (arrDType) {
    values = data as TypedArray;
    shape = [(data as TypedArray).length];
    inferred = arrDType;
  } else {
    const flat: number[] = [];
    shape = [];
    const sawBool = { v: false };
    flatten('tensor', data as NestedArray, shape, flat, 0, sawBool);
    values = flat;
    inferred = sawBool.v ? 'bool' : 'float32';
  }
  if (opts.shape !== undefined) {
    const s = checkShape('tensor', opts.shape);
    if (sizeOf(s) !== values.length) {
      throw new ShapeError(`tensor: shape ${fmt(s)} needs ${sizeOf(s)} elements, got ${values.length}`);
    }
    shape = s;
  }
  const dtype = pickDType('tensor', opts.dtype, inferred);
  if (dtype === 'int32' && arrDType !== 'int32') {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isInteger(values[i])) throw new ValueError(`tensor: int32 data must be integers, got ${values[i]} at index ${i}`);
      checkInt32('tensor', values[i], ` at index ${i}`);
    }
  }
  return finish(fromHost(values, shape, dtype), 'tensor', opts);
}

/**
 * A tensor of `shape` filled with `value`, as torch.full. dtype: float32 for a number, bool for a
 * boolean, unless `opts.dtype` says otherwise.
 *
 * ```ts
 * full([2, 3], 7); // 2x3 of 7s
 * ```
 */
export function full(shape: readonly number[], value: number | boolean, opts: TensorOptions = {}): Tensor {
  return fullAs('full', shape, value, opts);
}

function fullAs(op: string, shape: readonly number[], value: number | boolean, opts: TensorOptions): Tensor {
  opts = checkOptions(op, opts, TENSOR_OPTIONS);
  const s = checkShape(op, shape);
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new ValueError(`${op}: value must be a number, got ${typeof value}`);
  const dtype = pickDType(op, opts.dtype, typeof value === 'boolean' ? 'bool' : 'float32');
  if (dtype === 'int32') checkInt32(op, Number(value));
  return finish(filled(Number(value), s, dtype, getBackend(), op), op, opts);
}

/** A tensor of `shape` filled with 0 (float32 unless `opts.dtype`), as torch.zeros. */
export function zeros(shape: readonly number[], opts: TensorOptions = {}): Tensor {
  return fullAs('zeros', shape, 0, opts);
}

/** A tensor of `shape` filled with 1 (float32 unless `opts.dtype`), as torch.ones. */
export function ones(shape: readonly number[], opts: TensorOptions = {}): Tensor {
  return fullAs('ones', shape, 1, opts);
}

/**
 * arange(end) or arange(start, end, step?): values start, start+step, ... below end. dtype is
 * int32 when every argument is an integer, else float32 (PyTorch's rule).
 */
export function arange(start: number, end?: number, step = 1, opts: TensorOptions = {}): Tensor {
  opts = checkOptions('arange', opts, TENSOR_OPTIONS);
  if (end === undefined) [start, end] = [0, start];
  for (const [k, v] of [['start', start], ['end', end], ['step', step]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`arange: ${k} must be a finite number, got ${v}`);
  }
  if (step === 0) throw new ValueError('arange: step must be nonzero');
  if ((end - start) * step < 0) {
    throw new ValueError(`arange: the range from ${start} to ${end} is inconsistent with the sign of step ${step}`);
  }
  const n = Math.max(Math.ceil((end - start) / step), 0);
  const dtype = pickDType('arange', opts.dtype, [start, end, step].every(Number.isInteger) ? 'int32' : 'float32');
  const values = hostArray('arange', dtype === 'bool' ? 'int32' : dtype, n);
  if (dtype === 'int32' && n > 0) {
    checkInt32('arange', start);
    checkInt32('arange', start + (n - 1) * step, ` (the last of ${n} values)`);
  }
  for (let i = 0; i < n; i++) values[i] = start + i * step;
  return finish(fromHost(values, [n], dtype), 'arange', opts);
}

/** The n x m identity (m defaults to n). */
export function eye(n: number, m: number = n, opts: TensorOptions = {}): Tensor {
  opts = checkOptions('eye', opts, TENSOR_OPTIONS);
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(m) || m < 0) {
    throw new ValueError(`eye: n and m must be non-negative integers, got ${n} and ${m}`);
  }
  const data = new Array<number>(n * m).fill(0);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return finish(fromHost(data, [n, m], pickDType('eye', opts.dtype, 'float32')), 'eye', opts);
}

function random(op: string, kind: RandomKind, shape: Shape, params: [number, number], dtype: DType): Tensor {
  const be = getBackend();
  checkBackendDType(op, be, dtype);
  const size = sizeOf(shape);
  const { key, offset } = nextRandom(size);
  return wrap(be, be.ops.random({ kind, key, offset, params }, size, dtype), shape, dtype);
}

function floatOnly(op: string, opts: TensorOptions): DType {
  const dtype = pickDType(op, opts.dtype, 'float32');
  if (!isFloat(dtype)) throw new DTypeError(`${op}: dtype must be float32 or float64, got ${dtype}`);
  return dtype;
}

/** Uniform on [0, 1), from the seeded Philox stream (see manualSeed). */
export function rand(shape: readonly number[], opts: TensorOptions = {}): Tensor {
  opts = checkOptions('rand', opts, TENSOR_OPTIONS);
  const s = checkShape('rand', shape);
  return finish(random('rand', 'uniform', s, [0, 1], floatOnly('rand', opts)), 'rand', opts);
}

/** Standard normal, from the seeded Philox stream (Box-Muller). */
export function randn(shape: readonly number[], opts: TensorOptions = {}): Tensor {
  opts = checkOptions('randn', opts, TENSOR_OPTIONS);
  const s = checkShape('randn', shape);
  return finish(random('randn', 'normal', s, [0, 1], floatOnly('randn', opts)), 'randn', opts);
}

/** Integers uniform in [low, high): low + floor((high - low) * u). dtype int32 by default. */
export function randint(low: number, high: number, shape: readonly number[], opts: TensorOptions = {}): Tensor {
  opts = checkOptions('randint', opts, TENSOR_OPTIONS);
  const s = checkShape('randint', shape);
  if (!Number.isInteger(low) || !Number.isInteger(high) || low >= high) {
    throw new ValueError(`randint: expected integers low < high, got low=${low}, high=${high}`);
  }
  if (high - low > 2 ** 24) throw new ValueError(`randint: high - low must be at most 2^24, got ${high - low}`);
  const dtype = pickDType('randint', opts.dtype, 'int32');
  if (dtype === 'int32') {
    checkInt32('randint', low);
    checkInt32('randint', high - 1, ' (high - 1)');
  }
  return tidy(() => {
    const r = random('randint', 'uniform', s, [0, high - low], 'int32');
    const out = low === 0 ? r : r.add(low);
    return finish(dtype === 'int32' ? out : out.to(dtype), 'randint', opts);
  });
}

/** Zeros of `t`'s shape and dtype (unless `opts` says otherwise), on the current backend. */
export function zerosLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return fullAs('zerosLike', t.shape, 0, { dtype: t.dtype, ...checkOptions('zerosLike', opts, TENSOR_OPTIONS) });
}
/** Ones of `t`'s shape and dtype (unless `opts` says otherwise). */
export function onesLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return fullAs('onesLike', t.shape, 1, { dtype: t.dtype, ...checkOptions('onesLike', opts, TENSOR_OPTIONS) });
}
/** `value` in `t`'s shape and dtype (unless `opts` says otherwise). */
export function fullLike(t: Tensor, value: number, opts: TensorOptions = {}): Tensor {
  return fullAs('fullLike', t.shape, value, { dtype: t.dtype, ...checkOptions('fullLike', opts, TENSOR_OPTIONS) });
}
/** Uniform [0, 1) values in `t`'s shape (its dtype when floating point, else float32). */
export function randLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return rand(t.shape, { dtype: isFloat(t.dtype) ? t.dtype : 'float32', ...checkOptions('randLike', opts, TENSOR_OPTIONS) });
}
/** Standard normal values in `t`'s shape (its dtype when floating point, else float32). */
export function randnLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return randn(t.shape, { dtype: isFloat(t.dtype) ? t.dtype : 'float32', ...checkOptions('randnLike', opts, TENSOR_OPTIONS) });
}
/** Integers uniform in [low, high) in `t`'s shape (its dtype; int32 for bool). */
export function randintLike(t: Tensor, low: number, high: number, opts: TensorOptions = {}): Tensor {
  return randint(low, high, t.shape, { dtype: t.dtype === 'bool' ? 'int32' : t.dtype, ...checkOptions('randintLike', opts, TENSOR_OPTIONS) });
}
