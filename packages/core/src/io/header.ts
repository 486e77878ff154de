import { DTypeError, ValueError } from '../errors.js';
import { LOADABLE, SAFETENSORS_DTYPES } from './dtypes.js';

/** The reference implementation's cap: a header this large is an attack, not a model. */
export const MAX_HEADER_BYTES = 100_000_000;
/** The most elements one tensor may have (typed-array lengths and int32 indexing). */
export const MAX_ELEMENTS = 2 ** 31 - 1;

export interface HeaderEntry {
  name: string;
  /** safetensors dtype name, e.g. 'F32' */
  dtype: string;
  shape: number[];
  numel: number;
  /** byte offsets into the data region, begin inclusive, end exclusive */
  begin: number;
  end: number;
}

export interface ParsedHeader {
  /** In the header's key order. */
  entries: HeaderEntry[];
  metadata: Record<string, string> | null;
  /** Where the data region starts in the file: 8 + header length. */
  dataStart: number;
}

function fail(problem: string): never {
  throw new ValueError(`io.load: invalid safetensors file: ${problem}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Parses and fully validates a safetensors header, touching no tensor data: sizes, dtypes,
 * shapes, and that the tensors' byte ranges tile the data region exactly (no overlap, no gap,
 * nothing past the end). Everything a loader then allocates is bounded by the file's size.
 */
export function parseHeader(bytes: Uint8Array): ParsedHeader {
  if (bytes.byteLength < 8) fail(`the file is ${bytes.byteLength} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) fail(`header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const n = Number(headerLength);
  if (8 + n > bytes.byteLength) fail(`header length ${n} goes past the end of the file (${bytes.byteLength} bytes)`);

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    fail('the header is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(json)) fail(`the header must be a JSON object, got ${Array.isArray(json) ? 'an array' : JSON.stringify(json)}`);

  const dataLength = bytes.byteLength - 8 - n;
  let metadata: Record<string, string> | null = null;
  const entries: HeaderEntry[] = [];
  for (const [name, info] of Object.entries(json)) {
    if (name === '__metadata__') metadata = checkMetadata(info);
    else entries.push(checkEntry(name, info, dataLength));
  }
  checkCoverage(entries, dataLength);
  return { entries, metadata, dataStart: 8 + n };
}

function checkMetadata(info: unknown): Record<string, string> {
  if (!isObject(info)) fail('__metadata__ must be an object of strings');
  for (const [k, v] of Object.entries(info)) {
    if (typeof v !== 'string') fail(`__metadata__ value for '${k}' must be a string, got ${JSON.stringify(v)}`);
  }
  return { ...(info as Record<string, string>) };
}

function checkEntry(name: string, info: unknown, dataLength: number): HeaderEntry {
  const where = `tensor '${name}'`;
  if (!isObject(info)) fail(`${where}: header entry must be an object with dtype, shape and data_offsets`);
  const { dtype, shape, data_offsets: offsets } = info;
  if (typeof dtype !== 'string' || !(dtype in SAFETENSORS_DTYPES)) {
    fail(`${where}: unknown dtype ${JSON.stringify(dtype)} (safetensors dtypes are ${Object.keys(SAFETENSORS_DTYPES).join(', ')})`);
  }
  if (!Array.isArray(shape)) fail(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  let numel = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      fail(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    // dims are checked one by one so the product never leaves the exact range of a double
    if (d > MAX_ELEMENTS) fail(`${where}: dimension ${d} in shape [${shape.join(', ')}] exceeds ${MAX_ELEMENTS}`);
    numel *= d;
    if (numel > MAX_ELEMENTS && !shape.includes(0)) {
      fail(`${where}: shape [${shape.join(', ')}] has more than ${MAX_ELEMENTS} elements`);
    }
  }
  if (shape.includes(0)) numel = 0;
  if (
    !Array.isArray(offsets) || offsets.length !== 2 ||
    !offsets.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) || offsets[0] > offsets[1]
  ) {
    fail(`${where}: data_offsets must be [begin, end] with integers 0 <= begin <= end, got ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataLength) fail(`${where}: data_offsets [${begin}, ${end}] are out of range of the ${dataLength}-byte data region`);
  const need = numel * SAFETENSORS_DTYPES[dtype];
  if (end - begin !== need) {
    fail(`${where}: dtype ${dtype} and shape [${shape.join(', ')}] need ${need} bytes, but data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  if (!(dtype in LOADABLE)) {
    throw new DTypeError(`io.load: ${where} has dtype ${dtype}, which Logit cannot load (it loads ${Object.keys(LOADABLE).join(', ')})`);
  }
  return { name, dtype, shape: shape.slice(), numel, begin, end };
}

/** The spec requires the tensors' byte ranges to cover the data region contiguously. */
function checkCoverage(entries: HeaderEntry[], dataLength: number): void {
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let prev: HeaderEntry | null = null;
  for (const e of sorted) {
    if (e.begin < at) fail(`tensors '${prev!.name}' [${prev!.begin}, ${prev!.end}] and '${e.name}' [${e.begin}, ${e.end}] overlap`);
    if (e.begin > at) {
      fail(`bytes [${at}, ${e.begin}) of the data region belong to no tensor (the tensors must cover it contiguously)`);
    }
    at = e.end;
    prev = e;
  }
  if (at !== dataLength) fail(`bytes [${at}, ${dataLength}) at the end of the data region belong to no tensor`);
}
