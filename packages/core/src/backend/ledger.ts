import { bytesPerElement, dtypeOfArray, type DType, type TypedArray } from '../dtype.js';
import { BackendError } from '../errors.js';
import type { MemoryInfo, Storage } from './types.js';

/** What the ledger reads of a backend's storage handle: its dtype and element count. */
export interface LedgerEntry extends Storage {
  /** The element type the storage holds. */
  readonly dtype: DType;
  /** Its number of elements. */
  readonly size: number;
}

/**
 * The storage bookkeeping every backend needs, written once: which handles this backend instance
 * made and which it has freed, the live count and bytes that `memory()` reports (logical bytes:
 * elements times the dtype's host size, whatever the device stores), and one set of error
 * messages, so every backend refuses a foreign or freed handle, a write of the wrong dtype or
 * size and a dtype it does not store in the same words.
 *
 * A backend keeps its own storage class (a typed array, a heap pointer, a GPU buffer) and calls
 * `add` when it makes one, `get` when a kernel receives one, `remove` when it is freed.
 *
 *   const ledger = new StorageLedger<MyStorage>('mine', ['float32', 'int32', 'bool']);
 *   alloc: (dtype, size) => ledger.add(new MyStorage(ledger.checkDType(dtype), size)),
 *   free: (s) => release(ledger.remove(s)),
 *   memory: () => ledger.memory(),
 */
export class StorageLedger<S extends LedgerEntry> {
  /** true while live, false once freed; weak, so a forgotten handle costs nothing here. */
  private readonly state = new WeakMap<Storage, boolean>();
  private storages = 0;
  private bytes = 0;

  /**
   * @param backend the backend's name, which starts every message ("cpu: ...").
   * @param dtypes the dtypes it stores, as in `Backend.dtypes`.
   */
  constructor(
    readonly backend: string,
    readonly dtypes: readonly DType[],
  ) {}

  /** Returns `dtype`, or throws a BackendError when this backend does not store it. */
  checkDType(dtype: DType): DType {
    if (!this.dtypes.includes(dtype)) {
      throw new BackendError(`${this.backend}: cannot store dtype ${dtype}; this backend stores ${this.dtypes.join(', ')}`);
    }
    return dtype;
  }

  /** Counts a storage the backend just made, and returns it. */
  add(s: S): S {
    this.state.set(s, true);
    this.storages++;
    this.bytes += bytesOf(s);
    return s;
  }

  /** The storage behind a handle `what` (a kernel or method name) was given, checked to be live and this backend's. */
  get(s: Storage, what: string): S {
    const live = typeof s === 'object' && s !== null ? this.state.get(s) : undefined;
    if (live === undefined) {
      throw new BackendError(`${this.backend}: ${what} was given a storage that this ${this.backend} backend did not allocate`);
    }
    if (!live) throw new BackendError(`${this.backend}: ${what} was given a storage that was already freed`);
    return s as S;
  }

  /** Whether `s` is a live storage of this backend (no throw). */
  owns(s: Storage): boolean {
    return this.state.get(s) === true;
  }

  /** Marks a storage freed and uncounts it (a second free throws); returns it so the backend can release its memory. */
  remove(s: Storage): S {
    const st = this.get(s, 'free');
    this.state.set(st, false);
    this.storages--;
    this.bytes -= bytesOf(st);
    return st;
  }

  /** Throws unless `data` is an array of the storage's dtype and size, the precondition of `Backend.write`. */
  checkWrite(s: S, data: TypedArray): void {
    if (dtypeOfArray(data) !== s.dtype || data.length !== s.size) {
      throw new BackendError(
        `${this.backend}: write expected a ${s.dtype} array of ${s.size} elements, ` +
          `got ${dtypeOfArray(data) ?? 'an unsupported array'} of ${data?.length}`,
      );
    }
  }

  /** Live storages and their bytes: what `Backend.memory()` returns. */
  memory(): MemoryInfo {
    return { storages: this.storages, bytes: this.bytes };
  }
}

const bytesOf = (s: LedgerEntry): number => s.size * bytesPerElement(s.dtype);
