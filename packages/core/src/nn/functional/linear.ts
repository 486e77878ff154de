import { ShapeError } from '../../errors.js';
import { fmt } from '../../shape.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { record } from '../../autograd/record.js';
import { tidy } from '../../memory/scope.js';
import { bmm } from '../../ops/matmul.js';
import type { Tensor } from '../../tensor.js';
import { requireFloat, requireSameDType } from './util.js';

/**
 * torch.nn.functional.linear: y = x W^T + b, x of shape [..., in], W [out, in], b [out].
 *
 * One autograd node for the whole layer: the product uses the matmul kernel's transpose flag
 * (W^T is never copied), the bias is added in the same node, and backward computes only the
 * gradients that are needed (no dx for a first layer whose input does not require grad).
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null, op = 'linear'): Tensor {
  requireFloat(op, x);
  requireSameDType(op, x, weight, 'weight');
  requireSameDType(op, x, bias, 'bias');
  if (weight.ndim !== 2) throw new ShapeError(`${op}: weight must be 2-D [out, in], got shape ${fmt(weight.shape)}`);
  const [outF, inF] = weight.shape;
  if (x.ndim === 0) throw new ShapeError(`${op}: input must have at least 1 dimension, got a 0-d tensor`);
  const got = x.shape[x.ndim - 1];
  if (got !== inF) {
    throw new ShapeError(`${op}: input has ${got} features in its last dim, expected ${inF} (shape ${fmt(x.shape)})`);
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outF)) {
    throw new ShapeError(`${op}: bias must have shape [${outF}], got ${fmt(bias.shape)}`);
  }
  const outShape = [...x.shape.slice(0, -1), outF];
  return tidy(() => {
    const x2 = x.ndim === 2 ? x : x.reshape([-1, inF]);
    const y = noGrad(() => {
      const xw = bmm(x2, weight, false, true);
      return bias ? xw.add(bias) : xw;
    });
    const needX = x2.requiresGrad;
    const needW = weight.requiresGrad;
    const needB = bias?.requiresGrad ?? false;
    const inputs = bias ? [x2, weight, bias] : [x2, weight];
    const out = record(y, 'linear', inputs, [x2, weight], (g, [xs, ws]) => [
      needX ? bmm(g, ws, false, false) : null,
      needW ? bmm(g, xs, true, false) : null,
      ...(bias ? [needB ? g.sum(0) : null] : []),
    ]);
    return x.ndim === 2 ? out : out.reshape(outShape);
  });
}
