// The module's exports: one kernel family per file. Memory is owned by the JS side
// (src/heap.ts); these functions only read and write the pointers they are given.
export { heapBase, features } from './util';
export { unary, cast, fill32, fill8 } from './unary';
export { binary, compare, where } from './binary';
export { reduce, argReduce, softmax } from './reduce';
export { crossEntropy } from './cross-entropy';
export { stridedCopy, stridedScatter, gather, scatterAdd } from './layout';
export { gemm, matmulGeneric, matmulScratchBytes } from './matmul';
export { sgdStep, adamStep } from './optim';
export { gemmPrepare, gemmWork, gemmThreadsScratchBytes } from './matmul-threads';
export { layerNorm, layerNormBackward } from './layer-norm';
export { attention, attentionBackward } from './attention';
export { lstmCell, lstmCellBackward, gruCell, gruCellBackward } from './rnn';
export { scan, argsort } from './sort';
export { im2col, col2im, addInto, addRowBias } from './conv';
export { maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward } from './pool';
export { convPrepare, convWork, poolWork } from './conv-job';
