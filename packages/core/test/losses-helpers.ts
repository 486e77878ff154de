import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { nn, tensor, type DType, type Tensor } from '@logit/core';

type LossModule = nn.Module & { forward(x: Tensor, t: Tensor): Tensor };

/** Shared by the losses tests: the PyTorch goldens (tools/goldens/losses.py) and how to compare with them. */

export interface Encoded {
  shape: number[];
  dtype: 'float32' | 'float64' | 'int32';
  data: (number | string)[];
}

export interface LossCall {
  name: string;
  loss: LossName;
  options: Record<string, unknown>;
  weight: Encoded | null;
  posWeight: Encoded | null;
  input: Encoded;
  target: Encoded;
}

export interface GoldenCase extends LossCall {
  dtype: 'float32' | 'float64';
  targetRequiresGrad: boolean;
  output: Encoded;
  upstream: Encoded | null;
  inputGrad: Encoded;
  targetGrad: Encoded | null;
}

export interface GoldenError extends LossCall {
  expect: 'ShapeError' | 'DTypeError' | 'ValueError' | 'IndexError';
  torchRaises: boolean;
  torchError: string | null;
  torchMessage: string | null;
}

export type LossName = 'NLLLoss' | 'CrossEntropyLoss' | 'MSELoss' | 'BCELoss' | 'BCEWithLogitsLoss';

export const goldens = JSON.parse(readFileSync(new URL('./goldens/losses.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: GoldenCase[];
  errors: GoldenError[];
};

export function decode(v: number | string): number {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v as number;
}

export function toTensor(e: Encoded, requiresGrad = false): Tensor {
  return tensor(e.data.map(decode), { shape: e.shape, dtype: e.dtype as DType, requiresGrad });
}

/** The module for a golden entry, built with its options (camelCase keys, as the generator writes them). */
export function makeLoss(c: LossCall): LossModule {
  const o = c.options as Record<string, never>;
  const weight = c.weight ? toTensor(c.weight) : undefined;
  const posWeight = c.posWeight ? toTensor(c.posWeight) : undefined;
  switch (c.loss) {
    case 'NLLLoss':
      return new nn.NLLLoss({ ...o, weight });
    case 'CrossEntropyLoss':
      return new nn.CrossEntropyLoss({ ...o, weight });
    case 'MSELoss':
      return new nn.MSELoss(o);
    case 'BCELoss':
      return new nn.BCELoss({ ...o, weight });
    case 'BCEWithLogitsLoss':
      return new nn.BCEWithLogitsLoss({ ...o, weight, posWeight });
  }
}

/** float32: rtol 1e-5, atol 1e-6 of PyTorch's float32; float64: 1e-9 of PyTorch's float64; nan and inf exactly. */
export function expectClose(actual: Tensor, expected: Encoded, what: string): void {
  expect(actual.shape, `${what}: shape`).toEqual(expected.shape);
  expect(actual.dtype, `${what}: dtype`).toBe(expected.dtype);
  const tol = expected.dtype === 'float64' ? { rtol: 1e-9, atol: 1e-9 } : { rtol: 1e-5, atol: 1e-6 };
  const got = actual.dataSync();
  expected.data.map(decode).forEach((e, i) => {
    const a = got[i];
    const ok = Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) ? a === e : Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
    if (!ok) expect.fail(`${what}[${i}]: got ${a}, PyTorch has ${e} (all: got [${Array.from(got).join(', ')}])`);
  });
}
