/** torch.nn.functional: the layers of nn as functions (losses are exported from ./losses.js). */
export { relu, leakyRelu, gelu, sigmoid, tanh, silu, softmax, logSoftmax, type GeluApproximate } from './activations.js';
export { linear } from './linear.js';
export { conv2d, type Conv2dOptions, type IntOrPair } from './conv.js';
export { maxPool2d, type MaxPool2dOptions } from './pool.js';
export { dropout } from './dropout.js';
export { batchNorm, type BatchNormOptions } from './norm.js';
export { flatten } from './flatten.js';
export { embedding, type EmbeddingOptions } from './embedding.js';
export { layerNorm, rmsNorm, type LayerNormOptions, type RMSNormOptions } from './layer-norm.js';
export { scaledDotProductAttention, type ScaledDotProductAttentionOptions } from './attention.js';
export * from './losses.js';
