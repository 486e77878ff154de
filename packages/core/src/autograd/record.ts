import type { Tensor } from '../tensor.js';
import { isGradEnabled } from './grad-mode.js';
import { Node, type BackwardFn, type Edge } from './node.js';

/**
 * Attaches a backward rule to `out` if gradients are being recorded and any input needs one.
 * `save` lists tensors the rule reads back (inputs or the output); their storage is kept alive
 * by the graph even if the tensors themselves are disposed.
 */
export function record(out: Tensor, name: string, inputs: readonly Tensor[], save: readonly Tensor[], backward: BackwardFn): Tensor {
  if (!isGradEnabled() || !inputs.some((t) => t.requiresGrad)) return out;
  const edges: Edge[] = inputs.map((t) => (!t.requiresGrad ? null : t.gradFn ? { node: t.gradFn } : { leaf: t }));
  const saved = save.map((t) => ({ ref: t._ref().retain(), shape: t.shape, dtype: t.dtype }));
  const node = new Node(name, edges, saved, backward, inputs.map((t) => t.shape));
  out._attachGradFn(node);
  return out;
}
