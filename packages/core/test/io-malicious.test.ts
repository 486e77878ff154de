import { afterEach, describe, expect, test, vi } from 'vitest';
import { needs } from './helpers/needs.js';
import { BackendError, DTypeError, LogitError, ValueError, getBackend, io, memory, tensor } from '@logit/core';
import { expectCleanThrow } from './helpers/expect-error.js';

/** A safetensors file from a header (object, or raw text) and data bytes; headerLength overrides the prefix. */
function craft(header: object | string, data: number[] | Uint8Array = [], headerLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, headerLength ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32 = (name: string, shape: number[], begin: number, end: number) => ({ [name]: { dtype: 'F32', shape, data_offsets: [begin, end] } });
const bytes = (n: number) => new Uint8Array(n);

/** Every rejection: the right class and message, nothing allocated, memory() unchanged. */
function rejects(file: Uint8Array, message: RegExp, cls: new (...a: never[]) => Error = ValueError): void {
  const alloc = vi.spyOn(getBackend(), 'alloc');
  expectCleanThrow(() => io.load(file), cls, message);
  expect(alloc).not.toHaveBeenCalled();
  alloc.mockRestore();
}

afterEach(() => vi.restoreAllMocks());

describe('io.load rejects truncated and malicious files before allocating', () => {
  test('a file shorter than the 8-byte length prefix', () => {
    rejects(new Uint8Array([1, 0, 0]), /invalid safetensors file: the file is 3 bytes, too short for the 8-byte header length/);
  });

  test('a header length past the end of the file (a truncated header)', () => {
    const good = craft(f32('w', [2], 0, 8), bytes(8));
    rejects(good.subarray(0, 20), /header length \d+ goes past the end of the file \(20 bytes\)/);
  });

  test('a header length over the 100 MB cap, up to 2^64 - 1', () => {
    rejects(craft('{}', [], 100_000_001n), /header length 100000001 exceeds the 100000000-byte limit/);
    rejects(craft('{}', [], 2n ** 64n - 1n), /header length 18446744073709551615 exceeds the 100000000-byte limit/);
  });

  test('a header that is not UTF-8', () => {
    const file = craft('{"a":1}');
    file[9] = 0xff;
    rejects(file, /the header is not valid UTF-8/);
  });

  test('a header that is not JSON', () => {
    rejects(craft('{"w": {"dtype": "F32",'), /the header is not valid JSON/);
    rejects(craft(''), /the header is not valid JSON/);
  });

  test.each([['[]', 'an array'], ['42', '42'], ['null', 'null'], ['"x"', '"x"']])('a header that is JSON but not an object: %s', (text, shown) => {
    rejects(craft(text), new RegExp(`the header must be a JSON object, got ${shown}`));
  });

  test('a tensor entry that is not an object, or lacks its fields', () => {
    rejects(craft({ w: [1, 2] }), /tensor 'w': header entry must be an object with dtype, shape and data_offsets/);
    rejects(craft({ w: { shape: [1], data_offsets: [0, 4] } }, bytes(4)), /tensor 'w': unknown dtype undefined/);
    rejects(craft({ w: { dtype: 'F32', data_offsets: [0, 4] } }, bytes(4)), /tensor 'w': shape must be an array of non-negative integers, got undefined/);
    rejects(craft({ w: { dtype: 'F32', shape: [1] } }, bytes(4)), /tensor 'w': data_offsets must be \[begin, end\]/);
  });

  test('an unknown dtype', () => {
    rejects(craft({ w: { dtype: 'F128', shape: [1], data_offsets: [0, 16] } }, bytes(16)), /tensor 'w': unknown dtype "F128" \(safetensors dtypes are BOOL, U8/);
    rejects(craft({ w: { dtype: 4, shape: [1], data_offsets: [0, 4] } }, bytes(4)), /unknown dtype 4/);
  });

  test.each([
    [[-1, 2], 'negative'],
    [[1.5], 'non-integer'],
    [['2'], 'a string'],
    [[null], 'null'],
    [{ 0: 2 }, 'not an array'],
  ] as [unknown, string][])('a shape with a bad dimension: %j (%s)', (shape) => {
    rejects(craft({ w: { dtype: 'F32', shape, data_offsets: [0, 8] } }, bytes(8)), /tensor 'w': shape must be an array of non-negative integers/);
  });

  test('absurd shapes: too many elements, or a product past exact doubles', () => {
    rejects(craft(f32('w', [65536, 32768], 0, 8), bytes(8)), /tensor 'w': shape \[65536, 32768\] has more than 2147483647 elements/);
    rejects(craft(f32('w', [2 ** 40], 0, 8), bytes(8)), /dimension 1099511627776 in shape \[1099511627776\] exceeds 2147483647/);
    rejects(craft(f32('w', Array(80).fill(2147483647), 0, 8), bytes(8)), /has more than 2147483647 elements/);
    // 2^31 - 1 F32 elements would be 8 GiB: refused by the byte count, never allocated
    rejects(craft(f32('w', [2147483647], 0, 8589934588), bytes(8)), /data_offsets \[0, 8589934588\] are out of range of the 8-byte data region/);
  });

  test('malformed data_offsets', () => {
    for (const offsets of [[4, 0], [0], [0, 4, 8], [-4, 0], [0.5, 4.5], ['0', '4'], [0, 2 ** 53]]) {
      rejects(craft({ w: { dtype: 'F32', shape: [1], data_offsets: offsets } }, bytes(4)), /tensor 'w': data_offsets must be \[begin, end\] with integers 0 <= begin <= end/);
    }
  });

  test('offsets out of the data region (a truncated data region)', () => {
    const file = craft({ ...f32('a', [2], 0, 8), ...f32('b', [3], 8, 20) }, bytes(20));
    rejects(file.subarray(0, file.length - 1), /tensor 'b': data_offsets \[8, 20\] are out of range of the 19-byte data region/);
  });

  test('a byte length that does not match dtype and shape', () => {
    rejects(craft(f32('w', [2, 3], 0, 20), bytes(20)), /tensor 'w': dtype F32 and shape \[2, 3\] need 24 bytes, but data_offsets \[0, 20\] span 20/);
    rejects(craft({ w: { dtype: 'F64', shape: [], data_offsets: [0, 4] } }, bytes(4)), /dtype F64 and shape \[\] need 8 bytes/);
  });

  test('overlapping tensors', () => {
    rejects(craft({ ...f32('a', [4], 0, 16), ...f32('b', [2], 8, 16) }, bytes(16)), /tensors 'a' \[0, 16\] and 'b' \[8, 16\] overlap/);
    rejects(craft({ ...f32('a', [2], 0, 8), ...f32('b', [2], 0, 8) }, bytes(8)), /tensors 'a' \[0, 8\] and 'b' \[0, 8\] overlap/);
    // an empty tensor placed inside another one
    rejects(craft({ ...f32('a', [2], 0, 8), ...f32('e', [0], 4, 4) }, bytes(8)), /tensors 'a' \[0, 8\] and 'e' \[4, 4\] overlap/);
  });

  test('gaps: data before the first tensor, between tensors, after the last', () => {
    rejects(craft(f32('a', [1], 4, 8), bytes(8)), /bytes \[0, 4\) of the data region belong to no tensor \(the tensors must cover it contiguously\)/);
    rejects(craft({ ...f32('a', [1], 0, 4), ...f32('b', [1], 8, 12) }, bytes(12)), /bytes \[4, 8\) of the data region belong to no tensor/);
    rejects(craft(f32('a', [1], 0, 4), bytes(12)), /bytes \[4, 12\) at the end of the data region belong to no tensor/);
    rejects(craft({}, bytes(3)), /bytes \[0, 3\) at the end of the data region belong to no tensor/);
  });

  test('bad __metadata__', () => {
    rejects(craft({ __metadata__: ['x'] }), /__metadata__ must be an object of strings/);
    rejects(craft({ __metadata__: { epoch: 3 } }), /__metadata__ value for 'epoch' must be a string, got 3/);
  });

  test('a dtype the backend cannot store is a BackendError before any tensor is made', (ctx) => {
    needs(ctx, 'float64');
    const cpu = getBackend();
    const noF64 = { ...cpu, dtypes: cpu.dtypes.filter((d) => d !== 'float64') };
    const file = craft({ ...f32('a', [1], 0, 4), b: { dtype: 'F64', shape: [1], data_offsets: [4, 12] } }, bytes(12));
    expectCleanThrow(() => io.load(file, { backend: noF64 }), BackendError, /io.load: backend 'cpu' cannot store float64/);
  });

  test('not bytes at all', () => {
    expectCleanThrow(() => io.load('abc' as never), ValueError, /expected a Uint8Array or an ArrayBuffer, got string/);
  });
});

describe('io.load under random corruption', () => {
  test('truncations and byte flips of a real file either load or throw a LogitError, and never leak', async (ctx) => {
    needs(ctx, 'float64');
    const state = { w: tensor([[1, 2], [3, 4]]), b: tensor([5], { dtype: 'float64' }), m: tensor([true, false, true]), i: tensor([7], { dtype: 'int32' }) };
    const good = await io.save(state);
    Object.values(state).forEach((t) => t.dispose());
    const { tensors, storages, bytes: before } = memory();
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    let loaded = 0;
    let rejected = 0;
    for (let k = 0; k < 400; k++) {
      const file = k % 2 ? good.slice(0, next() % good.length) : good.slice();
      if (k % 2 === 0) for (let f = 0; f < 1 + (next() % 3); f++) file[next() % file.length] = next() & 0xff;
      try {
        Object.values(io.load(file)).forEach((t) => t.dispose());
        loaded++;
      } catch (e) {
        expect(e, String(e)).toBeInstanceOf(LogitError);
        expect(e instanceof ValueError || e instanceof DTypeError).toBe(true);
        rejected++;
      }
    }
    const after = memory();
    expect({ tensors: after.tensors, storages: after.storages, bytes: after.bytes }).toEqual({ tensors, storages, bytes: before });
    expect(rejected).toBeGreaterThan(200); // every truncation, and most header flips
    expect(loaded).toBeGreaterThan(0); // flips inside the data region still load
  });
});
