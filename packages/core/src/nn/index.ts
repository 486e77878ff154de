export {
  Module, Parameter, isParameter,
  type StateDict, type NamedModulesOptions, type NamedMembersOptions, type LoadStateDictOptions,
} from './module.js';
export type { LoadResult } from './state-dict.js';
export * as init from './init.js';
export * as functional from './functional/index.js';
export { Linear, type LinearOptions } from './layers/linear.js';
export { ReLU, LeakyReLU, Tanh, Sigmoid, GELU, Softmax, LogSoftmax, SiLU, Identity } from './layers/activation.js';
export { Dropout, Dropout2d } from './layers/dropout.js';
export { Flatten, Unflatten } from './layers/flatten.js';
export { Sequential } from './layers/sequential.js';
export { Conv2d, Conv1d, ConvNd, type Conv2dLayerOptions, type Conv1dLayerOptions } from './layers/conv.js';
export { ConvTranspose2d, type ConvTranspose2dLayerOptions } from './layers/conv-transpose.js';
export { MaxPool2d, MaxPool1d, AvgPool2d, AdaptiveAvgPool2d, MaxUnpool2d, MaxUnpool1d } from './layers/pooling.js';
export { BatchNorm1d, BatchNorm2d, BatchNormNd, type BatchNormLayerOptions } from './layers/batchnorm.js';
export { GroupNorm, type GroupNormOptions } from './layers/groupnorm.js';
export { Upsample, type UpsampleOptions } from './layers/upsample.js';
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
export { RNN, LSTM, GRU, type RNNOptions, type LSTMOptions, type GRUOptions } from './layers/rnn.js';
export { RNNBase, type RNNBaseOptions } from './layers/rnn-base.js';
export type { RnnMode } from './functional/rnn/steps.js';
export { RNNCell, LSTMCell, GRUCell, RNNCellBase, type RNNCellOptions, type RNNCellBaseOptions } from './layers/rnn-cells.js';
