import { ShapeError } from '../../errors.js';
import { tidy } from '../../memory/scope.js';
import { cat, gatherUnchecked } from '../../ops/index-ops.js';
import { filled, fromHost } from '../../ops/dispatch.js';
import { fmt } from '../../shape.js';
import type { Tensor } from '../../tensor.js';

/**
 * Sliding windows over the last two dims of an (N, C, H, W) tensor, as one `gather`: the
 * gradient (a scatter-add, i.e. col2im) then comes from autograd. Padding costs no padded copy:
 * every out-of-range tap points at one extra "sentinel" element appended to each (n, c) plane,
 * holding 0 for convolution and -inf for max pooling.
 */
export interface WindowGeometry {
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  /** Top and left padding; bottom/right padding only shows in the output size. */
  padBefore: [number, number];
  out: [number, number];
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

/**
 * (N, C, H, W) -> (N, C, kh*kw*oh*ow): every window tap, taps outermost, then output rows.
 * `padValue` fills the taps that fall outside the input.
 */
export function unfoldWindows(x: Tensor, g: WindowGeometry, padValue: number, cache: WindowCache | null): Tensor {
  const [n, c, h, w] = x.shape;
  const win = cache ? cache.get(h, w, g) : makeWindowIndex(h, w, g);
  return tidy(() => {
    const be = x._ref().backend;
    const len = win.index.length;
    const index = fromHost(win.index, [1, 1, len], 'int32', be).expand([n, c, len]);
    let planes = x.reshape([n, c, h * w]);
    if (win.padded) planes = cat([planes, filled(padValue, [n, c, 1], x.dtype, be)], 2);
    return gatherUnchecked(planes, 2, index); // core's own window index: nothing to validate
  });
}
