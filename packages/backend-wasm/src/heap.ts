/**
 * The allocator of the wasm linear memory, run on the JS side so kernels never allocate.
 * First fit over a list of free blocks sorted by address, coalesced on free; a freed block that
 * reaches the top lowers the top. A training loop that frees what it allocates therefore reuses
 * the same blocks and the memory stops growing after the first step.
 */
import { BackendError } from '@logit/core';

const ALIGN = 16; // f32x4 loads and f64 accumulators stay aligned
const PAGE = 65536;

export class Heap {
  private top: number;
  /** Free blocks, sorted by offset, never adjacent (adjacent ones are merged). */
  private readonly freeOff: number[] = [];
  private readonly freeSize: number[] = [];
  private u8 = new Uint8Array(0);
  private i32 = new Int32Array(0);
  private f32 = new Float32Array(0);

  constructor(readonly memory: WebAssembly.Memory, base: number) {
    this.top = roundUp(base);
  }

  /** Bytes between the heap base and the highest block in use. */
  get used(): number {
    return this.top;
  }

  /** A 16-byte aligned block of at least `bytes` bytes (0 bytes gives offset 0, never touched). */
  alloc(bytes: number): number {
    if (bytes === 0) return 0;
    const size = roundUp(bytes);
    for (let i = 0; i < this.freeOff.length; i++) {
      if (this.freeSize[i] >= size) {
        const off = this.freeOff[i];
        if (this.freeSize[i] === size) {
          this.freeOff.splice(i, 1);
          this.freeSize.splice(i, 1);
        } else {
          this.freeOff[i] += size;
          this.freeSize[i] -= size;
        }
        return off;
      }
    }
    const off = this.top;
    this.ensure(off + size);
    this.top = off + size;
    return off;
  }

  /** Returns a block of `bytes` (as given to alloc) at `off` to the free list. */
  release(off: number, bytes: number): void {
    if (bytes === 0) return;
    let size = roundUp(bytes);
    let at = off;
    // binary search for the first free block above `at`
    let lo = 0;
    let hi = this.freeOff.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.freeOff[mid] < at) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0 && this.freeOff[lo - 1] + this.freeSize[lo - 1] === at) {
      lo--;
      at = this.freeOff[lo];
      size += this.freeSize[lo];
      this.freeOff.splice(lo, 1);
      this.freeSize.splice(lo, 1);
    }
    if (lo < this.freeOff.length && at + size === this.freeOff[lo]) {
      size += this.freeSize[lo];
      this.freeOff.splice(lo, 1);
      this.freeSize.splice(lo, 1);
    }
    if (at + size === this.top) {
      this.top = at;
      return;
    }
    this.freeOff.splice(lo, 0, at);
    this.freeSize.splice(lo, 0, size);
  }

  /** Views of the memory, refreshed when it has grown (growing replaces the ArrayBuffer). */
  bytes(): Uint8Array {
    if (this.u8.buffer !== this.memory.buffer || this.u8.byteLength !== this.memory.buffer.byteLength) this.refresh();
    return this.u8;
  }

  ints(): Int32Array {
    this.bytes();
    return this.i32;
  }

  floats(): Float32Array {
    this.bytes();
    return this.f32;
  }

  private refresh(): void {
    const buf = this.memory.buffer;
    this.u8 = new Uint8Array(buf);
    this.i32 = new Int32Array(buf);
    this.f32 = new Float32Array(buf);
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    // grow by at least a quarter so a growing workload does not grow page by page
    const need = Math.max(end - have, have >>> 2);
    try {
      this.memory.grow(Math.ceil(need / PAGE));
    } catch {
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE)); // the quarter extra may be what did not fit
      } catch {
        throw new BackendError(`wasm: out of memory: could not grow the heap from ${have} to ${end} bytes`);
      }
    }
  }
}

function roundUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
