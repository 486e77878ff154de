import type { Tensor } from '../../tensor.js';

/** torch.flatten(x, startDim, endDim): a view that merges dims startDim..endDim. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  return x.flatten(startDim, endDim);
}
