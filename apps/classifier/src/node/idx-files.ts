import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataFormatError, imageSetFromIdx, parseIdx, type IdxArray } from '../lib/idx.js';
import { DIGIT_CLASSES, FASHION_CLASSES, type ImageSet } from '../lib/images.js';
import { reasonOf } from './errors.js';

/** The four files of MNIST and Fashion-MNIST, under either naming found in the wild. */
const FILES = {
  trainImages: ['train-images-idx3-ubyte', 'train-images.idx3-ubyte'],
  trainLabels: ['train-labels-idx1-ubyte', 'train-labels.idx1-ubyte'],
  testImages: ['t10k-images-idx3-ubyte', 't10k-images.idx3-ubyte'],
  testLabels: ['t10k-labels-idx1-ubyte', 't10k-labels.idx1-ubyte'],
} as const;

/** Reads one IDX file, gunzipping it when it is gzip data (by its magic bytes, whatever the name). */
export function readIdxFile(path: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new DataFormatError(`${path}: cannot read it (${reasonOf(e)})`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new DataFormatError(`${path}: corrupt or truncated gzip data (${(e as Error).message})`);
    }
  }
  return parseIdx(bytes, path);
}

function findFile(dir: string, stems: readonly string[]): string {
  for (const stem of stems) {
    for (const name of [stem, `${stem}.gz`]) {
      const p = join(dir, name);
      if (existsSync(p)) return p;
    }
  }
  throw new DataFormatError(`${dir}: no ${stems[0]}[.gz] (or ${stems.slice(1).join(', ')}) in this folder; expected the four MNIST IDX files`);
}

export interface IdxFolder {
  name: string;
  classNames: readonly string[];
  train: ImageSet;
  test: ImageSet;
}

/**
 * Loads MNIST or Fashion-MNIST from a folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each gzipped or not. A folder whose name
 * contains "fashion" gets Fashion-MNIST's class names.
 */
export function loadIdxFolder(dir: string): IdxFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new DataFormatError(`${dir}: no such folder`);
  const pair = (images: readonly string[], labels: readonly string[]): ImageSet => {
    const [ip, lp] = [findFile(dir, images), findFile(dir, labels)];
    const set = imageSetFromIdx(readIdxFile(ip), readIdxFile(lp), { images: ip, labels: lp });
    if (set.count === 0) throw new DataFormatError(`${ip}: holds no images`);
    return set;
  };
  const train = pair(FILES.trainImages, FILES.trainLabels);
  const test = pair(FILES.testImages, FILES.testLabels);
  if (train.rows !== test.rows || train.cols !== test.cols) {
    throw new DataFormatError(`${dir}: training images are ${train.rows}x${train.cols} but test images are ${test.rows}x${test.cols}`);
  }
  const fashion = /fashion/i.test(basename(dir.replace(/[\\/]+$/, '')));
  return {
    name: `${fashion ? 'fashion-mnist' : 'mnist'} (${dir}, ${train.count.toLocaleString('en-US')} train + ${test.count.toLocaleString('en-US')} test)`,
    classNames: fashion ? FASHION_CLASSES : DIGIT_CLASSES,
    train,
    test,
  };
}
