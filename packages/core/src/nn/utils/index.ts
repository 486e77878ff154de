export {
  clipGradNorm_, clipGradValue_, getTotalNorm, clipGradsWithNorm_,
  type ClipGradNormOptions, type GetTotalNormOptions, type TensorOrTensors,
} from './clip-grad.js';
