import { ShapeError } from '../../errors.js';
import { tidy } from '../../memory/scope.js';
import { indexSelectTrusted } from '../../ops/index-ops.js';
import { fmt } from '../../shape.js';
import type { Tensor } from '../../tensor.js';

/** The padding modes of the convolutions besides 'zeros' (which they pad without a copy). */
export type IndexPadMode = 'reflect' | 'replicate' | 'circular';

/** Where padded position i (-before <= i < n + after) reads from, per mode (F.pad's rules). */
const SOURCE: Record<IndexPadMode, (i: number, n: number) => number> = {
  reflect: (i, n) => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i),
  replicate: (i, n) => Math.min(Math.max(i, 0), n - 1),
  circular: (i, n) => ((i % n) + n) % n,
};

/** The largest padding each mode allows for a dim of size n (PyTorch's checks). */
const LIMIT: Record<IndexPadMode, (n: number) => number> = {
  reflect: (n) => n - 1,
  replicate: () => Infinity,
  circular: (n) => n,
};

/**
 * Pads the trailing dims of x, `pads[d] = [before, after]` for dim (x.ndim - pads.length + d),
 * by reading each padded position from an index core computes (one trusted gather per padded
 * dim, so the gradient is a scatter-add back onto the positions read).
 */
export function padByIndex(op: string, x: Tensor, pads: readonly (readonly [number, number])[], mode: IndexPadMode): Tensor {
  const first = x.ndim - pads.length;
  pads.forEach(([before, after], d) => {
    const n = x.shape[first + d];
    const most = Math.max(before, after);
    if (most > 0 && (n === 0 || most > LIMIT[mode](n))) {
      const limit = mode === 'reflect' ? 'smaller than' : 'at most';
      throw new ShapeError(`${op}: padding ${most} with padding mode '${mode}' must be ${limit} the input size ${n} of dim ${first + d} (input shape ${fmt(x.shape)})`);
    }
  });
  return tidy(() => {
    let y = x;
    pads.forEach(([before, after], d) => {
      if (before === 0 && after === 0) return;
      const dim = first + d;
      const n = x.shape[dim];
      const index = Array.from({ length: n + before + after }, (_, i) => SOURCE[mode](i - before, n));
      y = indexSelectTrusted(y, dim, index);
    });
    return y;
  });
}
