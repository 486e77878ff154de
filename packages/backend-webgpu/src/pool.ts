/** The usage every storage buffer gets: bound to kernels, copied to, and copied from. */
export const STORAGE_USAGE = 0x80 /* STORAGE */ | 0x04 /* COPY_SRC */ | 0x08; /* COPY_DST */

/**
 * Size-bucketed reuse of GPU buffers. Creating a buffer costs far more than a kernel on small
 * tensors, and a training step frees and reallocates the same sizes every iteration. Sizes are
 * rounded up to buckets of 2^k or 1.5 * 2^k bytes (at most 1/3 waste), so nearby sizes share.
 *
 * Releasing is safe at once: all later GPU work that could reuse the buffer is encoded after
 * the work that used it, and WebGPU runs a queue in order.
 */
export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  /** Bytes held by buffers waiting in the pool. */
  pooledBytes = 0;
  /** Bytes of all buffers the pool created and has not destroyed. */
  createdBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    /** Bytes the pool may keep idle before it destroys released buffers instead. */
    private readonly maxPooledBytes = 512 * 1024 * 1024,
  ) {}

  static bucket(bytes: number): number {
    const b = Math.max(16, bytes);
    const p = 2 ** Math.ceil(Math.log2(b));
    return b <= p * 0.75 ? p * 0.75 : p;
  }

  /** An idle buffer of the bucket of `bytes`, or null when there is none. */
  take(bytes: number): GPUBuffer | null {
    const size = BufferPool.bucket(bytes);
    const buffer = this.free.get(size)?.pop();
    if (!buffer) return null;
    this.pooledBytes -= size;
    return buffer;
  }

  /**
   * A new buffer of the bucket of `bytes`, capped at the device's maxBufferSize: a bucket can
   * round past a limit that is not a power of two (or 1.5x one), and creating that buffer would
   * be a validation error that breaks the backend for an allocation that fits.
   */
  create(bytes: number): GPUBuffer {
    const size = Math.min(BufferPool.bucket(bytes), this.device.limits.maxBufferSize);
    this.createdBytes += size;
    return this.device.createBuffer({ size, usage: STORAGE_USAGE });
  }

  release(buffer: GPUBuffer): void {
    const size = buffer.size;
    if (this.pooledBytes + size > this.maxPooledBytes) {
      this.createdBytes -= size;
      buffer.destroy();
      return;
    }
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(buffer);
    this.pooledBytes += size;
  }

  /** Destroys every idle buffer. */
  clear(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.createdBytes -= this.pooledBytes;
    this.free.clear();
    this.pooledBytes = 0;
  }
}
