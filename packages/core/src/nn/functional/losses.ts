/**
 * The functional forms of the losses, as `torch.nn.functional`: the same computation as the loss
 * modules (nn.NLLLoss, nn.CrossEntropyLoss, ...), with the options passed per call. Each is
 * documented on its module class.
 */
export {
  nllLoss, crossEntropy, mseLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits,
  type Reduction, type NLLLossOptions, type CrossEntropyLossOptions, type MSELossOptions,
  type BCELossOptions, type BCEWithLogitsLossOptions,
} from '../losses/index.js';
