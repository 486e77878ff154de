import { describe, expect, it } from 'vitest';
import { createBackend } from '../src/index.js';

// The memory half of the contract (accounting, copies, refused storages and writes) and kernels
// leaving their inputs alone are checked by the kit (test/kernels.test.ts), as for every backend.
describe('cpu backend', () => {
  it('names itself and its dtypes; createBackend is async; it reads synchronously and has the fused kernels', async () => {
    const be = await createBackend();
    expect(be.name).toBe('cpu');
    expect([...be.dtypes].sort()).toEqual(['bool', 'float32', 'float64', 'int32']);
    expect(typeof be.readSync).toBe('function');
    // the reference backend has every fused kernel of the contract, so conformance can compare each with its composition
    expect(Object.keys(be.fused ?? {}).sort()).toEqual([
      'adamStep', 'attention', 'attentionBackward', 'avgPool2d', 'avgPool2dBackward', 'conv2d', 'conv2dBackwardInput', 'conv2dBackwardWeight',
      'crossEntropy', 'gruCell', 'gruCellBackward', 'layerNorm', 'layerNormBackward', 'logSoftmax', 'lstmCell', 'lstmCellBackward',
      'maxPool2d', 'maxPool2dBackward', 'sgdStep', 'softmax',
    ]);
  });
});
