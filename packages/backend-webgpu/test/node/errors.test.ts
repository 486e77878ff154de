import { BackendError, setBackend, tensor } from '@logit/core';
import { create } from 'webgpu';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend, type WebGpuBackend } from '../../src/index.js';
import { createCpuBackend } from '@logit/backend-cpu';

const cpu = createCpuBackend();

// Over-limit allocations and device loss must come back as BackendErrors that say what happened,
// never as a hang or a raw Dawn error. Every test has a timeout of a few seconds: a read that
// waits forever on a lost device fails here instead of stalling the suite.
const BOUNDED_MS = 5000;
const MiB = 2 ** 20;

// A Dawn instance of the test's own, for devices with chosen limits (an adapter gives one
// device only). Held for the life of the file, as src/device.ts holds the backend's.
const gpu = create([]);
async function deviceWith(limits: Record<string, number>): Promise<GPUDevice> {
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('no adapter');
  return adapter.requestDevice({ requiredLimits: limits });
}

afterAll(() => setBackend(cpu));

/** fill(value) of `n` float32, then its last `k` elements read back. */
async function fillTail(be: WebGpuBackend, value: number, n: number, k = 4): Promise<Float32Array> {
  const big = be.ops.fill(value, n, 'float32');
  const tail = be.ops.slice(big, [n], [n - k], [1], [k], 'float32');
  be.free(big);
  const got = (await be.read(tail)) as Float32Array;
  be.free(tail);
  return got;
}

describe('over-limit allocations', () => {
  it('alloc above the largest storage buffer throws a BackendError naming size and limit; the backend keeps working', async () => {
    const be = await createBackend();
    const limit = Math.min(be.device.limits.maxBufferSize, be.device.limits.maxStorageBufferBindingSize);
    const elements = limit / 4 + 1;
    const before = be.memory();
    let err: unknown;
    try {
      be.alloc('float32', elements);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toBe(
      `webgpu: cannot allocate ${elements} float32 elements (${elements * 4} bytes): this device's largest storage buffer is ${limit} bytes`,
    );
    expect(be.memory()).toEqual(before);
    // Normal work afterwards, checked for values, and sync reports no kept failure.
    expect(Array.from(await fillTail(be, 2.5, 1000))).toEqual([2.5, 2.5, 2.5, 2.5]);
    await be.sync();
    be.destroy();
  }, BOUNDED_MS);

  it('a kernel whose output exceeds the limit throws before encoding anything, and the next kernels still run', async () => {
    const be = await createBackend();
    const limit = Math.min(be.device.limits.maxBufferSize, be.device.limits.maxStorageBufferBindingSize);
    const x = be.alloc('int32', 1);
    be.write(x, Int32Array.of(7));
    const outShape = [limit / 4 / 1024 + 1, 1024];
    const dispatches = be.stats.dispatches;
    expect(() => be.ops.expand(x, [1, 1], outShape, 'int32')).toThrow(BackendError);
    expect(() => be.ops.expand(x, [1, 1], outShape, 'int32')).toThrow(/cannot allocate \d+ int32 elements \(\d+ bytes\): this device's largest storage buffer is \d+ bytes/);
    expect(() => be.ops.fill(0, limit / 4 + 1, 'float32')).toThrow(`(${limit + 4} bytes)`);
    expect(be.stats.dispatches).toBe(dispatches);
    const y = be.ops.expand(x, [1, 1], [2, 3], 'int32');
    expect(Array.from((await be.read(y)) as Int32Array)).toEqual([7, 7, 7, 7, 7, 7]);
    be.free(x);
    be.free(y);
    be.destroy();
  }, BOUNDED_MS);

  it('on a device whose limit is no power of two, an allocation that fits works (the pool bucket is capped) and one past it throws', async () => {
    // 300 MiB: a 290 MiB request rounds to the 384 MiB bucket, past the limit. Before the cap
    // in BufferPool.create this was a Dawn validation error that broke the backend for good.
    const device = await deviceWith({ maxBufferSize: 300 * MiB, maxStorageBufferBindingSize: 300 * MiB });
    const be = await createBackend({ device });
    const n = (290 * MiB) / 4;
    expect(Array.from(await fillTail(be, -1.25, n))).toEqual([-1.25, -1.25, -1.25, -1.25]);
    expect(() => be.alloc('float32', (300 * MiB) / 4 + 1)).toThrow(`this device's largest storage buffer is ${300 * MiB} bytes`);
    expect(Array.from(await fillTail(be, 3, 8))).toEqual([3, 3, 3, 3]);
    await be.sync();
    be.destroy();
    device.destroy();
  }, 20000);
});

const LOST = /^webgpu: the GPU device was lost \(destroyed\): .*create a new backend with createBackend\(\)/;

describe('device loss', () => {
  it('after the loss is reported, kernels, alloc, write, read and sync all throw a BackendError naming it', async () => {
    const device = await deviceWith({});
    const be = await createBackend({ device });
    const kept = be.ops.fill(4, 3, 'float32');
    expect(Array.from((await be.read(kept)) as Float32Array)).toEqual([4, 4, 4]);
    device.destroy();
    expect((await device.lost).reason).toBe('destroyed');
    expect(() => be.ops.fill(1, 4, 'float32')).toThrow(BackendError);
    expect(() => be.ops.unary('exp', kept, 3, 'float32')).toThrow(LOST);
    expect(() => be.alloc('float32', 4)).toThrow(LOST);
    expect(() => be.write(kept, Float32Array.of(1, 2, 3))).toThrow(LOST);
    await expect(be.read(kept)).rejects.toThrow(LOST);
    await expect(be.read(kept)).rejects.toBeInstanceOf(BackendError);
    await expect(be.sync()).rejects.toThrow(LOST);
  }, BOUNDED_MS);

  it('a read started right after destroy() (loss not yet reported) rejects with the loss instead of hanging', async () => {
    const device = await deviceWith({});
    const be = await createBackend({ device });
    const s = be.ops.fill(2, 16, 'float32');
    device.destroy();
    const err = await be.read(s).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(LOST);
  }, BOUNDED_MS);

  it('a read in flight when the device is destroyed rejects with the loss instead of hanging', async () => {
    const device = await deviceWith({});
    const be = await createBackend({ device });
    const s = be.ops.fill(2, 1 << 20, 'float32');
    const pending = be.read(s).then(() => null, (e: unknown) => e);
    device.destroy();
    const err = await pending;
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(LOST);
  }, BOUNDED_MS);

  it('through core: t.data() rejects and ops throw with the loss after the device is gone', async () => {
    const device = await deviceWith({});
    const be = await createBackend({ device });
    setBackend(be);
    const t = tensor([1, 2, 3]);
    expect(Array.from(await t.data())).toEqual([1, 2, 3]);
    device.destroy();
    const err = await t.data().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(LOST);
    expect(() => t.add(t)).toThrow(LOST);
    expect(() => tensor([5])).toThrow(LOST);
    setBackend(cpu);
  }, BOUNDED_MS);
});
