import { BackendError, type DType, type TypedArray, type ValueCheck } from '@logit/core';
import { DeviceAsserts } from './asserts.js';
import { BufferPool } from './pool.js';
import { GpuStorage } from './storage.js';
import { generateShader, hashSource, workgroupThreads, type Program } from './wgsl/header.js';
import type { Meta } from './wgsl/meta.js';

const MAP_READ = 0x01;
const COPY_SRC = 0x04;
const COPY_DST = 0x08;
const STORAGE = 0x80;
const MAP_MODE_READ = 0x01;

/** Bytes of per-dispatch metadata one batch can hold; a full arena flushes the batch. */
const META_ARENA_BYTES = 256 * 1024;
/** Dispatches encoded before a batch is submitted anyway, so the GPU starts while JS encodes. */
const MAX_BATCH_DISPATCHES = 128;

interface CachedPipeline {
  source: string;
  pipeline: GPUComputePipeline;
}

/**
 * Runs generated programs on one device. Kernels are encoded into one command encoder (one
 * compute pass while only kernels follow each other) and submitted when a value is read, every
 * MAX_BATCH_DISPATCHES dispatches, or when the metadata arena is full: a training step is a few
 * submits and has no readback unless the user asks for a value.
 *
 * Errors: each batch runs inside out-of-memory/validation/internal error scopes whose results
 * arrive asynchronously; the first one (or a lost device) is kept and thrown as a BackendError by
 * every later call, and `read` waits for the scopes before it returns data. Bad user values
 * (`validate`) are device-side asserts (asserts.ts): found by a kernel, thrown by the next read
 * or sync, and again by a read of anything computed from them; the backend keeps working.
 */
export class Engine {
  readonly pool: BufferPool;
  readonly maxThreads: number;
  readonly maxGroupsPerDim: number;
  readonly maxBufferBytes: number;
  readonly workgroupStorage: number;
  readonly stats = { submits: 0, dispatches: 0, pipelines: 0 };
  readonly asserts: DeviceAsserts;

  private readonly pipelines = new Map<string, CachedPipeline[]>();
  private readonly metaAlign: number;
  private readonly metaBuffer: GPUBuffer;
  private readonly metaWords = new Uint32Array(META_ARENA_BYTES / 4);
  private metaUsed = 0;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private batchDispatches = 0;
  private batchLabels = new Set<string>();
  private staging: GPUBuffer[] = [];
  private checks = new Set<Promise<void>>();
  private failure: BackendError | null = null;
  private lostPromise: Promise<never>;

  constructor(readonly device: GPUDevice) {
    const l = device.limits;
    this.maxThreads = Math.min(256, l.maxComputeInvocationsPerWorkgroup, l.maxComputeWorkgroupSizeX);
    this.maxGroupsPerDim = l.maxComputeWorkgroupsPerDimension;
    this.maxBufferBytes = Math.min(l.maxBufferSize, l.maxStorageBufferBindingSize);
    this.workgroupStorage = l.maxComputeWorkgroupStorageSize;
    this.metaAlign = l.minStorageBufferOffsetAlignment;
    this.pool = new BufferPool(device);
    this.metaBuffer = device.createBuffer({ size: META_ARENA_BYTES, usage: STORAGE | COPY_DST, label: 'logit meta arena' });
    this.asserts = new DeviceAsserts(device);
    this.lostPromise = device.lost.then((info) => {
      this.failure ??= new BackendError(
        `webgpu: the GPU device was lost (${info.reason}): ${info.message || 'no message'}. ` +
          'Its tensors are gone; create a new backend with createBackend()',
      );
      throw this.failure;
    });
    this.lostPromise.catch(() => {}); // observed by read(); never an unhandled rejection
    device.addEventListener?.('uncapturederror', (ev) => {
      this.fail('uncaptured', (ev as GPUUncapturedErrorEvent).error.message);
    });
  }

  /** Throws the kept failure, if any: every entry point calls this first. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  private fail(kind: string, message: string): void {
    const what = kind === 'out-of-memory' ? 'out of GPU memory' : `${kind} error`;
    const where = this.batchLabels.size ? ` (kernels in the batch: ${[...this.batchLabels].slice(0, 12).join(', ')})` : '';
    this.failure ??= new BackendError(`webgpu: ${what}${where}: ${message}`);
  }

  /** A new storage for `size` elements of `dtype`, from the pool. */
  alloc(dtype: DType, size: number): GpuStorage {
    this.check();
    const bytes = Math.max(4, size * 4);
    if (bytes > this.maxBufferBytes) {
      throw new BackendError(
        `webgpu: cannot allocate ${size} ${dtype} elements (${bytes} bytes): this device's largest storage buffer is ${this.maxBufferBytes} bytes`,
      );
    }
    let buffer = this.pool.take(bytes);
    if (!buffer) {
      // Creation fails asynchronously: the scope's answer is kept and thrown by the next call.
      this.device.pushErrorScope('out-of-memory');
      buffer = this.pool.create(bytes);
      this.watch(this.device.popErrorScope().then((err) => {
        if (err) this.fail('out-of-memory', `allocating ${size} ${dtype} elements (${bytes} bytes): ${err.message}`);
      }));
    }
    return new GpuStorage(buffer, dtype, size);
  }

  private openBatch(): GPUCommandEncoder {
    if (!this.encoder) {
      this.device.pushErrorScope('out-of-memory');
      this.device.pushErrorScope('validation');
      this.device.pushErrorScope('internal');
      this.encoder = this.device.createCommandEncoder();
    }
    return this.encoder;
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = null;
  }

  private pipeline(program: Program): GPUComputePipeline {
    const source = generateShader(program);
    const key = hashSource(source);
    const list = this.pipelines.get(key) ?? [];
    const hit = list.find((c) => c.source === source); // a hash collision compiles its own
    if (hit) return hit.pipeline;
    const module = this.device.createShaderModule({ code: source, label: program.label });
    const pipeline = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: program.label });
    list.push({ source, pipeline });
    this.pipelines.set(key, list);
    this.stats.pipelines++;
    return pipeline;
  }

  /**
   * Encodes one dispatch of `program` over `groups` workgroups (split into a 2-D grid above the
   * per-dimension limit) or an explicit (x, y, z) grid. `storages` follow the program's bindings;
   * the outputs inherit the inputs' pending device checks, except for the checks' own kernels.
   */
  run(program: Program, storages: readonly GpuStorage[], meta: Meta, groups: number | readonly [number, number, number], assertKernel = false): void {
    this.check();
    if (!assertKernel) this.asserts.propagate(program.bindings, storages);
    const grid = typeof groups === 'number' ? this.grid(groups) : groups;
    if (grid[0] === 0 || grid[1] === 0 || grid[2] === 0) return;
    if (grid.some((g) => g > this.maxGroupsPerDim)) {
      throw new BackendError(`webgpu: ${program.label} needs a grid of ${grid.join(' x ')} workgroups; this device allows ${this.maxGroupsPerDim} per dimension`);
    }
    const words = Math.max(1, meta.length);
    const metaBytes = Math.ceil((words * 4) / this.metaAlign) * this.metaAlign;
    if (this.metaUsed + metaBytes > META_ARENA_BYTES) this.flush();
    const encoder = this.openBatch();
    const pipeline = this.pipeline(program);
    const offset = this.metaUsed;
    this.metaWords.set(meta.words, offset / 4);
    this.metaUsed += metaBytes;
    const entries: GPUBindGroupEntry[] = storages.map((s, i) => ({ binding: i, resource: { buffer: s.buffer, size: s.byteLength } }));
    entries.push({ binding: storages.length, resource: { buffer: this.metaBuffer, offset, size: words * 4 } });
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    this.pass ??= encoder.beginComputePass();
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, bindGroup);
    this.pass.dispatchWorkgroups(grid[0], grid[1], grid[2]);
    this.batchLabels.add(program.label);
    this.stats.dispatches++;
    if (++this.batchDispatches >= MAX_BATCH_DISPATCHES) this.flush();
  }

  /** Workgroups laid out as (x, y, 1) with x within the device's per-dimension limit. */
  grid(groups: number): [number, number, number] {
    if (groups <= this.maxGroupsPerDim) return [groups, 1, 1];
    const y = Math.ceil(groups / this.maxGroupsPerDim);
    return [Math.ceil(groups / y), y, 1];
  }

  /** Workgroups for `n` threads at `perGroup` threads each. */
  groupsFor(n: number, perGroup: number): number {
    return Math.ceil(n / perGroup);
  }

  /** Encodes a buffer-to-buffer copy (ordered with the kernels around it). */
  copy(src: GpuStorage, dst: GpuStorage, bytes: number): void {
    this.check();
    if (bytes === 0) return;
    const encoder = this.openBatch();
    this.endPass();
    encoder.copyBufferToBuffer(src.buffer, 0, dst.buffer, 0, bytes);
    this.asserts.copied(src, dst);
  }

  /**
   * A slot of the error record for a new device-side check (see asserts.ts). A full record is
   * first drained in the background, so the checks pending between two reads stay bounded.
   */
  assertSlot(check: ValueCheck, dtype: DType): { slot: number; seq: number } {
    this.check();
    if (this.asserts.full) this.drainAsserts();
    return this.asserts.register(check, dtype);
  }

  /** Copies the pending checks' slots back without waiting: failures are thrown by the next read. */
  private drainAsserts(): void {
    const readback = this.device.createBuffer({ size: this.asserts.drainBytes, usage: MAP_READ | COPY_DST });
    const encoder = this.openBatch();
    this.endPass();
    const decode = this.asserts.drain(encoder, readback, 0)!;
    this.flush();
    this.asserts.track(
      readback
        .mapAsync(MAP_MODE_READ)
        .then(() => decode(new Uint32Array(readback.getMappedRange())))
        .catch(() => {}) // a lost device: kept as `failure` and thrown by every call
        .finally(() => readback.destroy()),
    );
  }

  /** Uploads host data. With kernels pending it goes through a staging copy, so it stays in order. */
  write(s: GpuStorage, data: ArrayBufferView): void {
    this.check();
    this.asserts.written(s);
    if (data.byteLength === 0) return;
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (!this.encoder) {
      this.device.queue.writeBuffer(s.buffer, 0, bytes as Uint8Array<ArrayBuffer>);
      return;
    }
    const staging = this.device.createBuffer({ size: bytes.byteLength, usage: COPY_SRC, mappedAtCreation: true });
    new Uint8Array(staging.getMappedRange()).set(bytes);
    staging.unmap();
    this.endPass();
    this.encoder.copyBufferToBuffer(staging, 0, s.buffer, 0, bytes.byteLength);
    this.staging.push(staging);
  }

  /** Submits the pending batch (if any) and starts watching its error scopes. */
  flush(): void {
    if (!this.encoder) return;
    this.endPass();
    if (this.metaUsed > 0) this.device.queue.writeBuffer(this.metaBuffer, 0, this.metaWords, 0, this.metaUsed / 4);
    this.device.queue.submit([this.encoder.finish()]);
    this.stats.submits++;
    this.encoder = null;
    this.metaUsed = 0;
    this.batchDispatches = 0;
    for (const b of this.staging) b.destroy();
    this.staging = [];
    const labels = this.batchLabels;
    this.batchLabels = new Set();
    const scopes = ['internal', 'validation', 'out-of-memory'].map((kind) =>
      this.device.popErrorScope().then((err) => {
        if (err) {
          const saved = this.batchLabels;
          this.batchLabels = labels;
          this.fail(kind, err.message);
          this.batchLabels = saved;
        }
      }),
    );
    this.watch(Promise.all(scopes).then(() => {}));
  }

  /** Keeps an error-scope answer pending until it settles, so `settle` can wait for it. */
  private watch(p: Promise<void>): void {
    const done: Promise<void> = p.then(
      () => void this.checks.delete(done),
      (e) => {
        this.checks.delete(done);
        this.fail('internal', String(e));
      },
    );
    this.checks.add(done);
  }

  /**
   * Copies a storage back to the host: flushes, waits for the GPU and the error scopes. The
   * pending device-side checks come back in the same copy: a failed one is thrown here (see
   * asserts.ts), as is a failure that `s`'s values depend on.
   */
  async read(s: GpuStorage): Promise<ArrayBuffer> {
    const data = await this.readBack(s);
    const failed = this.asserts.errorFor(s);
    if (failed) throw failed;
    return data;
  }

  /** Waits until the GPU finished every kernel so far, and throws a failed device-side check. */
  async sync(): Promise<void> {
    await this.readBack(null);
    const failed = this.asserts.errorFor(null);
    if (failed) throw failed;
  }

  private async readBack(s: GpuStorage | null): Promise<ArrayBuffer> {
    this.check();
    const bytes = s ? s.size * 4 : 0;
    const assertBytes = this.asserts.drainBytes;
    if (bytes + assertBytes === 0) {
      this.flush();
      await Promise.race([this.device.queue.onSubmittedWorkDone(), this.lostPromise]);
      await this.settle();
      await this.asserts.settled();
      return new ArrayBuffer(0);
    }
    const readback = this.device.createBuffer({ size: bytes + assertBytes, usage: MAP_READ | COPY_DST });
    const encoder = this.openBatch();
    this.endPass();
    if (s && bytes) encoder.copyBufferToBuffer(s.buffer, 0, readback, 0, bytes);
    const decode = this.asserts.drain(encoder, readback, bytes);
    this.flush();
    try {
      await Promise.race([readback.mapAsync(MAP_MODE_READ), this.lostPromise]);
      await this.settle();
      const mapped = readback.getMappedRange();
      decode?.(new Uint32Array(mapped, bytes, assertBytes / 4));
      const data = mapped.slice(0, bytes);
      await this.asserts.settled();
      return data;
    } catch (e) {
      if (this.failure) throw this.failure;
      throw new BackendError(`webgpu: reading ${s ? `a ${s.dtype} storage` : 'the device\'s error record'} back failed: ${(e as Error).message}`);
    } finally {
      readback.destroy();
    }
  }

  /** Waits for every submitted batch's error scopes, then throws the first failure. */
  async settle(): Promise<void> {
    await Promise.race([Promise.all([...this.checks]), this.lostPromise]);
    this.check();
  }

  destroy(): void {
    this.flush();
    this.pool.clear();
    this.metaBuffer.destroy();
    this.asserts.record.buffer.destroy();
  }
}

/** Host array of a dtype from the raw 4-byte-per-element words of a storage. */
export function fromWords(dtype: DType, words: ArrayBuffer): TypedArray {
  if (dtype === 'float32') return new Float32Array(words);
  if (dtype === 'int32') return new Int32Array(words);
  return Uint8Array.from(new Uint32Array(words));
}

/** The 4-byte-per-element words a storage of `dtype` holds for host data. */
export function toWords(dtype: DType, data: TypedArray): ArrayBufferView {
  return dtype === 'bool' ? Uint32Array.from(data as Uint8Array) : data;
}
