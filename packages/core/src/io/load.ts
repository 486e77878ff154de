import type { Backend } from '../backend/types.js';
import { getBackend } from '../backend/registry.js';
import { ValueError } from '../errors.js';
import type { TypedArray } from '../dtype.js';
import { checkBackendDType, wrap } from '../ops/dispatch.js';
import type { Tensor } from '../tensor.js';
import { LITTLE_ENDIAN_HOST, LOADABLE, decode } from './dtypes.js';
import { parseHeader } from './header.js';
import { checkOptions, type OptionKeys } from '../options.js';

/** Options of {@link load}. */
export interface LoadOptions {
  /** The backend the tensors are created on. Default: the current backend (getBackend()). */
  backend?: Backend;
}

function asBytes(bytes: Uint8Array | ArrayBuffer): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new ValueError(`io.load: expected a Uint8Array or an ArrayBuffer, got ${bytes === null ? 'null' : typeof bytes}`);
}

/**
 * Loads a state dict from safetensors bytes (as written by io.save, or by PyTorch's
 * safetensors.torch.save_file), like safetensors.torch.load.
 *
 * dtypes: F32 -> float32, F64 -> float64, I32 -> int32, BOOL -> bool; I64 (PyTorch's class
 * indices) -> int32 when every value fits, else a ValueError; F16 and BF16 -> float32 (exact).
 * Other safetensors dtypes are a DTypeError.
 *
 * The whole header is validated before anything is allocated, so a truncated or malicious file
 * is a ValueError naming the problem and never a huge allocation.
 *
 *   const state = io.load(new Uint8Array(await (await fetch('model.safetensors')).arrayBuffer()));
 *   model.loadStateDict(state);
 */
export function load(bytes: Uint8Array | ArrayBuffer, opts: LoadOptions = {}): Record<string, Tensor> {
  const be = checkOptions('io.load', opts, { backend: true }).backend ?? getBackend();
  const buf = asBytes(bytes);
  const { entries, dataStart } = parseHeader(buf);
  for (const e of entries) checkBackendDType('io.load', be, LOADABLE[e.dtype]);
  // decode everything first: an I64 value out of range fails before any tensor exists
  const host: TypedArray[] = entries.map((e) =>
    decode(e.dtype, buf.subarray(dataStart + e.begin, dataStart + e.end), e.numel, e.name, LITTLE_ENDIAN_HOST),
  );
  const out: Record<string, Tensor> = {};
  const made: Tensor[] = [];
  try {
    entries.forEach((e, i) => {
      const dtype = LOADABLE[e.dtype];
      const storage = be.alloc(dtype, e.numel);
      const t = wrap(be, storage, e.shape, dtype);
      made.push(t);
      be.write(storage, host[i]);
      // defineProperty: a tensor named '__proto__' is an ordinary key, not a prototype
      Object.defineProperty(out, e.name, { value: t, enumerable: true, writable: true, configurable: true });
    });
  } catch (err) {
    for (const t of made) t.dispose();
    throw err;
  }
  return out;
}

/** The `__metadata__` of a safetensors file (string to string), or {} when it has none. */
export function loadMetadata(bytes: Uint8Array | ArrayBuffer): Record<string, string> {
  return parseHeader(asBytes(bytes)).metadata ?? {};
}
