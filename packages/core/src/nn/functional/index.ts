/** torch.nn.functional: the layers of nn as functions (losses are exported from ./losses.js). */
export { relu, leakyRelu, gelu, sigmoid, tanh, silu, softmax, logSoftmax, type GeluApproximate } from './activations.js';
export { linear } from './linear.js';
export { conv2d, conv1d, type Conv2dOptions, type Conv1dOptions, type IntOrPair, type IntOrSingle, type PaddingMode } from './conv.js';
export { convTranspose2d, type ConvTranspose2dOptions } from './conv-transpose.js';
export { maxPool2d, maxPool1d, avgPool2d, type MaxPool2dOptions, type MaxPool1dOptions, type AvgPool2dOptions, type AdaptiveSize } from './pool.js';
export { adaptiveAvgPool2d } from './adaptive-pool.js';
export { maxUnpool2d, maxUnpool1d, type MaxUnpool2dOptions, type MaxUnpool1dOptions } from './unpool.js';
export { dropout, dropout2d } from './dropout.js';
export { batchNorm, groupNorm, type BatchNormOptions } from './norm.js';
export { flatten } from './flatten.js';
export { embedding, type EmbeddingOptions } from './embedding.js';
export { layerNorm, rmsNorm, type LayerNormOptions, type RMSNormOptions } from './layer-norm.js';
export { scaledDotProductAttention, type ScaledDotProductAttentionOptions } from './attention.js';
export { interpolate, type InterpolateOptions, type InterpolateMode } from './upsample.js';
export * from './losses.js';
