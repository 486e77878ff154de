import { BackendError, DTYPES, bytesPerElement, newArray, type Backend, type DType } from '@logit/core';
import { upload } from './harness.js';

/**
 * The memory half of the contract, the same for every backend: memory() counts live storages and
 * their logical bytes (elements x the dtype's host size), reads are copies, size-0 storages work,
 * and a freed storage, one of another backend instance, a write of the wrong dtype or size and a
 * dtype the backend does not store are BackendErrors that leave the accounting as it was.
 */
export interface StorageCheck {
  /** What the check asserts, in words (the test's name). */
  name: string;
  /** Throws an Error describing the broken rule. */
  run(be: Backend, another: () => Promise<Backend>): Promise<void>;
}

function expect(cond: boolean, what: string): void {
  if (!cond) throw new Error(what);
}

function expectThrows(fn: () => unknown, what: string, pattern?: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e instanceof BackendError, `${what}: threw ${(e as Error).name} (${(e as Error).message}), expected a BackendError`);
    if (pattern) expect(pattern.test((e as Error).message), `${what}: message "${(e as Error).message}" does not match ${pattern}`);
    return;
  }
  throw new Error(`${what}: did not throw`);
}

const same = (a: { storages: number; bytes: number }, b: { storages: number; bytes: number }): boolean => a.storages === b.storages && a.bytes === b.bytes;

/** The storage checks every backend must pass; `kernelSuite` runs each one as a test. */
export const STORAGE_CHECKS: readonly StorageCheck[] = [
  {
    name: 'memory() counts each storage and its logical bytes, kernel outputs included, and returns to its baseline',
    async run(be) {
      const before = be.memory();
      const made = be.dtypes.map((d) => be.alloc(d, 5));
      const bytes = be.dtypes.reduce((s, d) => s + 5 * bytesPerElement(d), 0);
      expect(same(be.memory(), { storages: before.storages + made.length, bytes: before.bytes + bytes }),
        `after allocating 5 elements of each of ${be.dtypes.join(', ')}: memory() is ${JSON.stringify(be.memory())}, expected ${before.storages + made.length} storages and ${before.bytes + bytes} bytes more than ${JSON.stringify(before)}`);
      const f = be.alloc('float32', 4);
      be.write(f, Float32Array.of(1, -2, 3, -4));
      const outs = [be.ops.unary('relu', f, 4, 'float32'), be.ops.compare('lt', f, [4], f, [4], [4], 'float32'), be.ops.argReduce('argmax', f, [4], 0, 'float32')];
      expect(same(be.memory(), { storages: before.storages + made.length + 4, bytes: before.bytes + bytes + 16 + 16 + 4 + 4 }),
        `kernel outputs (float32 [4], bool [4], int32 []) are not counted as 16 + 4 + 4 bytes: memory() is ${JSON.stringify(be.memory())}`);
      for (const s of [...made, f, ...outs]) be.free(s);
      expect(same(be.memory(), before), `after freeing everything memory() is ${JSON.stringify(be.memory())}, expected ${JSON.stringify(before)}`);
    },
  },
  {
    name: 'write then read round-trips every dtype; reads are copies; size-0 storages work',
    async run(be) {
      for (const d of be.dtypes) {
        const host = newArray(d, 3);
        host.set(d === 'bool' ? [1, 0, 1] : [1, -2, 3]);
        const s = upload(be, host, d);
        const a = await be.read(s);
        expect(a.constructor === host.constructor && Array.from(a).join() === Array.from(host).join(), `${d}: read gave ${a.constructor.name} [${Array.from(a)}], expected ${host.constructor.name} [${Array.from(host)}]`);
        a[0] = 0;
        if (be.readSync) be.readSync(s)[1] = 7;
        expect(Array.from(await be.read(s)).join() === Array.from(host).join(), `${d}: changing an array read back changed the storage`);
        be.free(s);
        const empty = be.alloc(d, 0);
        be.write(empty, newArray(d, 0));
        expect((await be.read(empty)).length === 0, `${d}: a size-0 storage did not read back empty`);
        be.free(empty);
      }
    },
  },
  {
    name: 'a freed storage is refused by every entry point and a second free does not count twice',
    async run(be) {
      const before = be.memory();
      const s = be.alloc('float32', 8);
      be.free(s);
      expectThrows(() => be.free(s), 'free of a freed storage', /already freed/);
      expect(same(be.memory(), before), `a second free changed memory() to ${JSON.stringify(be.memory())}`);
      expectThrows(() => be.write(s, new Float32Array(8)), 'write to a freed storage');
      expectThrows(() => be.ops.unary('neg', s, 8, 'float32'), 'a kernel given a freed storage');
      if (be.readSync) expectThrows(() => be.readSync!(s), 'readSync of a freed storage');
      let refused: unknown = null;
      try {
        await be.read(s);
      } catch (e) {
        refused = e;
      }
      expect(refused instanceof BackendError, `read of a freed storage ${refused ? `threw ${String(refused)}` : 'did not fail'}, expected a BackendError`);
    },
  },
  {
    name: 'storages of another backend instance, and objects that are not storages, are refused',
    async run(be, another) {
      const other = await another();
      const s = other.alloc('float32', 2);
      const before = be.memory();
      expectThrows(() => be.free(s), 'free of another instance\'s storage', /did not allocate/);
      expectThrows(() => be.ops.unary('neg', s, 2, 'float32'), 'a kernel given another instance\'s storage', /did not allocate/);
      expectThrows(() => be.free({}), 'free of a plain object');
      expect(same(be.memory(), before), `refusing foreign storages changed memory() to ${JSON.stringify(be.memory())}`);
      other.free(s);
    },
  },
  {
    name: 'writes of the wrong dtype or size, and dtypes the backend does not store, are refused',
    async run(be) {
      const s = be.alloc('float32', 3);
      expectThrows(() => be.write(s, Int32Array.of(1, 2, 3)), 'an int32 write into a float32 storage', /float32 array of 3/);
      expectThrows(() => be.write(s, Float32Array.of(1, 2)), 'a write of 2 elements into 3', /3 elements/);
      be.free(s);
      for (const d of DTYPES.filter((t: DType) => !be.dtypes.includes(t))) expectThrows(() => be.alloc(d, 1), `alloc of ${d}, which the backend does not declare`, new RegExp(d));
    },
  },
];
