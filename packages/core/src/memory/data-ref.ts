import type { Backend, Storage } from '../backend/types.js';
import type { DType } from '../dtype.js';
import { bytesPerElement } from '../dtype.js';
import { BackendError } from '../errors.js';
import { backendLabel } from '../backend/label.js';

/** Totals over every live DataRef, per backend name. */
export const liveStorage = new Map<string, { storages: number; bytes: number }>();

/**
 * One backend storage and how many holders it has: the tensors that view it (reshape shares
 * storage) and the autograd nodes that saved it for backward. Freed when the last one lets go.
 */
export class DataRef {
  private refs = 1;
  readonly bytes: number;

  constructor(
    readonly backend: Backend,
    readonly storage: Storage,
    readonly dtype: DType,
    readonly size: number,
  ) {
    this.bytes = size * bytesPerElement(dtype);
    backendLabel(backend);
    const t = liveStorage.get(backend.name) ?? { storages: 0, bytes: 0 };
    t.storages++;
    t.bytes += this.bytes;
    liveStorage.set(backend.name, t);
  }

  get alive(): boolean {
    return this.refs > 0;
  }

  retain(): this {
    if (this.refs <= 0) throw new BackendError('internal: retain of a freed storage');
    this.refs++;
    return this;
  }

  release(): void {
    if (this.refs <= 0) return;
    if (--this.refs === 0) {
      this.backend.free(this.storage);
      const t = liveStorage.get(this.backend.name)!;
      t.storages--;
      t.bytes -= this.bytes;
    }
  }
}
