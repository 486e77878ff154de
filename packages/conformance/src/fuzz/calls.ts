import * as fc from 'fast-check';
import {
  arange, cat, full, gather, indexSelect, matmul, nn, oneHot, randint, stack, tensor, where, type DType, type Tensor,
} from '@logit/core';

/** One input tensor of a fuzzed call: made on each backend from the same host values. */
export interface TensorSpec {
  shape: number[];
  dtype: DType;
  values: number[];
}

/** A public-API call with random arguments: `run` gets the inputs made on the backend under test. */
export interface FuzzCall {
  op: string;
  inputs: TensorSpec[];
  /** Make the float inputs require grad and backpropagate from the result's sum. */
  backward: boolean;
  /** Plain data (numbers, dims, options), shown when a case fails. */
  args: unknown[];
  run: (xs: Tensor[]) => Tensor;
}

// float64 is left out: only backend-cpu stores it, so its errors differ by design.
const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];
const shapeArb = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 });
const dimArb = fc.integer({ min: -4, max: 4 });
/**
 * Doubles without float32 subnormals: WGSL lets a GPU flush them to zero (SwiftShader does, so
 * 1e-40 == 0 there), a documented platform difference rather than a bug to find here.
 */
const doubleArb = (max: number): fc.Arbitrary<number> =>
  fc.double({ min: -max, max, noNaN: true }).map((v) => (v !== 0 && Math.abs(v) < 2 ** -126 ? 0 : v));

/** Scalars that stress conversions: huge, non-finite, fractional, and ordinary. */
const scalarArb = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  doubleArb(10),
  fc.constantFrom(NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31) - 1, 1e10, 0.5, -0),
);

function valueArb(dtype: DType): fc.Arbitrary<number> {
  if (dtype === 'bool') return fc.integer({ min: 0, max: 1 });
  // small integers: indices in and out of range, classes, negative values
  if (dtype === 'int32') return fc.integer({ min: -3, max: 5 });
  return fc.oneof({ weight: 6, arbitrary: doubleArb(3) }, { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 0, 1, 0.5) });
}

function specArb(shape: fc.Arbitrary<number[]> = shapeArb, dtype: fc.Arbitrary<DType> = fc.constantFrom(...DTYPES)): fc.Arbitrary<TensorSpec> {
  return fc.tuple(shape, dtype).chain(([s, d]) => {
    const n = s.reduce((a, b) => a * b, 1);
    return fc.array(valueArb(d), { minLength: n, maxLength: n }).map((values) => ({ shape: s, dtype: d, values }));
  });
}
const floatSpec = (shape?: fc.Arbitrary<number[]>): fc.Arbitrary<TensorSpec> => specArb(shape, fc.constant<DType>('float32'));
const intSpec = (shape?: fc.Arbitrary<number[]>): fc.Arbitrary<TensorSpec> => specArb(shape, fc.constant<DType>('int32'));

const UNARY = ['neg', 'abs', 'sign', 'exp', 'log', 'log1p', 'sqrt', 'rsqrt', 'reciprocal', 'square', 'relu', 'sigmoid', 'tanh', 'erf', 'floor', 'round', 'logicalNot', 'isnan'] as const;
const BINARY = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'ge'] as const;
const REDUCE = ['sum', 'mean', 'amax', 'amin'] as const;
const ALONG = ['max', 'min', 'argmax', 'argmin', 'softmax', 'logSoftmax', 'logsumexp'] as const;

type M = Record<string, (...a: unknown[]) => Tensor>;
const call = (t: Tensor, name: string, ...a: unknown[]): Tensor => (t as unknown as M)[name](...a);

/** Calls of one kind: an op name and how to draw its inputs and arguments. */
const families: fc.Arbitrary<FuzzCall>[] = [
  fc.tuple(fc.constantFrom(...UNARY), specArb(), fc.boolean()).map(([op, x, backward]) => ({
    op, inputs: [x], backward, args: [], run: ([t]) => call(t, op),
  })),
  fc.tuple(fc.constantFrom(...BINARY), specArb(), specArb(), fc.boolean()).map(([op, a, b, backward]) => ({
    op, inputs: [a, b], backward, args: [], run: ([x, y]) => call(x, op, y),
  })),
  fc.tuple(fc.constantFrom(...BINARY), specArb(), scalarArb).map(([op, a, s]) => ({
    op: `${op} scalar`, inputs: [a], backward: false, args: [s], run: ([x]) => call(x, op, s),
  })),
  fc.tuple(specArb(), specArb(), specArb()).map(([c, a, b]) => ({
    op: 'where', inputs: [c, a, b], backward: false, args: [], run: ([cond, x, y]) => where(cond, x, y),
  })),
  fc.tuple(fc.constantFrom(...REDUCE), specArb(), fc.option(fc.oneof(dimArb, fc.array(dimArb, { maxLength: 3 }))), fc.boolean(), fc.boolean()).map(([op, x, dims, keep, backward]) => ({
    op, inputs: [x], backward, args: [dims, keep], run: ([t]) => call(t, op, dims ?? undefined, keep),
  })),
  fc.tuple(fc.constantFrom(...ALONG), specArb(), dimArb, fc.boolean()).map(([op, x, dim, backward]) => ({
    op, inputs: [x], backward, args: [dim], run: ([t]) => call(t, op, dim),
  })),
  fc.tuple(specArb(), specArb(), fc.boolean()).map(([a, b, backward]) => ({
    op: 'matmul', inputs: [a, b], backward, args: [], run: ([x, y]) => matmul(x, y),
  })),
  fc.tuple(specArb(), fc.array(fc.integer({ min: -2, max: 4 }), { maxLength: 4 })).map(([x, shape]) => ({
    op: 'reshape', inputs: [x], backward: false, args: [shape], run: ([t]) => t.reshape(shape),
  })),
  fc.tuple(specArb(), fc.array(dimArb, { maxLength: 4 })).map(([x, dims]) => ({
    op: 'permute', inputs: [x], backward: false, args: [dims], run: ([t]) => t.permute(dims),
  })),
  fc.tuple(specArb(), dimArb, dimArb, fc.boolean()).map(([x, a, b, backward]) => ({
    op: 'transpose', inputs: [x], backward, args: [a, b], run: ([t]) => t.transpose(a, b),
  })),
  fc.tuple(specArb(), fc.constantFrom('squeeze', 'unsqueeze', 'flatten'), dimArb).map(([x, op, d]) => ({
    op, inputs: [x], backward: false, args: [d], run: ([t]) => (op === 'flatten' ? t.flatten(d) : call(t, op, d)),
  })),
  fc.tuple(specArb(), fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 4 })).map(([x, sizes]) => ({
    op: 'expand', inputs: [x], backward: false, args: [sizes], run: ([t]) => t.expand(sizes),
  })),
  fc.tuple(specArb(), dimArb, fc.option(fc.integer({ min: -4, max: 4 })), fc.option(fc.integer({ min: -4, max: 4 })), fc.integer({ min: -1, max: 3 })).map(([x, d, s, e, step]) => ({
    op: 'slice', inputs: [x], backward: false, args: [d, s, e, step], run: ([t]) => t.slice(d, s, e, step),
  })),
  fc.tuple(specArb(), dimArb, fc.integer({ min: -4, max: 4 }), fc.boolean()).map(([x, d, i, backward]) => ({
    op: 'select', inputs: [x], backward, args: [d, i], run: ([t]) => t.select(d, i),
  })),
  fc.tuple(specArb(), dimArb, fc.integer({ min: -3, max: 3 }), fc.integer({ min: -1, max: 3 })).map(([x, d, s, len]) => ({
    op: 'narrow', inputs: [x], backward: false, args: [d, s, len], run: ([t]) => t.narrow(d, s, len),
  })),
  fc.tuple(specArb(), dimArb, specArb(shapeArb, fc.constantFrom<DType>('int32', 'int32', 'float32')), fc.boolean()).map(([x, d, i, backward]) => ({
    op: 'gather', inputs: [x, i], backward, args: [d], run: ([t, idx]) => gather(t, d, idx),
  })),
  fc.tuple(specArb(), dimArb, intSpec(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 })), fc.boolean()).map(([x, d, i, backward]) => ({
    op: 'indexSelect', inputs: [x, i], backward, args: [d], run: ([t, idx]) => indexSelect(t, d, idx),
  })),
  // numClasses -1 is left out: inferring it reads the values back, which only cpu and wasm can do synchronously
  fc.tuple(specArb(), fc.integer({ min: 0, max: 4 })).map(([t, c]) => ({
    op: 'oneHot', inputs: [t], backward: false, args: [c], run: ([x]) => oneHot(x, c),
  })),
  fc.tuple(specArb(), specArb(), dimArb, fc.boolean()).map(([a, b, d, stacked]) => ({
    op: stacked ? 'stack' : 'cat', inputs: [a, b], backward: false, args: [d], run: ([x, y]) => (stacked ? stack([x, y], d) : cat([x, y], d)),
  })),
  fc.tuple(specArb(), fc.constantFrom<DType>(...DTYPES)).map(([x, d]) => ({
    op: 'to', inputs: [x], backward: false, args: [d], run: ([t]) => t.to(d),
  })),
  fc.tuple(specArb(), fc.option(scalarArb), fc.option(scalarArb)).map(([x, lo, hi]) => ({
    op: 'clamp', inputs: [x], backward: false, args: [lo, hi], run: ([t]) => t.clamp(lo, hi),
  })),
  fc.tuple(specArb(), scalarArb).map(([x, v]) => ({
    op: 'fill_', inputs: [x], backward: false, args: [v], run: ([t]) => t.clone().fill_(v),
  })),
  fc.tuple(fc.array(scalarArb, { maxLength: 4 }), fc.constantFrom<DType>(...DTYPES), fc.option(shapeArb)).map(([values, dtype, shape]) => ({
    op: 'tensor', inputs: [], backward: false, args: [values, dtype, shape], run: () => tensor(values, { dtype, ...(shape ? { shape } : {}) }),
  })),
  fc.tuple(shapeArb, scalarArb, fc.constantFrom<DType>(...DTYPES)).map(([shape, v, dtype]) => ({
    op: 'full', inputs: [], backward: false, args: [shape, v, dtype], run: () => full(shape, v, { dtype }),
  })),
  // steps no smaller than 0.25 over at most 50: a random tiny step would ask for a huge tensor
  fc.tuple(scalarArb, scalarArb, fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.25, -0.5, NaN, Infinity))).map(([s, e, step]) => ({
    op: 'arange', inputs: [], backward: false, args: [s, e, step], run: () => arange(s, Math.max(Math.min(e, s + 50), s - 50), step),
  })),
  fc.tuple(scalarArb, scalarArb, shapeArb).map(([lo, hi, shape]) => ({
    op: 'randint', inputs: [], backward: false, args: [lo, hi, shape], run: () => randint(lo, hi, shape),
  })),
  fc.tuple(floatSpec(), specArb(), fc.record({ ignoreIndex: fc.integer({ min: -2, max: 3 }), labelSmoothing: fc.constantFrom(0, 0.1), reduction: fc.constantFrom('mean', 'sum', 'none') as fc.Arbitrary<'mean'> }), fc.boolean(), fc.boolean()).map(([x, t, opts, nll, backward]) => ({
    op: nll ? 'nllLoss' : 'crossEntropy', inputs: [x, t], backward, args: [opts],
    run: ([a, b]) => (nll ? nn.functional.nllLoss(a, b, { ignoreIndex: opts.ignoreIndex, reduction: opts.reduction }) : nn.functional.crossEntropy(a, b, opts)),
  })),
  fc.tuple(floatSpec(), specArb(), fc.constantFrom('binaryCrossEntropy', 'binaryCrossEntropyWithLogits', 'mseLoss'), fc.boolean()).map(([x, y, op, backward]) => ({
    op, inputs: [x, y], backward, args: [], run: ([a, b]) => (nn.functional as unknown as Record<string, (a: Tensor, b: Tensor) => Tensor>)[op](a, b),
  })),
  // layers' functional forms on random shapes: linear, and the windowed ones (core's own gather index)
  fc.tuple(floatSpec(), floatSpec(), fc.option(floatSpec()), fc.boolean()).map(([x, w, b, backward]) => ({
    op: 'linear', inputs: b ? [x, w, b] : [x, w], backward, args: [], run: ([a, wt, bias]) => nn.functional.linear(a, wt, bias ?? null),
  })),
  fc.tuple(floatSpec(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 4 })), floatSpec(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 })), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.boolean()).map(([x, w, padding, stride, backward]) => ({
    op: 'conv2d', inputs: [x, w], backward, args: [padding, stride], run: ([a, wt]) => nn.functional.conv2d(a, wt, null, { padding, stride }),
  })),
  fc.tuple(floatSpec(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 2, maxLength: 4 })), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 }), fc.boolean()).map(([x, k, padding, backward]) => ({
    op: 'maxPool2d', inputs: [x], backward, args: [k, padding], run: ([a]) => nn.functional.maxPool2d(a, k, { padding }),
  })),
  fc.tuple(floatSpec(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 })), fc.boolean(), fc.boolean()).map(([x, training, backward]) => ({
    op: 'batchNorm', inputs: [x], backward, args: [training],
    run: ([a]) => nn.functional.batchNorm(a, null, null, { training }),
  })),
  // an unknown or snake_case option is refused alike everywhere
  fc.tuple(floatSpec(), fc.constantFrom({ ignore_index: 0 }, { reductionn: 'sum' }, { reduction: 'avg' }, { weight: null })).map(([x, opts]) => ({
    op: 'crossEntropy options', inputs: [x], backward: false, args: [opts], run: ([a]) => nn.functional.crossEntropy(a, a, opts as never),
  })),
];

/** A random call of the public API, drawn from every family alike. */
export const fuzzCall: fc.Arbitrary<FuzzCall> = fc.oneof(...families);
