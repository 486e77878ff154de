import { ShapeError } from '../../errors.js';
import { fmt } from '../../shape.js';
import { tidy } from '../../memory/scope.js';
import { fromHost } from '../../ops/dispatch.js';
import { matmul } from '../../ops/matmul.js';
import type { Tensor } from '../../tensor.js';
import { checkAdaptiveSize, poolImpl, type AdaptiveSize } from './pool.js';
import { requireFloat } from './util.js';

/**
 * (out, size) averaging matrix of adaptive pooling along one dim: row i averages input positions
 * floor(i * size / out) .. ceil((i + 1) * size / out) - 1, PyTorch's adaptive windows.
 */
function averagingMatrix(out: number, size: number): Float64Array {
  const m = new Float64Array(out * size);
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * size) / out);
    const end = Math.ceil(((i + 1) * size) / out);
    for (let j = start; j < end; j++) m[i * size + j] = 1 / (end - start);
  }
  return m;
}

/**
 * torch.nn.functional.adaptive_avg_pool2d: average pooling of (N, C, H, W) or (C, H, W) input
 * to a fixed output size, whatever the input size; window i along a dim covers input positions
 * floor(i * H / H_out) to ceil((i + 1) * H / H_out) - 1. When the sizes divide evenly this is
 * avgPool2d (the backend's pooling kernel); otherwise two products with averaging matrices,
 * P_H @ x @ P_W^T, whose gradient is the same products transposed.
 *
 * @example
 * const x = randn([2, 3, 7, 9], { requiresGrad: true });
 * const y = nn.functional.adaptiveAvgPool2d(x, [3, 4]);   // [2, 3, 3, 4]
 * y.sum().backward();
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  const op = 'adaptiveAvgPool2d';
  const [oh0, ow0] = checkAdaptiveSize(op, outputSize);
  requireFloat(op, x);
  if (x.ndim !== 3 && x.ndim !== 4) throw new ShapeError(`${op}: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape ${fmt(x.shape)}`);
  const [h, w] = x.shape.slice(-2);
  if (h === 0 || w === 0) throw new ShapeError(`${op}: expected non-empty spatial dims, got input shape ${fmt(x.shape)}`);
  const oh = oh0 ?? h;
  const ow = ow0 ?? w;
  if (h % oh === 0 && w % ow === 0) {
    const k: [number, number] = [h / oh, w / ow];
    const s = { kernel: k, stride: k, padding: [0, 0] as [number, number], dilation: [1, 1] as [number, number], ceilMode: false, countIncludePad: true, divisorOverride: 0 };
    return poolImpl(op, 'avg', x, s, 2, null);
  }
  return tidy(() => {
    const be = x._ref().backend;
    const ph = fromHost(averagingMatrix(oh, h), [oh, h], x.dtype, be);
    const pwT = fromHost(averagingMatrix(ow, w), [ow, w], x.dtype, be).T;
    return matmul(matmul(ph, x), pwT);
  });
}
