import {
  BackendError, BINARY_OPS, COMPARE_OPS, REDUCE_OPS, UNARY_OPS, aroundAxis, broadcastStrides, firstViolation, sizeOf, stridesOf,
  type CrossEntropyResult, type CrossEntropySpec, type DType, type Primitives, type Shape, type Storage,
} from '@logit/core';
import { code, type Context, type WasmStorage } from './context.js';
import { encodeStrided } from './strided.js';
import { matmul } from './matmul.js';
import { random } from './random.js';

// An op's code is its index in core's list: scripts/generate-ops.mjs numbers assembly/ the same way.
const codes = (list: readonly string[]): Map<string, number> => new Map(list.map((o, i) => [o, i]));
const UNARY = codes(UNARY_OPS);
const BINARY = codes(BINARY_OPS);
const COMPARE = codes(COMPARE_OPS);
const REDUCE = codes(REDUCE_OPS);

const esz = (dtype: DType): number => (dtype === 'bool' ? 1 : 4);

/** Bit pattern or byte that a typed array of dtype would hold after `fill(value)`. */
function fillBits(value: number, dtype: DType): number {
  if (dtype === 'bool') return value !== 0 ? 1 : 0;
  if (dtype === 'int32') return value | 0;
  const f = new Float32Array([value]);
  return new Int32Array(f.buffer)[0];
}

/**
 * The primitives: each wrapper allocates the output, encodes shapes and strides for the kernel
 * and calls it. Size-0 outputs skip the call.
 */
export function makeOps(cx: Context): Primitives {
  const { k } = cx;

  const fill = (value: number, size: number, dtype: DType): WasmStorage => {
    const out = cx.own(dtype, size);
    if (size > 0) {
      if (dtype === 'bool') k.fill8(fillBits(value, dtype), size, out.ptr);
      else k.fill32(fillBits(value, dtype), size, out.ptr);
    }
    return out;
  };

  /** out (contiguous, outShape) = x read at `strides` from element `base`. */
  const stridedCopy = (x: WasmStorage, base: number, outShape: Shape, strides: readonly number[], dtype: DType): WasmStorage => {
    const out = cx.own(dtype, sizeOf(outShape));
    if (out.size > 0) k.stridedCopy(esz(dtype), cx.args(encodeStrided(outShape, [strides])), x.ptr + base * esz(dtype), out.ptr);
    return out;
  };

  /** Writes src (contiguous, srcShape) into out at `strides` from element `base`. */
  const stridedScatter = (src: WasmStorage, srcShape: Shape, out: WasmStorage, base: number, strides: readonly number[]): void => {
    if (sizeOf(srcShape) === 0) return;
    k.stridedScatter(esz(out.dtype), cx.args(encodeStrided(srcShape, [strides])), src.ptr, out.ptr + base * esz(out.dtype));
  };

  const copyOf = (x: WasmStorage, size: number, dtype: DType): WasmStorage => {
    const out = cx.own(dtype, size);
    if (size > 0) k.cast(code(dtype, 'copy'), code(dtype, 'copy'), size, x.ptr, out.ptr);
    return out;
  };

  return {
    unary(op, x, size, dtype) {
      const xs = cx.st(x, op);
      const out = cx.own(dtype, size);
      if (size > 0) k.unary(UNARY.get(op)!, code(dtype, op), size, xs.ptr, out.ptr);
      return out;
    },
    binary(op, a, aShape, b, bShape, outShape, dtype) {
      const as = cx.st(a, op), bs = cx.st(b, op);
      const out = cx.own(dtype, sizeOf(outShape));
      if (out.size === 0) return out;
      const p = cx.args(encodeStrided(outShape, [broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)]));
      k.binary(BINARY.get(op)!, code(dtype, op), p, as.ptr, bs.ptr, out.ptr);
      return out;
    },
    compare(op, a, aShape, b, bShape, outShape, dtype) {
      const as = cx.st(a, op), bs = cx.st(b, op);
      const out = cx.own('bool', sizeOf(outShape));
      if (out.size === 0) return out;
      const p = cx.args(encodeStrided(outShape, [broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)]));
      k.compare(COMPARE.get(op)!, code(dtype, op), p, as.ptr, bs.ptr, out.ptr);
      return out;
    },
    where(cond, condShape, a, aShape, b, bShape, outShape, dtype) {
      const cs = cx.st(cond, 'where'), as = cx.st(a, 'where'), bs = cx.st(b, 'where');
      const out = cx.own(dtype, sizeOf(outShape));
      if (out.size === 0) return out;
      const p = cx.args(encodeStrided(outShape, [condShape, aShape, bShape].map((s) => broadcastStrides(s, outShape))));
      k.where(code(dtype, 'where'), p, cs.ptr, as.ptr, bs.ptr, out.ptr);
      return out;
    },
    cast(x, size, from, to) {
      const xs = cx.st(x, 'cast');
      const out = cx.own(to, size);
      if (size > 0) k.cast(code(from, 'cast'), code(to, 'cast'), size, xs.ptr, out.ptr);
      return out;
    },
    reduce(op, x, shape, axes, dtype) {
      const xs = cx.st(x, op);
      const outShape = shape.filter((_, d) => !axes.includes(d));
      const outSize = sizeOf(outShape);
      const out = cx.own(dtype, outSize);
      if (outSize === 0) return out;
      const accBytes = outSize * 8;
      const acc = cx.scratch(accBytes);
      const os = stridesOf(outShape);
      let j = 0;
      const strides = shape.map((_, d) => (axes.includes(d) ? 0 : os[j++]));
      // an empty input still initializes the accumulators (sum 0, prod 1, max -inf, min +inf)
      const walk = sizeOf(shape) === 0 ? [0] : shape;
      const p = cx.args(encodeStrided(walk, [sizeOf(shape) === 0 ? [0] : strides]));
      k.reduce(REDUCE.get(op)!, code(dtype, op), p, xs.ptr, acc, out.ptr, outSize);
      cx.release(acc, accBytes);
      return out;
    },
    argReduce(op, x, shape, axis, dtype) {
      const xs = cx.st(x, op);
      const { outer, len, inner } = aroundAxis(shape, axis);
      const out = cx.own('int32', outer * inner);
      if (out.size > 0) k.argReduce(op === 'argmax' ? 1 : -1, code(dtype, op), outer, len, inner, xs.ptr, out.ptr);
      return out;
    },
    matmul: (a, b, spec, dtype) => matmul(cx, cx.st(a, 'matmul'), cx.st(b, 'matmul'), spec, dtype),
    gather(x, xShape, axis, index, indexShape, dtype) {
      const xs = cx.st(x, 'gather'), is = cx.st(index, 'gather');
      const out = cx.own(dtype, sizeOf(indexShape));
      if (out.size === 0) return out;
      const strides = stridesOf(xShape);
      const axisStride = strides[axis];
      strides[axis] = 0;
      k.gather(esz(dtype), cx.args(encodeStrided(indexShape, [strides])), xs.ptr, axisStride, is.ptr, out.ptr);
      return out;
    },
    scatterAdd(index, indexShape, src, outShape, axis, dtype) {
      const is = cx.st(index, 'scatterAdd'), ss = cx.st(src, 'scatterAdd');
      const outSize = sizeOf(outShape);
      if (sizeOf(indexShape) === 0) return fill(0, outSize, dtype);
      const out = cx.own(dtype, outSize);
      const strides = stridesOf(outShape);
      const axisStride = strides[axis];
      strides[axis] = 0;
      const acc = cx.scratch(outSize * 8);
      k.scatterAdd(code(dtype, 'scatterAdd'), cx.args(encodeStrided(indexShape, [strides])), is.ptr, axisStride, ss.ptr, acc, out.ptr, outSize);
      cx.release(acc, outSize * 8);
      return out;
    },
    permute(x, shape, perm, dtype) {
      const xs = stridesOf(shape);
      return stridedCopy(cx.st(x, 'permute'), 0, perm.map((p) => shape[p]), perm.map((p) => xs[p]), dtype);
    },
    expand: (x, shape, outShape, dtype) => stridedCopy(cx.st(x, 'expand'), 0, outShape, broadcastStrides(shape, outShape), dtype),
    slice(x, shape, begin, step, outShape, dtype) {
      const xs = stridesOf(shape);
      const base = xs.reduce((acc, s, d) => acc + s * begin[d], 0);
      return stridedCopy(cx.st(x, 'slice'), base, outShape, xs.map((s, d) => s * step[d]), dtype);
    },
    setSlice(base, shape, src, srcShape, begin, step, dtype) {
      const out = copyOf(cx.st(base, 'setSlice'), sizeOf(shape), dtype);
      const xs = stridesOf(shape);
      const at = xs.reduce((acc, s, d) => acc + s * begin[d], 0);
      stridedScatter(cx.st(src, 'setSlice'), srcShape, out, at, xs.map((s, d) => s * step[d]));
      return out;
    },
    concat(inputs, shapes, axis, dtype) {
      const stores = inputs.map((x) => cx.st(x, 'concat'));
      const total = shapes.reduce((acc, s) => acc + s[axis], 0);
      const outShape = shapes[0].map((d, i) => (i === axis ? total : d));
      const out = cx.own(dtype, sizeOf(outShape));
      const os = stridesOf(outShape);
      let at = 0;
      stores.forEach((x, n) => {
        stridedScatter(x, shapes[n], out, at * os[axis], os);
        at += shapes[n][axis];
      });
      return out;
    },
    fill,
    random: (spec, size, dtype) => random(cx, spec, size, dtype),
    scan(op, x, shape, axis, reverse, dtype) {
      const xs = cx.st(x, 'scan');
      const { outer, len, inner } = aroundAxis(shape, axis);
      const out = cx.own(dtype, outer * len * inner);
      if (out.size > 0) k.scan(op === 'sum' ? 0 : 1, code(dtype, 'scan'), reverse ? 1 : 0, outer, len, inner, xs.ptr, out.ptr);
      return out;
    },
    argsort(x, shape, axis, descending, dtype) {
      const xs = cx.st(x, 'argsort');
      const { outer, len, inner } = aroundAxis(shape, axis);
      const out = cx.own('int32', outer * len * inner);
      if (out.size === 0) return out;
      // keys and positions, twice (a radix pass reads one pair of arrays and writes the other), and
      // four 256-entry histograms
      const bytes = len * 16 + 4096;
      const scratch = cx.scratch(bytes);
      k.argsort(code(dtype, 'argsort'), descending ? 1 : 0, outer, len, inner, xs.ptr, out.ptr, scratch);
      cx.release(scratch, bytes);
      return out;
    },
    validate(x, size, dtype, check) {
      // a read-only scan of the heap in place: the values are checked before any kernel sees them
      const xs = cx.st(x, 'validate');
      const at = xs.ptr >>> 2;
      const data = dtype === 'float32' ? cx.heap.floats().subarray(at, at + size)
        : dtype === 'int32' ? cx.heap.ints().subarray(at, at + size)
          : cx.heap.bytes().subarray(xs.ptr, xs.ptr + size);
      const i = firstViolation(data, check);
      if (i >= 0) throw check.error(data[i], i);
    },
  };
}

/**
 * Fused softmax family, float32 only: the one float dtype this backend stores (core casts int and
 * bool inputs to float32 before it looks the kernel up); any other dtype is a BackendError.
 */
export function makeSoftmax(cx: Context, log: boolean) {
  return (x: Storage, shape: Shape, axis: number, dtype: DType): Storage => {
    const xs = cx.st(x, log ? 'logSoftmax' : 'softmax');
    if (dtype !== 'float32') throw new BackendError(`wasm: ${log ? 'logSoftmax' : 'softmax'} expects float32, got ${dtype}`);
    const { outer, len, inner } = aroundAxis(shape, axis);
    const out = cx.own(dtype, outer * len * inner);
    if (out.size > 0) cx.k.softmax(log ? 1 : 0, outer, len, inner, xs.ptr, out.ptr);
    return out;
  };
}

const REDUCTION: Record<string, number> = { none: 0, mean: 1, sum: 2 };

/** Fused cross entropy with class-index targets (float32 logits, int32 targets). */
export function makeCrossEntropy(cx: Context) {
  return (logits: Storage, target: Storage, weight: Storage | null, spec: CrossEntropySpec, dtype: DType): CrossEntropyResult => {
    const xs = cx.st(logits, 'crossEntropy'), ts = cx.st(target, 'crossEntropy');
    const ws = weight === null ? null : cx.st(weight, 'crossEntropy');
    if (dtype !== 'float32') throw new BackendError(`wasm: crossEntropy expects float32 logits, got ${dtype}`);
    const { batch, classes, inner, ignoreIndex, labelSmoothing, reduction } = spec;
    const entries = batch * inner;
    const logProbs = cx.own(dtype, batch * classes * inner);
    const loss = cx.own(dtype, reduction === 'none' ? entries : 1);
    const weightSum = cx.own(dtype, 1);
    const scratch = cx.scratch(entries * 8);
    cx.k.crossEntropy(batch, classes, inner, ignoreIndex, labelSmoothing, REDUCTION[reduction], xs.ptr, ts.ptr,
      ws === null ? 0 : ws.ptr, logProbs.ptr, scratch, loss.ptr, weightSum.ptr);
    cx.release(scratch, entries * 8);
    return { loss, logProbs, weightSum };
  };
}
