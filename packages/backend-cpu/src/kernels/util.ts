import { broadcastStrides, newArray, sizeOf, type DType, type Shape, type TypedArray } from '@logit/core';

/**
 * The one indexing helper every layout kernel shares: for each element of `shape`, visited in
 * row-major order, the offset `base + sum(index[d] * strides[d])`. Broadcasting (stride 0),
 * permutes (permuted strides), slices (strides times steps) and reductions (0 on reduced axes)
 * are all this map with different strides.
 */
export function stridedOffsets(shape: Shape, strides: readonly number[], base = 0): Int32Array {
  const size = sizeOf(shape);
  const out = new Int32Array(size);
  const rank = shape.length;
  if (size === 0) return out;
  if (rank === 0) {
    out[0] = base;
    return out;
  }
  const last = shape[rank - 1];
  const lastStride = strides[rank - 1];
  const idx = new Array<number>(rank).fill(0);
  let off = base;
  for (let p = 0; p < size; ) {
    for (let j = 0; j < last; j++) out[p++] = off + j * lastStride;
    // odometer over the leading dims
    for (let d = rank - 2; d >= 0; d--) {
      if (++idx[d] < shape[d]) {
        off += strides[d];
        break;
      }
      idx[d] = 0;
      off -= strides[d] * (shape[d] - 1);
    }
  }
  return out;
}

/**
 * The input offset of every output element when `shape` is broadcast to `outShape`, or null when
 * broadcasting is the identity (same element count), so the hot same-shape path allocates nothing.
 */
export function broadcastIndex(shape: Shape, outShape: Shape): Int32Array | null {
  if (sizeOf(shape) === sizeOf(outShape)) return null; // broadcasting that keeps the size only adds 1s
  return stridedOffsets(outShape, broadcastStrides(shape, outShape));
}

/**
 * Where a kernel writes values computed in doubles: the output array itself, except for bool,
 * whose values must become (v != 0) -- a Uint8Array would store 2 as 2 and 0.5 as 0.
 */
export function scratch(dtype: DType, size: number): TypedArray {
  return dtype === 'bool' ? new Float64Array(size) : newArray(dtype, size);
}

/** Turns values computed in doubles into the dtype's array (typed-array stores round and wrap). */
export function finish(dtype: DType, values: TypedArray): TypedArray {
  if (dtype === 'bool') {
    if (values instanceof Uint8Array) return values;
    const out = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
    return out;
  }
  if (values instanceof Float64Array && dtype !== 'float64') {
    const out = newArray(dtype, values.length);
    out.set(values);
    return out;
  }
  return values;
}
