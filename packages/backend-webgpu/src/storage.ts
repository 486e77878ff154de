import type { DType, Storage } from '@logit/core';

/**
 * A WebGPU storage: a (pooled) GPU buffer holding `size` elements of `dtype`. Every dtype takes
 * 4 bytes per element on the GPU: float32 as f32, int32 as i32, and bool as u32 0/1 (WGSL has
 * no byte-sized storage type, and packing four bools per word would make every kernel that
 * writes bools race on shared words). `read` returns bool as a Uint8Array, as core expects.
 */
export class GpuStorage implements Storage {
  /** Device checks (see asserts.ts) these values were computed from and that have not cleared. */
  deps: readonly number[] = [];
  /** Device checks run on these values: kernels that read them depend on those checks. */
  checkedBy: readonly number[] = [];
  /**
   * @param buffer - The GPU buffer (from the backend's pool) that holds the data.
   * @param dtype - The element type.
   * @param size - Number of elements.
   */
  constructor(
    readonly buffer: GPUBuffer,
    readonly dtype: DType,
    readonly size: number,
  ) {}

  /** Bytes the data takes on the GPU (at least 4, so even an empty storage can be bound). */
  get byteLength(): number {
    return Math.max(4, this.size * 4);
  }
}
