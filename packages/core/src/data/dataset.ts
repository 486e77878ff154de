import { IndexError, ShapeError, ValueError } from '../errors.js';
import { fmt } from '../shape.js';
import { Tensor } from '../tensor.js';
import { fromHost } from '../ops/dispatch.js';
import { tidy } from '../memory/scope.js';
import type { Collated } from './collate.js';

/**
 * A map-style dataset, like torch.utils.data.Dataset: `length` samples, `get(i)` the i-th.
 * `get` may return a promise (data read lazily, e.g. fetched); DataLoader then has to be
 * iterated with `for await`.
 *
 * `getBatch(indices)`, when present, returns the already collated batch for those indices in one
 * go (TensorDataset does it with one indexSelect per tensor instead of stacking rows).
 */
export interface Dataset<T = Tensor[]> {
  /** The number of samples. */
  readonly length: number;
  /** Sample `index` (negative counts from the end), or a promise of it. */
  get(index: number): T | Promise<T>;
  /** The samples at `indices`, already collated into one batch. */
  getBatch?(indices: ArrayLike<number>): Collated<T>;
}

function checkIndex(op: string, index: number, length: number): number {
  if (!Number.isInteger(index) || index < -length || index >= length) {
    throw new IndexError(`${op}: index ${index} is out of range for a dataset of length ${length}`);
  }
  return index < 0 ? index + length : index;
}

/**
 * Dataset wrapping tensors, like torch.utils.data.TensorDataset: sample i is the i-th row of
 * each tensor.
 *
 * Inputs: one or more tensors that share their first dimension N.
 *
 * Shape: tensor k of shape (N, *S_k) gives samples `[row_1, ..., row_k]` with row_k of shape S_k.
 *
 *   const x = randn([100, 4]);
 *   const y = randn([100, 1]);
 *   const ds = new data.TensorDataset(x, y);
 *   const [xi, yi] = ds.get(3);                  // xi: [4], yi: [1]
 *   const w = zeros([4, 1], { requiresGrad: true });
 *   tidy(() => xi.unsqueeze(0).matmul(w).sub(yi).square().sum().backward());
 *
 * The dataset holds the tensors you pass (it does not copy or dispose them); `get` and `getBatch`
 * return new tensors that the caller owns.
 */
export class TensorDataset implements Dataset<Tensor[]> {
  /** The tensors, as passed (not copied). */
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new ValueError('TensorDataset: expected at least one tensor');
    for (const [k, t] of tensors.entries()) {
      if (!(t instanceof Tensor)) throw new ValueError(`TensorDataset: argument ${k} is not a Tensor`);
      if (t.ndim === 0) throw new ShapeError(`TensorDataset: tensor ${k} is 0-d; every tensor needs a first dimension to index`);
      if (t.shape[0] !== tensors[0].shape[0]) {
        throw new ShapeError(
          `TensorDataset: size mismatch between tensors: tensor 0 has shape ${fmt(tensors[0].shape)}, ` +
            `tensor ${k} has shape ${fmt(t.shape)} (expected the same first dimension)`,
        );
      }
    }
    this.tensors = tensors.slice();
  }

  /** N: the first dimension the tensors share. */
  get length(): number {
    return this.tensors[0].shape[0];
  }

  /** Row `index` of every tensor, as new tensors the caller owns. */
  get(index: number): Tensor[] {
    const i = checkIndex('TensorDataset.get', index, this.length);
    return this.tensors.map((t) => t.select(0, i));
  }

  /** Rows `indices` of every tensor, one indexSelect each. */
  getBatch(indices: ArrayLike<number>): Tensor[] {
    const n = this.length;
    const idx = Int32Array.from(indices, (v) => checkIndex('TensorDataset.getBatch', v, n));
    return tidy(() => {
      const be = this.tensors[0]._ref().backend;
      const index = fromHost(idx, [idx.length], 'int32', be, 'TensorDataset.getBatch');
      return this.tensors.map((t) => t.indexSelect(0, index));
    });
  }
}

/**
 * The samples of `dataset` at `indices`, in that order, like torch.utils.data.Subset.
 *
 *   const firstTen = new data.Subset(ds, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
 */
export class Subset<T = Tensor[]> implements Dataset<T> {
  /** The positions in `dataset` of this subset's samples, in order. */
  readonly indices: readonly number[];
  /** Present when the wrapped dataset has getBatch: the batch in one call, indices mapped. */
  readonly getBatch?: (indices: ArrayLike<number>) => Collated<T>;

  /**
   * @param dataset - The dataset to take samples from.
   * @param indices - Their positions in it (negative counts from the end).
   */
  constructor(readonly dataset: Dataset<T>, indices: ArrayLike<number>) {
    const n = dataset.length;
    this.indices = Array.from(indices, (v) => checkIndex('Subset', v, n));
    const inner = dataset.getBatch?.bind(dataset);
    if (inner) {
      this.getBatch = (idx) => inner(Array.from(idx, (v) => this.indices[checkIndex('Subset.getBatch', v, this.length)]));
    }
  }

  /** The number of indices. */
  get length(): number {
    return this.indices.length;
  }

  /** Sample `index` of the subset: `dataset.get(indices[index])`. */
  get(index: number): T | Promise<T> {
    return this.dataset.get(this.indices[checkIndex('Subset.get', index, this.length)]);
  }
}

export function isThenable(x: unknown): x is Promise<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}
