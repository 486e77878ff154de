import { DTypeError } from '../../errors.js';
import { backendOf, filled } from '../../ops/dispatch.js';
import { cast } from '../../ops/elementwise.js';
import type { Tensor } from '../../tensor.js';

// MultiheadAttention and the transformer layers take PyTorch's masks: a bool mask is true where a
// position is NOT allowed to attend (the opposite of scaled_dot_product_attention's bool mask) and
// a float mask is added to the scores. Both become one additive float mask, as PyTorch's
// _canonical_mask does, so that an attention mask and a key padding mask simply add up.

/** Checks a mask's dtype: bool, or the float dtype of the input. */
export function checkMaskDType(op: string, name: string, mask: Tensor, dtype: string): void {
  if (mask.dtype !== 'bool' && mask.dtype !== dtype) {
    throw new DTypeError(`${op}: ${name} must be bool or ${dtype} (the input's dtype), got ${mask.dtype}; only bool and floating masks are supported`);
  }
}

/** -inf where a bool mask is true, 0 elsewhere; a float mask as it is. */
export function additiveMask(mask: Tensor, dtype: 'float32' | 'float64' | string): Tensor {
  if (mask.dtype !== 'bool') return cast(mask, mask.dtype);
  return filled(0, [], dtype as 'float32', backendOf('mask', mask)).maskedFill(mask, -Infinity);
}
