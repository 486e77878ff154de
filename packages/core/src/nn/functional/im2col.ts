import { ShapeError } from '../../errors.js';
import { tidy } from '../../memory/scope.js';
import { cat, gatherTrusted } from '../../ops/index-ops.js';
import { filled, fromHost, wrap } from '../../ops/dispatch.js';
import { fmt } from '../../shape.js';
import type { Tensor } from '../../tensor.js';

/**
 * Sliding windows over the last two dims of an (N, C, H, W) tensor, as one `gather` (im2col),
 * and their sum back into the planes, as one `scatterAdd` (col2im): the composed path of
 * convolution and pooling, which backends without fused kernels run (and which conformance
 * checks the fused kernels against). Padding costs no padded copy: every out-of-range tap points
 * at one extra "sentinel" element appended to each (n, c) plane, holding 0 for convolution and
 * -inf for max pooling. The index is core's own, in range by construction, so it is never read
 * back or checked.
 */
export interface WindowGeometry {
  kernel: readonly [number, number];
  stride: readonly [number, number];
  dilation: readonly [number, number];
  /** Top and left padding; bottom/right padding only shows in the output size. */
  padBefore: readonly [number, number];
  out: readonly [number, number];
}

/** Output length along one dim: floor((size + padding - dilation (k - 1) - 1) / stride) + 1. */
export function windowCount(op: string, size: number, padTotal: number, k: number, stride: number, dilation: number, shape: readonly number[]): number {
  const span = dilation * (k - 1) + 1;
  if (size + padTotal < span) {
    throw new ShapeError(
      `${op}: kernel size ${k} (dilation ${dilation}, spanning ${span}) is larger than the padded input size ${size + padTotal} (input shape ${fmt(shape)})`,
    );
  }
  return Math.floor((size + padTotal - span) / stride) + 1;
}

/** Flat indices (kh*kw*oh*ow, kernel taps outermost) into an H*W plane; H*W is the sentinel. */
function windowIndex(h: number, w: number, g: WindowGeometry): { index: Int32Array; padded: boolean } {
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  const [pt, pl] = g.padBefore;
  const [oh, ow] = g.out;
  const index = new Int32Array(kh * kw * oh * ow);
  let padded = false;
  let at = 0;
  for (let ki = 0; ki < kh; ki++) {
    for (let kj = 0; kj < kw; kj++) {
      for (let i = 0; i < oh; i++) {
        const r = i * sh - pt + ki * dh;
        for (let j = 0; j < ow; j++, at++) {
          const c = j * sw - pl + kj * dw;
          const inside = r >= 0 && r < h && c >= 0 && c < w;
          padded ||= !inside;
          index[at] = inside ? r * w + c : h * w;
        }
      }
    }
  }
  return { index, padded };
}

/** The window taps of one plane size and geometry, on the host. */
export interface WindowIndex {
  key: string;
  index: Int32Array;
  padded: boolean;
}

function makeWindowIndex(h: number, w: number, g: WindowGeometry): WindowIndex {
  return { key: JSON.stringify([h, w, g]), ...windowIndex(h, w, g) };
}

/**
 * Keeps the window index of the last input size on the host (a module owns one; sizes rarely
 * change between batches), so it is computed once, not on every forward. Holding no tensor,
 * it never shows in memory().
 */
export class WindowCache {
  private current: WindowIndex | null = null;

  get(h: number, w: number, g: WindowGeometry): WindowIndex {
    const key = JSON.stringify([h, w, g]);
    if (this.current?.key !== key) this.current = makeWindowIndex(h, w, g);
    return this.current;
  }
}

function windowsOf(h: number, w: number, g: WindowGeometry, cache: WindowCache | null): WindowIndex {
  return cache ? cache.get(h, w, g) : makeWindowIndex(h, w, g);
}

/**
 * (N, C, H, W) -> (N, C, kh*kw*oh*ow): every window tap, taps outermost, then output rows.
 * `padValue` fills the taps that fall outside the input. Differentiable (a gather).
 */
export function unfoldWindows(x: Tensor, g: WindowGeometry, padValue: number, cache: WindowCache | null): Tensor {
  const [n, c, h, w] = x.shape;
  const win = windowsOf(h, w, g, cache);
  return tidy(() => {
    const be = x._ref().backend;
    const len = win.index.length;
    const index = fromHost(win.index, [1, 1, len], 'int32', be).expand([n, c, len]);
    let planes = x.reshape([n, c, h * w]);
    if (win.padded) planes = cat([planes, filled(padValue, [n, c, 1], x.dtype, be)], 2);
    return gatherTrusted(planes, 2, index);
  });
}

/**
 * The adjoint of unfoldWindows: (N, C, kh*kw*oh*ow) taps summed back into (N, C, H, W), padded
 * taps dropped (col2im). Not recorded: callers use it to compute a gradient.
 */
export function foldWindows(cols: Tensor, shape: readonly [number, number, number, number], g: WindowGeometry, cache: WindowCache | null): Tensor {
  const [n, c, h, w] = shape;
  const win = windowsOf(h, w, g, cache);
  return tidy(() => {
    const be = cols._ref().backend;
    const len = win.index.length;
    const index = fromHost(win.index, [1, 1, len], 'int32', be).expand([n, c, len]);
    const plane = h * w + (win.padded ? 1 : 0);
    const sums = wrap(be, be.ops.scatterAdd(index._storage(), [n, c, len], cols._storage(), [n, c, plane], 2, cols.dtype), [n, c, plane], cols.dtype);
    return (win.padded ? sums.slice(2, 0, h * w) : sums).reshape([n, c, h, w]);
  });
}
