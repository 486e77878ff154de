// Every kernel of the backend, listed explicitly (nothing registers itself on import).
export { unary, binary, compare, where, cast } from './elementwise.js';
export { reduce, argReduce } from './reduce.js';
export { matmul } from './matmul.js';
export { gather, scatterAdd } from './gather.js';
export { permute, expand, slice, setSlice, concat, fill } from './layout.js';
export { random } from './random.js';
export { softmaxKernel } from './softmax.js';
export { crossEntropy } from './cross-entropy.js';
export { sgdStep, adamStep } from './optim.js';
export { layerNorm, layerNormBackward } from './layer-norm.js';
export { lstmCell, lstmCellBackward, gruCell, gruCellBackward } from './rnn.js';
export { scan } from './scan.js';
export { argsort } from './sort.js';
export { conv2d, conv2dBackwardInput, conv2dBackwardWeight } from './conv.js';
export { maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward } from './pool.js';
export { validate } from './validate.js';
