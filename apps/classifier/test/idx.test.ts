import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { DataFormatError, encodeIdx, parseIdx } from '../src/lib/idx.js';
import { loadIdxFolder, readIdxFile } from '../src/node/idx-files.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(name = 'idx'): string {
  const d = mkdtempSync(join(tmpdir(), `classifier-${name}-`));
  dirs.push(d);
  return d;
}

/** Hand-written IDX bytes: the header spelled out byte by byte, independent of encodeIdx. */
function idxBytes(header: number[], data: number[]): Uint8Array {
  return Uint8Array.from([...header, ...data]);
}

/** n images of 3x2 pixels whose values encode (image, pixel), labels i % 10. */
function smallSet(n: number): { images: Uint8Array; labels: Uint8Array } {
  return {
    images: Uint8Array.from({ length: n * 6 }, (_, i) => (Math.floor(i / 6) * 7 + (i % 6)) % 256),
    labels: Uint8Array.from({ length: n }, (_, i) => i % 10),
  };
}

function writeFolder(dir: string, opts: { gzip: boolean; dotted?: boolean; train?: number; test?: number }): void {
  const name = (stem: string): string => (opts.dotted ? stem.replace(/-(idx\d-ubyte)$/, '.$1') : stem) + (opts.gzip ? '.gz' : '');
  const put = (stem: string, bytes: Uint8Array): void => writeFileSync(join(dir, name(stem)), opts.gzip ? gzipSync(bytes) : bytes);
  for (const [prefix, n] of [['train', opts.train ?? 12], ['t10k', opts.test ?? 5]] as const) {
    const s = smallSet(n);
    put(`${prefix}-images-idx3-ubyte`, encodeIdx([n, 3, 2], s.images));
    put(`${prefix}-labels-idx1-ubyte`, encodeIdx([n], s.labels));
  }
}

describe('parseIdx', () => {
  it('reads the header and data of a hand-written file', () => {
    // magic 00 00 08 03, dims 2 x 1 x 3 big-endian, then 6 bytes
    const bytes = idxBytes([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 3], [1, 2, 3, 250, 251, 252]);
    const a = parseIdx(bytes, 'f');
    expect(a.dims).toEqual([2, 1, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 250, 251, 252]);
  });

  it('reads big-endian dimensions above 255 (MNIST has 60000 = 0x0000EA60)', () => {
    const a = parseIdx(idxBytes([0, 0, 8, 1, 0, 0, 0x01, 0x02], new Array(258).fill(9)), 'f');
    expect(a.dims).toEqual([258]);
    expect(a.data.length).toBe(258);
  });

  it('round-trips through encodeIdx byte for byte', () => {
    const bytes = idxBytes([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 2], [5, 6, 7, 8]);
    const a = parseIdx(bytes, 'f');
    expect(Array.from(encodeIdx(a.dims, a.data))).toEqual(Array.from(bytes));
  });

  const bad: [string, Uint8Array, RegExp][] = [
    ['empty', new Uint8Array(0), /f: truncated: 0 bytes is shorter than the 4-byte IDX magic number/],
    ['bad magic', idxBytes([0x50, 0x4b, 3, 4], []), /f: not an IDX file: the magic number starts 50 4b 03 04/],
    ['gzip bytes', idxBytes([0x1f, 0x8b, 8, 0], []), /f: this is gzip data; gunzip it first/],
    ['float elements', idxBytes([0, 0, 0x0d, 1, 0, 0, 0, 1], [0, 0, 0, 0]), /IDX element type 0xd \(float\) is not supported/],
    ['zero dims', idxBytes([0, 0, 8, 0], []), /declares 0 dimensions/],
    ['truncated header', idxBytes([0, 0, 8, 3, 0, 0, 0, 2, 0, 0], []), /truncated: the header needs 16 bytes for 3 dimensions, the file has 10/],
    ['truncated data', idxBytes([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3], [1, 2, 3, 4, 5]), /truncated: dimensions \[2, 3\] need 6 data bytes, the file has 5/],
    ['trailing bytes', idxBytes([0, 0, 8, 1, 0, 0, 0, 2], [1, 2, 3]), /1 unexpected bytes after the data of dimensions \[2\]/],
  ];
  it.each(bad)('rejects %s with a DataFormatError that names the file', (_, bytes, message) => {
    expect(() => parseIdx(bytes, 'f')).toThrow(DataFormatError);
    expect(() => parseIdx(bytes, 'f')).toThrow(message);
  });
});

describe('loadIdxFolder', () => {
  it.each([
    ['gzipped', { gzip: true }],
    ['plain', { gzip: false }],
    ['plain, dotted names (train-images.idx3-ubyte)', { gzip: false, dotted: true }],
  ])('loads the four MNIST files, %s', (_, opts) => {
    const dir = tempDir();
    writeFolder(dir, opts);
    const f = loadIdxFolder(dir);
    const expected = smallSet(12);
    expect([f.train.count, f.train.rows, f.train.cols, f.test.count]).toEqual([12, 3, 2, 5]);
    expect(Array.from(f.train.images)).toEqual(Array.from(expected.images));
    expect(Array.from(f.train.labels)).toEqual(Array.from(expected.labels));
    expect(Array.from(f.test.labels)).toEqual([0, 1, 2, 3, 4]);
    expect(f.classNames[0]).toBe('0');
    expect(f.name).toMatch(/^mnist \(.*, 12 train \+ 5 test\)$/);
  });

  it('names Fashion-MNIST classes when the folder says fashion', () => {
    const dir = join(tempDir(), 'fashion-mnist');
    mkdirSync(dir);
    writeFolder(dir, { gzip: true });
    const f = loadIdxFolder(dir);
    expect(f.classNames[0]).toBe('T-shirt/top');
    expect(f.classNames[9]).toBe('Ankle boot');
  });

  it('says which file is missing', () => {
    const dir = tempDir();
    writeFolder(dir, { gzip: true });
    rmSync(join(dir, 't10k-labels-idx1-ubyte.gz'));
    expect(() => loadIdxFolder(dir)).toThrow(/no t10k-labels-idx1-ubyte\[\.gz\]/);
  });

  it('rejects a truncated gzip file, naming it', () => {
    const dir = tempDir();
    writeFolder(dir, { gzip: true });
    const path = join(dir, 'train-images-idx3-ubyte.gz');
    const gz = gzipSync(encodeIdx([12, 3, 2], smallSet(12).images));
    writeFileSync(path, gz.subarray(0, gz.length - 10));
    expect(() => loadIdxFolder(dir)).toThrow(DataFormatError);
    expect(() => loadIdxFolder(dir)).toThrow(/train-images-idx3-ubyte\.gz: corrupt or truncated gzip data/);
  });

  it('rejects a corrupt gzip stream', () => {
    const dir = tempDir();
    const gz = gzipSync(encodeIdx([4], Uint8Array.from([1, 2, 3, 4])));
    gz[12] ^= 0xff;
    gz[13] ^= 0xff;
    writeFileSync(join(dir, 'x.gz'), gz);
    expect(() => readIdxFile(join(dir, 'x.gz'))).toThrow(/x\.gz: corrupt or truncated gzip data/);
  });

  it('rejects a truncated plain images file (whole gzip of a short file too)', () => {
    const dir = tempDir();
    writeFolder(dir, { gzip: true });
    const short = encodeIdx([12, 3, 2], smallSet(12).images).subarray(0, 16 + 70);
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(short));
    expect(() => loadIdxFolder(dir)).toThrow(/train-images-idx3-ubyte\.gz: truncated: dimensions \[12, 3, 2\] need 72 data bytes, the file has 70/);
  });

  it('rejects labels that do not match the images', () => {
    const dir = tempDir();
    writeFolder(dir, { gzip: false });
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), encodeIdx([11], smallSet(11).labels));
    expect(() => loadIdxFolder(dir)).toThrow(/train-labels-idx1-ubyte has 11 labels but .*train-images-idx3-ubyte has 12 images/);
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), encodeIdx([12], Uint8Array.from({ length: 12 }, (_, i) => (i === 4 ? 10 : 0))));
    expect(() => loadIdxFolder(dir)).toThrow(/label 10 at index 4 is not a class index in 0\.\.9/);
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), encodeIdx([12, 1], new Uint8Array(12)));
    expect(() => loadIdxFolder(dir)).toThrow(/expected 1 dimension \(count\), got \[12, 1\]/);
  });

  it('rejects a folder that does not exist', () => {
    expect(() => loadIdxFolder(join(tmpdir(), 'no-such-classifier-folder'))).toThrow(/no such folder/);
  });
});
