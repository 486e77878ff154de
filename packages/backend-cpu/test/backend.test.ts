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
    expect(Object.keys(be.fused ?? {}).sort()).toEqual(['adamStep', 'crossEntropy', 'logSoftmax', 'sgdStep', 'softmax']);
  });
});
