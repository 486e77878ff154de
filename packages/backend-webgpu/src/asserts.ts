import type { DType, ValueCheck } from '@logit/core';
import { GpuStorage } from './storage.js';
import type { Binding } from './wgsl/header.js';

/** Checks one window of the error record holds; a full window is drained in the background. */
export const ASSERT_SLOTS = 64;
/** Per check: the first bad element as (0xffffffff - flat index) by atomicMax (0: none), its value's bits, its index. */
export const WORDS_PER_SLOT = 3;

const COPY_SRC = 0x04;
const COPY_DST = 0x08;
const STORAGE = 0x80;

const NO_DEPS: readonly number[] = [];

interface Pending {
  seq: number;
  check: ValueCheck;
  dtype: DType;
}

interface Failure {
  seq: number;
  check: ValueCheck;
  value: number;
  index: number;
}

const bits = new Uint32Array(1);
const asF32 = new Float32Array(bits.buffer);
const asI32 = new Int32Array(bits.buffer);

function decode(word: number, dtype: DType): number {
  bits[0] = word;
  return dtype === 'float32' ? asF32[0] : dtype === 'int32' ? asI32[0] : bits[0];
}

/**
 * Device-side asserts: the WebGPU half of `Primitives.validate`, like CUDA's. Each check gets a
 * slot of a small error record on the GPU, which its kernel fills with the first bad element;
 * reads and syncs copy the record back with their data and clear it in the same submit, so a
 * failure is found at the next read or sync point and thrown there, once.
 *
 * Values computed from checked data are tracked: every storage carries the checks its values
 * depend on (`deps`), handed from a kernel's inputs to its outputs, so a later read of anything
 * computed from refused values throws the same error again: no number backend-cpu would have
 * refused to compute is ever handed back. The checked storage itself stays readable (its values
 * are the user's), and nothing else is affected. A check whose answer came back clean drops out
 * of every dependency list the next time one is copied.
 */
export class DeviceAsserts {
  /** The error record: ASSERT_SLOTS slots of WORDS_PER_SLOT u32 words, zero when clear. */
  readonly record: GpuStorage;
  private window: Pending[] = [];
  private nextSeq = 1;
  private readonly unresolved = new Set<number>();
  private readonly failed = new Map<number, Failure>();
  private unreported: Failure[] = [];
  private readonly inflight = new Set<Promise<void>>();

  constructor(device: GPUDevice) {
    const words = ASSERT_SLOTS * WORDS_PER_SLOT;
    const buffer = device.createBuffer({ size: words * 4, usage: STORAGE | COPY_SRC | COPY_DST, label: 'logit device asserts' });
    this.record = new GpuStorage(buffer, 'int32', words);
  }

  /** A new check's slot in the record and its sequence number. */
  register(check: ValueCheck, dtype: DType): { slot: number; seq: number } {
    const seq = this.nextSeq++;
    this.window.push({ seq, check, dtype });
    this.unresolved.add(seq);
    return { slot: this.window.length - 1, seq };
  }

  /** True when no slot is left: the engine drains the window before the next check. */
  get full(): boolean {
    return this.window.length >= ASSERT_SLOTS;
  }

  /** Bytes a drain of the current window copies (0 when no check is pending). */
  get drainBytes(): number {
    return this.window.length * WORDS_PER_SLOT * 4;
  }

  /**
   * Encodes copying the window's slots to `dst` at `offset` and clearing them, and starts a new
   * window. Returns what to call with the copied words once `dst` is mapped, or null when no
   * check was pending.
   */
  drain(encoder: GPUCommandEncoder, dst: GPUBuffer, offset: number): ((words: Uint32Array) => void) | null {
    const window = this.window;
    if (window.length === 0) return null;
    this.window = [];
    const bytes = window.length * WORDS_PER_SLOT * 4;
    encoder.copyBufferToBuffer(this.record.buffer, 0, dst, offset, bytes);
    encoder.clearBuffer(this.record.buffer, 0, bytes);
    return (words) => {
      window.forEach((p, slot) => {
        this.unresolved.delete(p.seq);
        const at = slot * WORDS_PER_SLOT;
        if (words[at] === 0) return;
        const failure = { seq: p.seq, check: p.check, value: decode(words[at + 1], p.dtype), index: words[at + 2] };
        this.failed.set(p.seq, failure);
        this.unreported.push(failure);
      });
    };
  }

  /** Keeps a background drain pending until it settles, so reads can wait for its answer. */
  track(p: Promise<void>): void {
    const done: Promise<void> = p.finally(() => void this.inflight.delete(done));
    this.inflight.add(done);
  }

  /** Waits for every background drain in flight. */
  async settled(): Promise<void> {
    while (this.inflight.size) await Promise.all([...this.inflight]);
  }

  /**
   * The error a read or sync throws: the earliest failure not reported yet (the later ones are
   * dropped from the report, as CUDA reports one assert), else, for a read, the failure `s`'s
   * values depend on. Null when there is none.
   */
  errorFor(s: GpuStorage | null): Error | null {
    if (this.unreported.length) {
      const first = this.unreported.reduce((a, b) => (b.seq < a.seq ? b : a));
      this.unreported = [];
      return first.check.error(first.value, first.index);
    }
    if (!s || s.deps.length === 0 || this.failed.size === 0) return null;
    let first: Failure | undefined;
    for (const seq of s.deps) {
      const f = this.failed.get(seq);
      if (f && (!first || f.seq < first.seq)) first = f;
    }
    return first ? first.check.error(first.value, first.index) : null;
  }

  /** Kernels that read x from now on compute from values that check `seq` has not cleared yet. */
  markChecked(x: GpuStorage, seq: number): void {
    x.checkedBy = [...this.live(x.checkedBy), seq]; // seq is the newest: the list stays sorted
  }

  /**
   * Hands the dependencies of a kernel's inputs (and the checks on them) to its outputs. Lists
   * stay sorted (sequence numbers only grow), so a union is one merge; checks that came back
   * clean drop out here.
   */
  propagate(bindings: readonly Binding[], storages: readonly GpuStorage[]): void {
    if (this.unresolved.size === 0 && this.failed.size === 0) return;
    let deps: readonly number[] = NO_DEPS;
    storages.forEach((s, i) => {
      if (!bindings[i]?.write) deps = this.merge(this.merge(deps, s.deps), s.checkedBy);
    });
    if (deps.length === 0) return;
    storages.forEach((s, i) => {
      if (bindings[i]?.write) s.deps = this.merge(s.deps, deps);
    });
  }

  /** The sorted union of two sorted lists, keeping only checks still pending or failed. */
  private merge(a: readonly number[], b: readonly number[]): readonly number[] {
    if (b.length === 0) return a.length === 0 ? a : this.live(a);
    if (a.length === 0) return this.live(b);
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      const next = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
      if (out[out.length - 1] !== next && this.isLive(next)) out.push(next);
    }
    return out;
  }

  /** A copy holds the same values: the same dependencies and checks. */
  copied(src: GpuStorage, dst: GpuStorage): void {
    dst.deps = src.deps;
    dst.checkedBy = src.checkedBy;
  }

  /** Host data written into a storage depends on no check. */
  written(s: GpuStorage): void {
    s.deps = NO_DEPS;
    s.checkedBy = NO_DEPS;
  }

  private isLive(seq: number): boolean {
    return this.unresolved.has(seq) || this.failed.has(seq);
  }

  private live(list: readonly number[]): readonly number[] {
    return list.every((seq) => this.isLive(seq)) ? list : list.filter((seq) => this.isLive(seq));
  }
}
