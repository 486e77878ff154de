import { ValueError } from '../errors.js';
import { bytesPerElement, type TypedArray } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { LITTLE_ENDIAN_HOST, SAVED_AS, encode } from './dtypes.js';
import { checkOptions, type OptionKeys } from '../options.js';

export interface SaveOptions {
  /** Free-form string pairs stored as the header's `__metadata__`. */
  metadata?: Record<string, string>;
}

function entriesOf(stateDict: Record<string, Tensor> | Map<string, Tensor>): [string, Tensor][] {
  if (stateDict instanceof Map) return [...stateDict.entries()];
  if (stateDict !== null && typeof stateDict === 'object' && !Array.isArray(stateDict)) return Object.entries(stateDict);
  throw new ValueError('io.save: expected a state dict (an object or a Map of name -> Tensor)');
}

function checkMetadata(metadata: unknown): Record<string, string> | undefined {
  if (metadata === undefined) return undefined;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new ValueError('io.save: metadata must be an object of string values');
  }
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new ValueError(`io.save: metadata value for '${k}' must be a string, got ${typeof v}`);
  }
  return { ...(metadata as Record<string, string>) };
}

/**
 * Serializes a state dict in the safetensors format, readable by PyTorch
 * (safetensors.torch.load) and by io.load, like safetensors.torch.save.
 *
 * Layout: an 8-byte little-endian header length; a JSON header
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__? }` padded with spaces to
 * a multiple of 8 bytes; then the tensors' little-endian bytes, contiguous. Tensors are stored
 * largest element size first, then by name (the reference implementation's order), so every
 * tensor starts aligned to its element size.
 *
 * dtypes: float32 -> F32, float64 -> F64, int32 -> I32, bool -> BOOL.
 *
 *   const bytes = await io.save(model.stateDict());
 *   model.loadStateDict(io.load(bytes));
 */
export async function save(stateDict: Record<string, Tensor> | Map<string, Tensor>, opts: SaveOptions = {}): Promise<Uint8Array> {
  const entries = entriesOf(stateDict);
  const metadata = checkMetadata(checkOptions('io.save', opts, { metadata: true }).metadata);
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new ValueError("io.save: '__metadata__' is reserved by the format and cannot name a tensor");
    if (!(t instanceof Tensor)) throw new ValueError(`io.save: value for '${name}' is not a Tensor`);
    if (t.isDisposed) throw new ValueError(`io.save: tensor '${name}' was disposed`);
  }
  entries.sort(([na, a], [nb, b]) => bytesPerElement(b.dtype) - bytesPerElement(a.dtype) || (na < nb ? -1 : na > nb ? 1 : 0));
  const data: TypedArray[] = await Promise.all(entries.map(([, t]) => t.data()));

  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let at = 0;
  entries.forEach(([name, t], i) => {
    const info = { dtype: SAVED_AS[t.dtype], shape: t.shape.slice(), data_offsets: [at, (at += data[i].byteLength)] };
    Object.defineProperty(header, name, { value: info, enumerable: true, writable: true, configurable: true });
  });
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.byteLength / 8) * 8; // pad with spaces so the data starts 8-aligned

  const out = new Uint8Array(8 + headerLength + at);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.byteLength, 8 + headerLength);
  let pos = 8 + headerLength;
  for (const d of data) {
    out.set(encode(d, LITTLE_ENDIAN_HOST), pos);
    pos += d.byteLength;
  }
  return out;
}
