import { describe, expect, test } from 'vitest';
import { needs } from './helpers/needs.js';
import { DTypeError, type Tensor, ValueError, io, manualSeed, memory, nn, rand, randn, tensor } from '@logit/core';
import { decode, encode } from '../src/io/dtypes.js';
import { expectCleanThrow } from './helpers/expect-error.js';

function mem(): { tensors: number; storages: number; bytes: number } {
  const { tensors, storages, bytes } = memory();
  return { tensors, storages, bytes };
}

/** Reads the format directly, without io.load: header length, header JSON, data region. */
function rawParse(bytes: Uint8Array): { n: number; header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>; data: Uint8Array; text: string } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  return { n, header: JSON.parse(text), data: bytes.subarray(8 + n), text };
}

/** A hand-built safetensors file: header object and data bytes. */
function craft(header: object, data: number[] | Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('io.save -> io.load round trip', () => {
  // each row: the dtype its tensor has, so a backend without it skips the row with the reason
  test.for([
    ['float32', () => randn([3, 5]), 'float32'],
    ['float64', () => randn([2, 2, 3], { dtype: 'float64' }), 'float64'],
    ['int32', () => tensor([[-2147483648, 2147483647, 0], [1, -1, 7]], { dtype: 'int32' }), 'int32'],
    ['bool', () => rand([4, 3]).gt(0.5), 'bool'],
    ['0-d', () => tensor(-1.25), 'float32'],
    ['empty', () => tensor(new Float64Array(0), { shape: [0, 4] }), 'float64'],
    ['specials', () => tensor([NaN, Infinity, -Infinity, -0, 1e-45, 3.4028234663852886e38]), 'float32'],
  ] as const)('%s keeps dtype, shape and every bit', async ([_, make, dtype], ctx) => {
    needs(ctx, dtype);
    const t = make() as Tensor;
    const bytes = await io.save({ t });
    const before = mem();
    const { t: back } = io.load(bytes);
    expect(mem().tensors).toBe(before.tensors + 1);
    expect(back.dtype).toBe(t.dtype);
    expect(back.shape).toEqual(t.shape);
    expect(await back.data()).toEqual(await t.data());
    t.dispose();
    back.dispose();
  });

  test('a whole state dict, from a Map or an object, with metadata', async () => {
    const state = new Map<string, Tensor>([['b', tensor([1, 2])], ['a', tensor([true])], ['c', tensor([3], { dtype: 'int32' })]]);
    const bytes = await io.save(state, { metadata: { epoch: '3', note: 'ünïcode ✓' } });
    expect(io.loadMetadata(bytes)).toEqual({ epoch: '3', note: 'ünïcode ✓' });
    const back = io.load(bytes.buffer.slice(0) as ArrayBuffer); // an ArrayBuffer works too
    expect(Object.keys(back).sort()).toEqual(['a', 'b', 'c']);
    expect(await back.a.tolist()).toEqual([true]);
    expect(await back.c.tolist()).toEqual([3]);
    for (const t of [...state.values(), ...Object.values(back)]) t.dispose();
  });

  test('the file follows the format: 8-aligned padded header, largest elements first, then by name, contiguous', async (ctx) => {
    needs(ctx, 'float64');
    const state = { z: tensor([1, 2, 3]), y: tensor([true, false, true]), x: tensor([1], { dtype: 'float64' }), w: tensor([5], { dtype: 'int32' }), a: tensor([2]) };
    const bytes = await io.save(state);
    const { n, header, data, text } = rawParse(bytes);
    expect((8 + n) % 8).toBe(0);
    expect(text).toMatch(/^\{.*\} *$/);
    expect(Object.entries(header).map(([k, v]) => [k, v.dtype, v.data_offsets])).toEqual([
      ['x', 'F64', [0, 8]],
      ['a', 'F32', [8, 12]],
      ['w', 'I32', [12, 16]],
      ['z', 'F32', [16, 28]],
      ['y', 'BOOL', [28, 31]],
    ]);
    expect(data.length).toBe(31);
    // little-endian float32 3.0 at z's last element
    expect(Array.from(data.subarray(24, 28))).toEqual([0x00, 0x00, 0x40, 0x40]);
    expect(Array.from(data.subarray(28))).toEqual([1, 0, 1]);
    for (const t of Object.values(state)) t.dispose();
  });

  test("a model's stateDict saved and loaded into a fresh model gives the same outputs", async () => {
    manualSeed(1);
    const make = () => new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.BatchNorm1d(4), new nn.Linear(4, 2));
    const a = make();
    const b = make(); // different random init
    const state = a.stateDict();
    const bytes = await io.save(state);
    const loaded = io.load(bytes);
    expect(Object.keys(loaded).sort()).toEqual(Object.keys(state).sort());
    a.eval();
    b.eval();
    const x = randn([5, 3]);
    const before = b.forward(x);
    expect(await before.data()).not.toEqual(await a.forward(x).data()); // the load has work to do
    before.dispose();
    b.loadStateDict(loaded);
    const [ya, yb] = [a.forward(x), b.forward(x)];
    expect(await yb.data()).toEqual(await ya.data());
    for (const t of [...Object.values(state), ...Object.values(loaded), x, ya, yb]) t.dispose();
  });

  test("a tensor named '__proto__' is an ordinary key", async () => {
    const t = tensor([1]);
    const back = io.load(await io.save({ ['__proto__']: t } as Record<string, Tensor>));
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__']);
    t.dispose();
    Object.values(back).forEach((v) => v.dispose());
  });

  test('save rejects what it cannot write', async () => {
    const t = tensor([1]);
    const gone = tensor([2]);
    gone.dispose();
    await expect(io.save({ __metadata__: t })).rejects.toThrow(/'__metadata__' is reserved/);
    await expect(io.save({ w: [1, 2] as never })).rejects.toThrow(ValueError);
    await expect(io.save({ w: gone })).rejects.toThrow(/tensor 'w' was disposed/);
    await expect(io.save({ w: t }, { metadata: { k: 1 as never } })).rejects.toThrow(/metadata value for 'k' must be a string/);
    await expect(io.save(null as never)).rejects.toThrow(ValueError);
    t.dispose();
  });
});

describe('dtypes PyTorch writes that Logit widens', () => {
  test('I64 -> int32 when in range, ValueError naming tensor, element and value otherwise', async () => {
    const le64 = (vals: bigint[]): Uint8Array => {
      const b = new Uint8Array(8 * vals.length);
      vals.forEach((v, i) => new DataView(b.buffer).setBigInt64(8 * i, v, true));
      return b;
    };
    const ok = craft({ t: { dtype: 'I64', shape: [4], data_offsets: [0, 32] } }, le64([0n, -1n, 2147483647n, -2147483648n]));
    const { t } = io.load(ok);
    expect(t.dtype).toBe('int32');
    expect(await t.tolist()).toEqual([0, -1, 2147483647, -2147483648]);
    t.dispose();
    for (const bad of [2147483648n, -2147483649n, 4294967296n, -(2n ** 63n)]) {
      const file = craft({ labels: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, le64([1n, bad]));
      expectCleanThrow(() => io.load(file), ValueError, new RegExp(`tensor 'labels' \\(I64\\) holds ${bad} at element 1, outside the int32 range`));
    }
  });

  test('F16 and BF16 widen to float32 exactly (normals, subnormals, zeros, infinities, NaN)', () => {
    // [bits, value] pairs derived from the IEEE layouts
    const f16: [number, number][] = [[0x3c00, 1], [0xc000, -2], [0x0001, 2 ** -24], [0x03ff, 1023 * 2 ** -24], [0x0400, 2 ** -14],
      [0x7bff, 65504], [0x8000, -0], [0x7c00, Infinity], [0xfc00, -Infinity], [0x3555, 0.333251953125]];
    const bf16: [number, number][] = [[0x3f80, 1], [0xc049, -3.140625], [0x0001, 2 ** -133], [0x7f7f, 3.3895313892515355e38], [0x8000, -0], [0xff80, -Infinity]];
    for (const [st, pairs] of [['F16', f16], ['BF16', bf16]] as const) {
      const bytes = new Uint8Array(2 * pairs.length + 2);
      pairs.forEach(([b], i) => new DataView(bytes.buffer).setUint16(2 * i, b, true));
      new DataView(bytes.buffer).setUint16(2 * pairs.length, st === 'F16' ? 0x7e00 : 0x7fc0, true); // NaN
      for (const host of [true, false]) {
        const out = decode(st, bytes, pairs.length + 1, 'h', host);
        expect(out).toBeInstanceOf(Float32Array);
        expect(Array.from(out)).toEqual([...pairs.map(([, v]) => v), NaN]);
      }
    }
  });

  test('the big-endian host path decodes and encodes like the little-endian one', () => {
    const f32 = new Float32Array([1.5, -0, NaN, 3e38]);
    const f64 = new Float64Array([1 / 3, -1e-300]);
    const i32 = new Int32Array([-2147483648, 5]);
    for (const [st, arr] of [['F32', f32], ['F64', f64], ['I32', i32]] as const) {
      const le = encode(arr, true);
      expect(encode(arr, false)).toEqual(new Uint8Array(le));
      expect(decode(st, le, arr.length, 'x', false)).toEqual(arr);
      expect(decode(st, le, arr.length, 'x', true)).toEqual(arr);
    }
  });

  test('other safetensors dtypes are a DTypeError listing what Logit loads', () => {
    for (const dtype of ['U8', 'I8', 'I16', 'U16', 'U32', 'U64', 'F8_E4M3', 'F8_E5M2']) {
      const size = { U8: 1, I8: 1, I16: 2, U16: 2, U32: 4, U64: 8, F8_E4M3: 1, F8_E5M2: 1 }[dtype]!;
      const file = craft({ t: { dtype, shape: [2], data_offsets: [0, 2 * size] } }, new Uint8Array(2 * size));
      expectCleanThrow(() => io.load(file), DTypeError, new RegExp(`tensor 't' has dtype ${dtype}, which Logit cannot load \\(it loads F32, F64, I32, BOOL, I64, F16, BF16\\)`));
    }
  });
});
