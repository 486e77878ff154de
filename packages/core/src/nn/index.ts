export {
  Module, Parameter, isParameter,
  type StateDict, type NamedModulesOptions, type NamedMembersOptions, type LoadStateDictOptions,
} from './module.js';
export type { LoadResult } from './state-dict.js';
export * as init from './init.js';
export * as functional from './functional/index.js';
export { Linear, type LinearOptions } from './layers/linear.js';
export { ReLU, LeakyReLU, Tanh, Sigmoid, GELU, Softmax, LogSoftmax, SiLU, Identity } from './layers/activation.js';
export { Dropout } from './layers/dropout.js';
export { Flatten } from './layers/flatten.js';
export { Sequential } from './layers/sequential.js';
export { Conv2d, type Conv2dLayerOptions } from './layers/conv.js';
export { MaxPool2d } from './layers/pooling.js';
export { BatchNorm1d, type BatchNormLayerOptions } from './layers/batchnorm.js';
export type { FloatDType, FactoryOptions } from './layers/factory.js';
export * from './losses/index.js';
export { ModuleList } from './layers/module-list.js';
export { ModuleDict } from './layers/module-dict.js';
export { Embedding, type EmbeddingLayerOptions, type FromPretrainedOptions } from './layers/embedding.js';
export * as utils from './utils/index.js';
export { LayerNorm, RMSNorm, type LayerNormLayerOptions, type RMSNormLayerOptions } from './layers/normalization.js';
export {
  MultiheadAttention, type MultiheadAttentionOptions, type MultiheadAttentionForwardOptions,
} from './layers/multihead-attention.js';
export {
  TransformerEncoderLayer, TransformerEncoder, type TransformerActivation,
  type TransformerEncoderLayerOptions, type TransformerEncoderLayerForwardOptions,
  type TransformerEncoderOptions, type TransformerEncoderForwardOptions,
} from './layers/transformer.js';
