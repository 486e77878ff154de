// Shared helpers of the kernels. Memory is managed by the JS side: every kernel receives raw
// pointers into linear memory and never allocates.

/** Dtype codes, mirrored by DTYPE_CODE in src/context.ts. */
export const F32: i32 = 0;
export const I32: i32 = 1;
export const BOOL: i32 = 2;

/** Bytes per element of a dtype code. */
@inline export function elemSize(dtype: i32): i32 {
  return dtype == BOOL ? 1 : 4;
}

/**
 * What a JS Int32Array store does to a double (ECMAScript ToInt32): truncate, wrap modulo 2^32,
 * nan and +-inf become 0. backend-cpu computes int32 results in doubles and stores them this way.
 */
@inline export function toInt32(x: f64): i32 {
  if (!isFinite<f64>(x)) return 0;
  return <i32><i64>(Math.trunc(x) % 4294967296.0);
}

/** Reads element i of a dtype as a double. */
@inline export function loadF64(dtype: i32, p: usize, i: i32): f64 {
  if (dtype == F32) return <f64>load<f32>(p + (<usize>i << 2));
  if (dtype == I32) return <f64>load<i32>(p + (<usize>i << 2));
  return <f64>load<u8>(p + <usize>i);
}

/** Stores a double into element i the way a typed array of the dtype would (bool: v != 0). */
@inline export function storeF64(dtype: i32, p: usize, i: i32, v: f64): void {
  if (dtype == F32) store<f32>(p + (<usize>i << 2), <f32>v);
  else if (dtype == I32) store<i32>(p + (<usize>i << 2), toInt32(v));
  else store<u8>(p + <usize>i, v != 0 ? 1 : 0);
}

/** Reads the i-th int32 of a parameter block written by the JS side. */
@inline export function arg(args: usize, i: i32): i32 {
  return load<i32>(args + (<usize>i << 2));
}

@inline export function setArg(args: usize, i: i32, v: i32): void {
  store<i32>(args + (<usize>i << 2), v);
}

/** Lowest address the JS allocator may hand out (above the module's static data). */
export function heapBase(): usize {
  return __heap_base;
}

/** Which features this build was compiled with: 1 = simd, 2 = relaxed simd. */
export function features(): i32 {
  return (ASC_FEATURE_SIMD ? 1 : 0) | (ASC_FEATURE_RELAXED_SIMD ? 2 : 0);
}
