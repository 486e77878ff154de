export type { Reduction } from './common.js';
export { NLLLoss, nllLoss, type NLLLossOptions } from './nll-loss.js';
export { CrossEntropyLoss, crossEntropy, type CrossEntropyLossOptions } from './cross-entropy-loss.js';
export { MSELoss, mseLoss, type MSELossOptions } from './mse-loss.js';
export { BCELoss, binaryCrossEntropy, type BCELossOptions } from './bce-loss.js';
export { BCEWithLogitsLoss, binaryCrossEntropyWithLogits, type BCEWithLogitsLossOptions } from './bce-with-logits-loss.js';
