import {
  StorageLedger, checkOptions, firstViolation, newArray,
  type Backend, type DType, type FusedKernels, type Primitives, type Storage, type TypedArray,
} from '@logit/core';
import { guardAllocations } from './alloc-guard.js';
import * as k from './kernels/index.js';

/** A CPU storage: a typed array of its dtype. */
export class CpuStorage implements Storage {
  /**
   * @param data - The elements, row-major (float32 data in a Float32Array, bool as 0/1 bytes).
   * @param dtype - The element type.
   */
  constructor(
    readonly data: TypedArray,
    readonly dtype: DType,
  ) {}

  /** The number of elements. */
  get size(): number {
    return this.data.length;
  }
}

/** Options of `createBackend` for the CPU backend: none yet (the object is there so code can pass one). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CpuBackendOptions {}

/** What the CPU backend stores: float32, float64 (the conformance reference), int32, bool. */
export const CPU_DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

/**
 * The CPU backend, built synchronously. Each kernel reads its inputs' typed arrays, computes a
 * new array in `kernels/`, and the result is wrapped and counted here (core's StorageLedger):
 * kernels know nothing of storages or memory accounting.
 */
export function createCpuBackend(options: CpuBackendOptions = {}): Backend {
  checkOptions('cpu: createBackend', options, {});
  const ledger = new StorageLedger<CpuStorage>('cpu', CPU_DTYPES);
  const own = (data: TypedArray, dtype: DType): CpuStorage => ledger.add(new CpuStorage(data, dtype));
  const arr = (s: Storage, what: string): TypedArray => ledger.get(s, what).data;

  const ops: Primitives = guardAllocations<Primitives>({
    unary: (op, x, size, dtype) => own(k.unary(op, arr(x, op), size, dtype), dtype),
    binary: (op, a, aShape, b, bShape, outShape, dtype) =>
      own(k.binary(op, arr(a, op), aShape, arr(b, op), bShape, outShape, dtype), dtype),
    compare: (op, a, aShape, b, bShape, outShape) =>
      own(k.compare(op, arr(a, op), aShape, arr(b, op), bShape, outShape), 'bool'),
    where: (cond, condShape, a, aShape, b, bShape, outShape, dtype) =>
      own(k.where(arr(cond, 'where'), condShape, arr(a, 'where'), aShape, arr(b, 'where'), bShape, outShape, dtype), dtype),
    cast: (x, size, from, to) => own(k.cast(arr(x, 'cast'), size, from, to), to),
    reduce: (op, x, shape, axes, dtype) => own(k.reduce(op, arr(x, op), shape, axes, dtype), dtype),
    argReduce: (op, x, shape, axis) => own(k.argReduce(op, arr(x, op), shape, axis), 'int32'),
    matmul: (a, b, spec, dtype) => own(k.matmul(arr(a, 'matmul'), arr(b, 'matmul'), spec, dtype), dtype),
    gather: (x, xShape, axis, index, indexShape, dtype) =>
      own(k.gather(arr(x, 'gather'), xShape, axis, arr(index, 'gather'), indexShape, dtype), dtype),
    scatterAdd: (index, indexShape, src, outShape, axis, dtype) =>
      own(k.scatterAdd(arr(index, 'scatterAdd'), indexShape, arr(src, 'scatterAdd'), outShape, axis, dtype), dtype),
    permute: (x, shape, perm, dtype) => own(k.permute(arr(x, 'permute'), shape, perm, dtype), dtype),
    expand: (x, shape, outShape, dtype) => own(k.expand(arr(x, 'expand'), shape, outShape, dtype), dtype),
    slice: (x, shape, begin, step, outShape, dtype) =>
      own(k.slice(arr(x, 'slice'), shape, begin, step, outShape, dtype), dtype),
    setSlice: (base, shape, src, srcShape, begin, step, dtype) =>
      own(k.setSlice(arr(base, 'setSlice'), shape, arr(src, 'setSlice'), srcShape, begin, step), dtype),
    concat: (inputs, shapes, axis, dtype) =>
      own(k.concat(inputs.map((x) => arr(x, 'concat')), shapes, axis, dtype), dtype),
    fill: (value, size, dtype) => own(k.fill(value, size, dtype), dtype),
    random: (spec, size, dtype) => own(k.random(spec, size, dtype), dtype),
    scan: (op, x, shape, axis, reverse, dtype) => own(k.scan(op, arr(x, 'scan'), shape, axis, reverse, dtype), dtype),
    argsort: (x, shape, axis, descending, dtype) => own(k.argsort(arr(x, 'argsort'), shape, axis, descending, dtype), 'int32'),
    validate(x, _size, _dtype, check) {
      const data = arr(x, 'validate');
      const i = firstViolation(data, check);
      if (i >= 0) throw check.error(data[i], i);
    },
  });

  const fused: FusedKernels = guardAllocations<FusedKernels>({
    logSoftmax: (x, shape, axis, dtype) => own(k.logSoftmax(arr(x, 'logSoftmax'), shape, axis, dtype), dtype),
    softmax: (x, shape, axis, dtype) => own(k.softmax(arr(x, 'softmax'), shape, axis, dtype), dtype),
    crossEntropy: (logits, target, weight, spec, dtype) => {
      const r = k.crossEntropy(arr(logits, 'crossEntropy'), arr(target, 'crossEntropy') as Int32Array, weight ? arr(weight, 'crossEntropy') : null, spec, dtype);
      return { loss: own(r.loss, dtype), logProbs: own(r.logProbs, dtype), weightSum: own(r.weightSum, dtype) };
    },
    sgdStep: (param, grad, buf, size, spec, dtype) => {
      const r = k.sgdStep(arr(param, 'sgdStep'), arr(grad, 'sgdStep'), buf ? arr(buf, 'sgdStep') : null, size, spec, dtype);
      return { param: own(r.param, dtype), momentumBuffer: r.momentumBuffer ? own(r.momentumBuffer, dtype) : null };
    },
    adamStep: (param, grad, state, size, spec, dtype) => {
      const moments = {
        expAvg: arr(state.expAvg, 'adamStep'),
        expAvgSq: arr(state.expAvgSq, 'adamStep'),
        maxExpAvgSq: state.maxExpAvgSq ? arr(state.maxExpAvgSq, 'adamStep') : null,
      };
      const r = k.adamStep(arr(param, 'adamStep'), arr(grad, 'adamStep'), moments, size, spec, dtype);
      return {
        param: own(r.param, dtype), expAvg: own(r.expAvg, dtype), expAvgSq: own(r.expAvgSq, dtype),
        maxExpAvgSq: r.maxExpAvgSq ? own(r.maxExpAvgSq, dtype) : null,
      };
    },
    layerNorm: (x, weight, bias, spec, dtype) => {
      const r = k.layerNorm(arr(x, 'layerNorm'), weight ? arr(weight, 'layerNorm') : null, bias ? arr(bias, 'layerNorm') : null, spec, dtype);
      return { out: own(r.out, dtype), mean: own(r.mean, dtype), rstd: own(r.rstd, dtype) };
    },
    layerNormBackward: (dy, x, mean, rstd, weight, spec, dtype) => {
      const a = (s: Storage): TypedArray => arr(s, 'layerNormBackward');
      const r = k.layerNormBackward(a(dy), a(x), a(mean), a(rstd), weight ? a(weight) : null, spec, dtype);
      return { dx: own(r.dx, dtype), dweight: own(r.dweight, dtype), dbias: own(r.dbias, dtype) };
    },
    attention: (q, key, v, mask, spec, dtype) => {
      const a = (s: Storage): TypedArray => arr(s, 'attention');
      const r = k.attention(a(q), a(key), a(v), mask ? a(mask) : null, spec, dtype);
      return { out: own(r.out, dtype), probs: own(r.probs, dtype) };
    },
    attentionBackward: (g, q, key, v, probs, spec, dtype) => {
      const a = (s: Storage): TypedArray => arr(s, 'attentionBackward');
      const r = k.attentionBackward(a(g), a(q), a(key), a(v), a(probs), spec, dtype);
      return { dq: own(r.dq, dtype), dk: own(r.dk, dtype), dv: own(r.dv, dtype) };
    },
    lstmCell: (xg, hg, c, spec, dtype) => {
      const r = k.lstmCell(arr(xg, 'lstmCell'), arr(hg, 'lstmCell'), arr(c, 'lstmCell'), spec, dtype);
      return { h: own(r.h, dtype), c: own(r.c, dtype), gates: own(r.gates, dtype) };
    },
    lstmCellBackward: (gates, c, cNew, dh, dc, spec, dtype) => {
      const what = 'lstmCellBackward';
      const r = k.lstmCellBackward(arr(gates, what), arr(c, what), arr(cNew, what), arr(dh, what), arr(dc, what), spec, dtype);
      return { dgates: own(r.dgates, dtype), dc: own(r.dc, dtype) };
    },
    gruCell: (xg, hg, bhh, h, spec, dtype) => {
      const r = k.gruCell(arr(xg, 'gruCell'), arr(hg, 'gruCell'), bhh ? arr(bhh, 'gruCell') : null, arr(h, 'gruCell'), spec, dtype);
      return { h: own(r.h, dtype), gates: own(r.gates, dtype) };
    },
    gruCellBackward: (gates, h, dh, spec, dtype) => {
      const r = k.gruCellBackward(arr(gates, 'gruCellBackward'), arr(h, 'gruCellBackward'), arr(dh, 'gruCellBackward'), spec, dtype);
      return { dxg: own(r.dxg, dtype), dhg: own(r.dhg, dtype), dh: own(r.dh, dtype) };
    },
    conv2d: (x, w, bias, spec, dtype) =>
      own(k.conv2d(arr(x, 'conv2d'), arr(w, 'conv2d'), bias ? arr(bias, 'conv2d') : null, spec, dtype), dtype),
    conv2dBackwardInput: (grad, w, spec, dtype) =>
      own(k.conv2dBackwardInput(arr(grad, 'conv2dBackwardInput'), arr(w, 'conv2dBackwardInput'), spec, dtype), dtype),
    conv2dBackwardWeight: (x, grad, spec, dtype) =>
      own(k.conv2dBackwardWeight(arr(x, 'conv2dBackwardWeight'), arr(grad, 'conv2dBackwardWeight'), spec, dtype), dtype),
    maxPool2d: (x, spec, dtype) => {
      const r = k.maxPool2d(arr(x, 'maxPool2d'), spec, dtype);
      return { out: own(r.out, dtype), indices: own(r.indices, 'int32') };
    },
    maxPool2dBackward: (grad, indices, spec, dtype) =>
      own(k.maxPool2dBackward(arr(grad, 'maxPool2dBackward'), arr(indices, 'maxPool2dBackward') as Int32Array, spec, dtype), dtype),
    avgPool2d: (x, spec, dtype) => own(k.avgPool2d(arr(x, 'avgPool2d'), spec, dtype), dtype),
    avgPool2dBackward: (grad, spec, dtype) => own(k.avgPool2dBackward(arr(grad, 'avgPool2dBackward'), spec, dtype), dtype),
  });

  return {
    name: 'cpu',
    dtypes: CPU_DTYPES,
    alloc: guardAllocations({ alloc: (dtype: DType, size: number) => own(newArray(ledger.checkDType(dtype), size), dtype) }).alloc,
    write(s, data) {
      const st = ledger.get(s, 'write');
      ledger.checkWrite(st, data);
      st.data.set(data);
    },
    read: (s) => Promise.resolve(arr(s, 'read').slice()),
    readSync: (s) => arr(s, 'readSync').slice(),
    free: (s) => void ledger.remove(s),
    memory: () => ledger.memory(),
    ops,
    fused,
  };
}

/** The CPU backend. Async like every Logit backend's factory, so backends are interchangeable. */
export async function createBackend(options: CpuBackendOptions = {}): Promise<Backend> {
  return createCpuBackend(options);
}
