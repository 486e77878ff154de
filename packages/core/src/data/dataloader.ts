import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { asyncTidySupported, tidy } from '../memory/scope.js';
import { randpermIndices } from '../ops/randperm.js';
import { collate, type Collated } from './collate.js';
import { isThenable, type Dataset } from './dataset.js';
import { checkOptions, type OptionKeys } from '../options.js';

/** Options of {@link DataLoader}. */
export interface DataLoaderOptions {
  /** Samples per batch. Default 1. */
  batchSize?: number;
  /** Draw a new order every epoch from the seeded generator (see manualSeed). Default false. */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than batchSize. Default false. */
  dropLast?: boolean;
}

const DATALOADER_OPTIONS: OptionKeys<DataLoaderOptions> = { batchSize: true, shuffle: true, dropLast: true };

/**
 * Iterates a dataset in batches, like torch.utils.data.DataLoader (single process, map-style).
 *
 * Each iteration over the loader is one epoch. With `shuffle`, the order is a random permutation
 * drawn from the seeded Philox generator when the epoch starts, so it is the same on every
 * backend and changes from epoch to epoch. Batches are collated by stacking samples; a
 * TensorDataset (or a Subset of one) is batched with one indexSelect per tensor.
 *
 * Options: batchSize = 1, shuffle = false, dropLast = false.
 *
 * Length: the number of batches, ceil(N / batchSize), or floor(N / batchSize) with dropLast.
 *
 * Memory: every batch is a set of new tensors that the caller owns. Dispose them after the step,
 * or run the step (or the whole epoch) in `tidy`:
 *
 *   const x = randn([100, 4]);
 *   const y = randn([100, 1]);
 *   const w = zeros([4, 1], { requiresGrad: true });
 *   const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 32, shuffle: true });
 *   for (let epoch = 0; epoch < 3; epoch++) {
 *     tidy(() => {                                // frees every batch and intermediate of the epoch
 *       for (const [xb, yb] of loader) {          // `for await` works too, and is needed when
 *         w.grad = null;                          // dataset.get() returns a Promise
 *         xb.matmul(w).sub(yb).square().mean().backward();
 *         noGrad(() => w.sub_(w.grad!.mul(0.1)));
 *       }
 *     });
 *   }
 */
export class DataLoader<T = Tensor[]> implements Iterable<Collated<T>>, AsyncIterable<Collated<T>> {
  /** Samples per batch. */
  readonly batchSize: number;
  /** Whether each epoch draws a new order. */
  readonly shuffle: boolean;
  /** Whether a last, smaller batch is dropped. */
  readonly dropLast: boolean;

  /**
   * @param dataset - The dataset to batch (see {@link Dataset}).
   * @param opts - batchSize (default 1), shuffle (default false), dropLast (default false).
   */
  constructor(readonly dataset: Dataset<T>, opts: DataLoaderOptions = {}) {
    if (dataset === null || typeof dataset !== 'object' || typeof dataset.get !== 'function') {
      throw new ValueError('DataLoader: dataset must have a get(index) method and a length');
    }
    if (!Number.isInteger(dataset.length) || dataset.length < 0) {
      throw new ValueError(`DataLoader: dataset.length must be a non-negative integer, got ${dataset.length}`);
    }
    const { batchSize = 1, shuffle = false, dropLast = false } = checkOptions('DataLoader', opts, DATALOADER_OPTIONS);
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ValueError(`DataLoader: batchSize should be a positive integer value, but got batchSize=${batchSize}`);
    }
    if (typeof shuffle !== 'boolean') throw new ValueError(`DataLoader: shuffle must be a boolean, got ${shuffle}`);
    if (typeof dropLast !== 'boolean') throw new ValueError(`DataLoader: dropLast must be a boolean, got ${dropLast}`);
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
  }

  /** The number of batches in an epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The index lists of one epoch; draws the shuffle permutation once, here. */
  private epochBatches(): Int32Array[] {
    const n = this.dataset.length;
    const order = this.shuffle ? randpermIndices(n, 'DataLoader') : Int32Array.from({ length: n }, (_, i) => i);
    const out: Int32Array[] = [];
    for (let b = 0; b < this.length; b++) out.push(order.subarray(b * this.batchSize, Math.min((b + 1) * this.batchSize, n)));
    return out;
  }

  /** One epoch of batches (`for (const [x, y] of loader)`); every `get` must be synchronous. */
  *[Symbol.iterator](): Iterator<Collated<T>> {
    for (const indices of this.epochBatches()) yield this.batchSync(indices);
  }

  /** One epoch of batches with `for await`, for datasets whose `get` returns promises. */
  async *[Symbol.asyncIterator](): AsyncIterator<Collated<T>> {
    for (const indices of this.epochBatches()) {
      yield this.dataset.getBatch ? this.batchSync(indices) : await this.batchAsync(indices);
    }
  }

  private batchSync(indices: Int32Array): Collated<T> {
    const ds = this.dataset;
    if (ds.getBatch) return tidy(() => ds.getBatch!(indices));
    return tidy(() => {
      const samples = Array.from(indices, (i) => {
        const s = ds.get(i);
        if (isThenable(s)) {
          throw new ValueError('DataLoader: dataset.get() returned a Promise; iterate with `for await (const batch of loader)`');
        }
        return s;
      });
      return collate(samples, 'DataLoader');
    });
  }

  // The samples are awaited inside one async tidy scope, so temporaries made by get() are freed
  // once stacked. Where the platform cannot follow async code (browsers: see tidy), what get()
  // makes is left to the dataset, and only the stacking is tidied.
  private batchAsync(indices: Int32Array): Promise<Collated<T>> {
    const gather = async (): Promise<T[]> => {
      const samples: T[] = [];
      for (const i of indices) samples.push(await this.dataset.get(i));
      return samples;
    };
    if (!asyncTidySupported()) return gather().then((samples) => tidy(() => collate(samples, 'DataLoader')));
    return tidy(async () => collate(await gather(), 'DataLoader'));
  }
}
