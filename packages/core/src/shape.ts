import { IndexError, ShapeError, ValueError } from './errors.js';

/** The size of each dimension of a tensor, outermost first; `[]` for a 0-d tensor. */
export type Shape = readonly number[];

/** The number of elements of a shape: the product of its sizes (1 for `[]`). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A shape as messages show it: `[2, 3]`. Exported from core as `formatShape`. */
export function fmt(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Whether two shapes are equal, dim by dim. */
export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Strides that read `shape`, right-aligned and broadcast to `outShape` (0 along broadcast dims). */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const s = stridesOf(shape);
  const lead = outShape.length - shape.length;
  return outShape.map((_, i) => (i < lead || shape[i - lead] === 1 ? 0 : s[i - lead]));
}

/** A shape seen as (outer, shape[axis], inner): how kernels along one axis walk a row-major tensor. */
export function aroundAxis(shape: Shape, axis: number): {
  /** The product of the sizes before `axis`. */
  outer: number;
  /** `shape[axis]`. */
  len: number;
  /** The product of the sizes after `axis`: the stride of `axis`. */
  inner: number;
} {
  return { outer: sizeOf(shape.slice(0, axis)), len: shape[axis], inner: sizeOf(shape.slice(axis + 1)) };
}

export function checkShape(op: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(`${op}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return shape.slice();
}

/** NumPy/PyTorch broadcasting of two shapes. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes ${fmt(a)} and ${fmt(b)} cannot be broadcast together ` +
          `(dimension ${i - n}: ${da} vs ${db}; sizes must match or one of them be 1)`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Resolves a possibly negative dim against a rank, PyTorch style (a scalar accepts 0 and -1). */
export function normDim(op: string, dim: number, rank: number): number {
  const r = Math.max(rank, 1);
  if (!Number.isInteger(dim) || dim < -r || dim >= r) {
    throw new IndexError(`${op}: dim ${dim} is out of range for a tensor of rank ${rank} (expected a dim in [${-r}, ${r - 1}])`);
  }
  return dim < 0 ? dim + r : dim;
}

/** Normalizes a dim list for reductions; undefined means all dims. Sorted, unique. */
export function normDims(op: string, dims: number | readonly number[] | undefined, rank: number): number[] {
  if (dims === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = list.map((d) => (rank === 0 ? (normDim(op, d, 0), 0) : normDim(op, d, rank)));
  if (rank === 0) return [];
  const uniq = [...new Set(out)].sort((x, y) => x - y);
  if (uniq.length !== out.length) throw new ValueError(`${op}: dim ${JSON.stringify(dims)} repeats a dimension`);
  return uniq;
}

/** The axes along which `from` was broadcast to reach `to`: what a gradient must be summed over. */
export function broadcastAxes(from: Shape, to: Shape): { axes: number[] } {
  const axes: number[] = [];
  const lead = to.length - from.length;
  for (let i = 0; i < to.length; i++) {
    if (i < lead || (from[i - lead] === 1 && to[i] !== 1)) axes.push(i);
  }
  return { axes };
}
