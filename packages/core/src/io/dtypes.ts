import { ValueError } from '../errors.js';
import { newArray, type DType, type TypedArray } from '../dtype.js';

/** Every dtype name the safetensors format defines, with its size in bytes. */
export const SAFETENSORS_DTYPES: Readonly<Record<string, number>> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
};

/** The safetensors dtypes Logit reads, and the dtype each becomes. */
export const LOADABLE: Readonly<Record<string, DType>> = {
  F32: 'float32', F64: 'float64', I32: 'int32', BOOL: 'bool',
  I64: 'int32', // PyTorch's class indices; range-checked
  F16: 'float32', BF16: 'float32', // widened exactly
};

/** What each Logit dtype is written as. */
export const SAVED_AS: Readonly<Record<DType, string>> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };

export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // zero and subnormals
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Decodes the little-endian bytes of one tensor (already checked to be numel * itemsize long)
 * into the typed array of the dtype it loads as. `littleEndianHost` is a parameter so both paths
 * are testable; callers pass LITTLE_ENDIAN_HOST.
 */
export function decode(st: string, bytes: Uint8Array, numel: number, name: string, littleEndianHost: boolean): TypedArray {
  const out = newArray(LOADABLE[st], numel);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (st) {
    case 'F32':
    case 'F64':
    case 'I32':
      if (littleEndianHost) new Uint8Array(out.buffer).set(bytes);
      else for (let i = 0; i < numel; i++) out[i] = st === 'F32' ? view.getFloat32(4 * i, true) : st === 'F64' ? view.getFloat64(8 * i, true) : view.getInt32(4 * i, true);
      return out;
    case 'BOOL':
      for (let i = 0; i < numel; i++) out[i] = bytes[i] ? 1 : 0;
      return out;
    case 'F16':
      for (let i = 0; i < numel; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      return out;
    case 'BF16': {
      // bfloat16 is the top half of a float32: shift its bits into place
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < numel; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      return out;
    }
    case 'I64':
      for (let i = 0; i < numel; i++) {
        const lo = view.getUint32(8 * i, true);
        const hi = view.getInt32(8 * i + 4, true);
        if (hi !== (lo | 0) >> 31) {
          const value = (BigInt(hi) << 32n) | BigInt(lo);
          throw new ValueError(
            `io.load: tensor '${name}' (I64) holds ${value} at element ${i}, outside the int32 range [-2147483648, 2147483647] it is loaded as`,
          );
        }
        out[i] = lo | 0;
      }
      return out;
    default:
      throw new ValueError(`io.load: no decoder for dtype ${st}`);
  }
}

/** The little-endian bytes of a tensor's data, for writing. */
export function encode(data: TypedArray, littleEndianHost: boolean): Uint8Array {
  if (littleEndianHost || data instanceof Uint8Array) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float32Array) view.setFloat32(4 * i, data[i], true);
    else if (data instanceof Float64Array) view.setFloat64(8 * i, data[i], true);
    else view.setInt32(4 * i, data[i], true);
  }
  return out;
}
