import { fillRandom, type DType, type RandomSpec } from '@logit/core';
import type { Context, WasmStorage } from './context.js';

/**
 * Philox 4x32-10 from core's reference `fillRandom`, written straight into the heap, so the
 * numbers are backend-cpu's bit for bit. bool goes through doubles: a mask stores (v != 0).
 */
export function random(cx: Context, spec: RandomSpec, size: number, dtype: DType): WasmStorage {
  const out = cx.own(dtype, size);
  if (size === 0) return out;
  const buf = cx.heap.memory.buffer;
  if (dtype === 'float32') fillRandom(spec, size, new Float32Array(buf, out.ptr, size));
  else if (dtype === 'int32') fillRandom(spec, size, new Int32Array(buf, out.ptr, size));
  else {
    const values = new Float64Array(size);
    fillRandom(spec, size, values);
    const bytes = new Uint8Array(buf, out.ptr, size);
    for (let i = 0; i < size; i++) bytes[i] = values[i] !== 0 ? 1 : 0;
  }
  return out;
}
