import { BackendError, bytesPerElement, type DType, type Storage } from '@logit/core';
import type { Heap } from './heap.js';
import type { KernelExports } from './load.js';
import type { ThreadPool } from './threads.js';

/** dtype codes shared with assembly/util.ts. */
export const DTYPE_CODE: Record<string, number> = { float32: 0, int32: 1, bool: 2 };

/** A tensor's memory: a block of the wasm heap (its ownership is kept by core's StorageLedger). */
export class WasmStorage implements Storage {
  /**
   * @param ptr - Byte offset of the block in the wasm memory.
   * @param size - Number of elements.
   * @param dtype - The element type.
   */
  constructor(
    readonly ptr: number,
    readonly size: number,
    readonly dtype: DType,
  ) {}

  /** Bytes the block holds: size times the dtype's width. */
  get bytes(): number {
    return this.size * bytesPerElement(this.dtype);
  }
}

/** What the kernel wrappers need: the module's exports, the heap and storage bookkeeping. */
export interface Context {
  readonly k: KernelExports;
  readonly heap: Heap;
  /** Workers for large matmuls, when the backend was created with threads > 1. */
  readonly pool: ThreadPool | null;
  /** A new storage of `size` elements (uninitialized). */
  own(dtype: DType, size: number): WasmStorage;
  /** Frees a storage (checked to be ours and live): `free`, and outputs a failed kernel call will not return. */
  disown(s: Storage): void;
  /** The storage behind a handle, checked to be ours and alive. */
  st(s: Storage, what: string): WasmStorage;
  /** Copies a parameter block into the args area and returns its address. */
  args(block: Int32Array): number;
  /** Scratch memory for one kernel call; give it back with `release`. */
  scratch(bytes: number): number;
  release(ptr: number, bytes: number): void;
}

export function code(dtype: DType, op: string): number {
  const c = DTYPE_CODE[dtype];
  if (c === undefined) throw new BackendError(`wasm: ${op} got dtype ${dtype}; this backend stores float32, int32 and bool`);
  return c;
}
