import type { Backend, Storage } from '../backend/types.js';
import { getBackend } from '../backend/registry.js';
import { backendLabel } from '../backend/label.js';
import { BackendError } from '../errors.js';
import { newArray, type DType } from '../dtype.js';
import { DataRef } from '../memory/data-ref.js';
import type { Shape } from '../shape.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Wraps a storage a kernel just returned as a fresh tensor that owns it. */
export function wrap(be: Backend, storage: Storage, shape: Shape, dtype: DType): Tensor {
  return Tensor._fromRef(new DataRef(be, storage, dtype, sizeOf(shape)), shape.slice(), dtype);
}

/** The backend the inputs live on; mixing backends in one op is an error. */
export function backendOf(op: string, ...ts: Tensor[]): Backend {
  const be = ts[0]._ref().backend;
  for (const t of ts) {
    const b = t._ref().backend;
    if (b !== be) {
      throw new BackendError(
        `${op}: inputs live on different backends ('${backendLabel(be)}' and '${backendLabel(b)}'); move one with t.to(backend) (or await t.toAsync(backend))`,
      );
    }
  }
  return be;
}

export function checkBackendDType(op: string, be: Backend, dtype: DType): void {
  if (!be.dtypes.includes(dtype)) {
    throw new BackendError(`${op}: backend '${be.name}' cannot store ${dtype} (it stores ${be.dtypes.join(', ')})`);
  }
}

/** A new tensor holding host data. */
export function fromHost(data: ArrayLike<number>, shape: Shape, dtype: DType, be: Backend = getBackend(), op = 'tensor'): Tensor {
  checkBackendDType(op, be, dtype);
  const arr = newArray(dtype, data.length);
  if (dtype === 'bool') for (let i = 0; i < data.length; i++) arr[i] = data[i] ? 1 : 0;
  else arr.set(data as ArrayLike<number>);
  const s = be.alloc(dtype, arr.length);
  be.write(s, arr);
  return wrap(be, s, shape, dtype);
}

export function filled(value: number, shape: Shape, dtype: DType, be: Backend = getBackend(), op = 'full'): Tensor {
  checkBackendDType(op, be, dtype);
  return wrap(be, be.ops.fill(value, sizeOf(shape), dtype), shape, dtype);
}

/** The dtype a JS number takes next to a tensor of dtype `d` (PyTorch's scalar rule). */
export function scalarDType(value: number, d: DType): DType {
  if (d === 'float32' || d === 'float64') return d;
  return Number.isInteger(value) ? 'int32' : 'float32';
}

export function zerosOf(t: Tensor): Tensor {
  return filled(0, t.shape, t.dtype, t._ref().backend);
}
