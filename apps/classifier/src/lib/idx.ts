import type { ImageSet } from './images.js';

/**
 * The IDX format of the MNIST files (http://yann.lecun.com/exdb/mnist/): two zero bytes, a type
 * byte (0x08 = unsigned byte, the only one MNIST and Fashion-MNIST use), the number of
 * dimensions, each dimension as a big-endian uint32, then the data row-major.
 */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** A file that is not what it should be; the message names the file and what is wrong. */
export class DataFormatError extends Error {
  override name = 'DataFormatError';
}

const TYPE_NAMES: Record<number, string> = { 0x08: 'ubyte', 0x09: 'byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double' };

/** Parses one IDX file's bytes (already gunzipped); `file` names it in errors. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new DataFormatError(`${file}: this is gzip data; gunzip it first (the Node loader does this for *.gz files)`);
  }
  if (bytes.length < 4) throw new DataFormatError(`${file}: truncated: ${bytes.length} bytes is shorter than the 4-byte IDX magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DataFormatError(`${file}: not an IDX file: the magic number starts ${magic}, expected 00 00 08 <dims>`);
  }
  const type = bytes[2];
  if (type !== 0x08) {
    throw new DataFormatError(`${file}: IDX element type 0x${type.toString(16)} (${TYPE_NAMES[type] ?? 'unknown'}) is not supported; MNIST files hold unsigned bytes (0x08)`);
  }
  const ndim = bytes[3];
  if (ndim === 0) throw new DataFormatError(`${file}: the IDX header declares 0 dimensions`);
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    throw new DataFormatError(`${file}: truncated: the header needs ${headerBytes} bytes for ${ndim} dimensions, the file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const have = bytes.length - headerBytes;
  if (have < size) {
    throw new DataFormatError(`${file}: truncated: dimensions [${dims.join(', ')}] need ${size} data bytes, the file has ${have}`);
  }
  if (have > size) {
    throw new DataFormatError(`${file}: ${have - size} unexpected bytes after the data of dimensions [${dims.join(', ')}]`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Writes an IDX file of unsigned bytes (used by the tests and to ship the embedded digits to the browser). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** Pairs an images file (N x rows x cols) with its labels file (N), checking they agree. */
export function imageSetFromIdx(images: IdxArray, labels: IdxArray, names: { images: string; labels: string }, numClasses = 10): ImageSet {
  if (images.dims.length !== 3) {
    throw new DataFormatError(`${names.images}: expected 3 dimensions (count, rows, cols), got [${images.dims.join(', ')}]`);
  }
  if (labels.dims.length !== 1) {
    throw new DataFormatError(`${names.labels}: expected 1 dimension (count), got [${labels.dims.join(', ')}]`);
  }
  const [count, rows, cols] = images.dims;
  if (labels.dims[0] !== count) {
    throw new DataFormatError(`${names.labels} has ${labels.dims[0]} labels but ${names.images} has ${count} images`);
  }
  const bad = labels.data.findIndex((l) => l >= numClasses);
  if (bad >= 0) throw new DataFormatError(`${names.labels}: label ${labels.data[bad]} at index ${bad} is not a class index in 0..${numClasses - 1}`);
  return { images: images.data, labels: labels.data, count, rows, cols };
}
