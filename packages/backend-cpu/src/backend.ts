import {
  BackendError, bytesPerElement, checkOptions, dtypeOfArray, firstViolation, newArray,
  type Backend, type DType, type FusedKernels, type MemoryInfo, type Primitives, type Storage, type TypedArray,
} from '@logit/core';
import { guardAllocations } from './alloc-guard.js';
import * as k from './kernels/index.js';

/** A CPU storage: a typed array of its dtype, owned by one backend instance. */
export class CpuStorage implements Storage {
  freed = false;
  constructor(
    readonly data: TypedArray,
    readonly dtype: DType,
    readonly owner: object,
  ) {}
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CpuBackendOptions {}

export const CPU_DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

/**
 * The CPU backend, built synchronously. Each kernel reads its inputs' typed arrays, computes a
 * new array in `kernels/`, and the result is wrapped and counted here: kernels know nothing of
 * storages or memory accounting.
 */
export function createCpuBackend(options: CpuBackendOptions = {}): Backend {
  checkOptions('cpu: createBackend', options, {});
  const owner = {};
  const live: MemoryInfo = { storages: 0, bytes: 0 };

  const own = (data: TypedArray, dtype: DType): CpuStorage => {
    live.storages++;
    live.bytes += data.length * bytesPerElement(dtype);
    return new CpuStorage(data, dtype, owner);
  };
  const cpu = (s: Storage, what: string): CpuStorage => {
    if (!(s instanceof CpuStorage) || s.owner !== owner) {
      throw new BackendError(`cpu: ${what} was given a storage that this cpu backend did not allocate`);
    }
    if (s.freed) throw new BackendError(`cpu: ${what} was given a storage that was already freed`);
    return s;
  };
  const arr = (s: Storage, what: string): TypedArray => cpu(s, what).data;

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
  });

  return {
    name: 'cpu',
    dtypes: CPU_DTYPES,
    alloc: guardAllocations({ alloc: (dtype: DType, size: number) => own(newArray(dtype, size), dtype) }).alloc,
    write(s, data) {
      const st = cpu(s, 'write');
      if (dtypeOfArray(data) !== st.dtype || data.length !== st.data.length) {
        throw new BackendError(
          `cpu: write expected a ${st.dtype} array of ${st.data.length} elements, ` +
            `got ${dtypeOfArray(data) ?? 'an unsupported array'} of ${data.length}`,
        );
      }
      st.data.set(data);
    },
    read: (s) => Promise.resolve(arr(s, 'read').slice()),
    readSync: (s) => arr(s, 'readSync').slice(),
    free(s) {
      const st = cpu(s, 'free');
      st.freed = true;
      live.storages--;
      live.bytes -= st.data.length * bytesPerElement(st.dtype);
    },
    memory: () => ({ ...live }),
    ops,
    fused,
  };
}

/** The CPU backend. Async like every Logit backend's factory, so backends are interchangeable. */
export async function createBackend(options: CpuBackendOptions = {}): Promise<Backend> {
  return createCpuBackend(options);
}
