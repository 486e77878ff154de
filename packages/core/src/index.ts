/**
 * @logit/core: PyTorch-style tensors with autograd, over a pluggable backend.
 *
 * ```ts
 * import { setBackend, tensor } from '@logit/core';
 * import { createBackend } from '@logit/backend-cpu';
 * setBackend(await createBackend());
 * ```
 *
 * @module @logit/core
 * @document ../README.md
 */
export { Tensor } from './tensor.js';
export * from './errors.js';
export { checkOptions, type OptionKeys, type SupportedValues } from './options.js';
export type { DType, TypedArray, ArrayOf } from './dtype.js';
export { DTYPES, isFloat, promoteTypes, newArray, bytesPerElement, dtypeOfArray } from './dtype.js';
export type { Shape } from './shape.js';
export { sizeOf, stridesOf, broadcastShapes, sameShape, fmt as formatShape, normDim, broadcastStrides, aroundAxis } from './shape.js';

export * from './backend/types.js';
export { setBackend, getBackend, hasBackend } from './backend/registry.js';
export { backendLabel } from './backend/label.js';
export { setFusedKernelsEnabled, fusedKernelsEnabled, fusedKernel } from './backend/fused.js';
export { PRIMITIVE_NAMES } from './backend/primitive-names.js';
export { StorageLedger, type LedgerEntry } from './backend/ledger.js';

export { philox4x32, fillRandom, bitsToUniform, countersFor } from './random/philox.js';
export { manualSeed, initialSeed, getRngState, setRngState } from './random/generator.js';

export { tidy, keep, memory, type MemoryReport } from './memory/scope.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd/grad-mode.js';
export type { Node as GradFn } from './autograd/node.js';

export {
  tensor, zeros, ones, full, arange, eye, rand, randn, randint,
  zerosLike, onesLike, fullLike, randLike, randnLike, randintLike,
  type TensorOptions, type NestedArray,
} from './ops/creation.js';
export { where, clamp } from './ops/elementwise.js';
export { cat, stack, oneHot, gather, indexSelect } from './ops/index-ops.js';
export { matmul } from './ops/matmul.js';
export { randperm } from './ops/randperm.js';
export { firstViolation } from './ops/validate.js';
export type { ToTarget, ToOptions } from './ops/move.js';
export { logSoftmax, softmax } from './ops/softmax.js';
export { maskedFill, tril, triu } from './ops/masking.js';
export { split, chunk } from './ops/split.js';
export { variance, variance as var, std, type VarOptions } from './ops/moments.js';
export { sort, argsort, topk, type SortOptions, type TopkOptions, type ValuesIndices } from './ops/sort.js';
export { cumsum, cumprod } from './ops/scan.js';
export { multinomial, type MultinomialOptions } from './ops/multinomial.js';
export { norm, type NormOrd } from './ops/norm.js';
export { bmm, outer } from './ops/products.js';
export { max, min } from './ops/extremes.js';
export type { NewTensorOptions } from './ops/new-tensors.js';

export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export * as data from './data/index.js';
export * as io from './io/index.js';
