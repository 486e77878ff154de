import { afterEach, expect, test } from 'vitest';
import { data, memory, tensor, tidy, ValueError, type Tensor } from '@logit/core';
import { _setAsyncContext } from '../src/memory/scope.js';

// Where the platform has no AsyncLocalStorage (browsers), an async tidy cannot tell its own
// tensors from others': it throws rather than risk disposing another caller's tensor.

const counts = (): number[] => [memory().tensors, memory().storages];

afterEach(() => _setAsyncContext(undefined));

test('where the platform has no AsyncLocalStorage, an async tidy throws instead of guessing', async () => {
  _setAsyncContext(null);
  const before = counts();
  expect(() => tidy(async () => tensor([1]))).toThrow(ValueError);
  expect(() => tidy(async () => tensor([1]))).toThrow(/AsyncLocalStorage/);
  expect(counts()).toEqual(before);
  // sync tidy still works, and the DataLoader's async path falls back to tidying the stacking only
  const sum = tidy(() => tensor([1, 2]).sum());
  expect(await sum.item()).toBe(3);
  sum.dispose();
  const ds: data.Dataset<Tensor> = { length: 3, get: async (i) => tensor([i]) };
  const rows: number[] = [];
  for await (const batch of new data.DataLoader(ds, { batchSize: 3 })) {
    rows.push(...(await batch.data()));
    batch.dispose();
  }
  expect(rows).toEqual([0, 1, 2]);
});