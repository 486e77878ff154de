import { expect } from 'vitest';
import { memory, type Tensor } from '@logit/core';

type ErrorClass = new (...args: never[]) => Error;

/**
 * Asserts that fn throws an instance of `cls` whose message matches `message`, and that the
 * failed call changed nothing: every input keeps its shape, dtype, data and grad, and memory()
 * (tensors, storages, bytes) is what it was before the call.
 */
export function expectCleanThrow(fn: () => unknown, cls: ErrorClass, message: RegExp, inputs: Tensor[] = []): void {
  const snapshot = inputs.map((t) => ({ shape: t.shape.slice(), dtype: t.dtype, data: Array.from(t.dataSync()), grad: t.grad, requiresGrad: t.requiresGrad }));
  const before = memory();
  let thrown: unknown = null;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `expected ${cls.name} matching ${message}`).toBeInstanceOf(cls);
  expect((thrown as Error).message).toMatch(message);
  const after = memory();
  expect({ tensors: after.tensors, storages: after.storages, bytes: after.bytes }).toEqual({ tensors: before.tensors, storages: before.storages, bytes: before.bytes });
  inputs.forEach((t, i) => {
    expect(t.isDisposed, `input ${i} disposed`).toBe(false);
    expect(t.shape).toEqual(snapshot[i].shape);
    expect(t.dtype).toBe(snapshot[i].dtype);
    expect(t.grad).toBe(snapshot[i].grad);
    expect(t.requiresGrad).toBe(snapshot[i].requiresGrad);
    expect(Array.from(t.dataSync())).toEqual(snapshot[i].data);
  });
}
