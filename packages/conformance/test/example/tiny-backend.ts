import { createCpuBackend } from '@logit/backend-cpu';
import type { Backend, DType, FusedKernels, Primitives, Shape, Storage } from '@logit/core';

/**
 * The worked example of docs/backend-authors.md: a third-party backend in ~40 lines. It stores
 * float32, int32 and bool only (no float64), delegates every primitive to backend-cpu, and adds
 * one fused kernel of its own, a softmax written here. Core composes logSoftmax and crossEntropy
 * from primitives because this backend does not declare them.
 */
export async function createBackend(): Promise<Backend> {
  const cpu = createCpuBackend();

  // every primitive, forwarded; a real backend writes its own kernels here
  const ops: Primitives = {
    unary: (...a) => cpu.ops.unary(...a),
    binary: (...a) => cpu.ops.binary(...a),
    compare: (...a) => cpu.ops.compare(...a),
    where: (...a) => cpu.ops.where(...a),
    cast: (...a) => cpu.ops.cast(...a),
    reduce: (...a) => cpu.ops.reduce(...a),
    argReduce: (...a) => cpu.ops.argReduce(...a),
    matmul: (...a) => cpu.ops.matmul(...a),
    gather: (...a) => cpu.ops.gather(...a),
    scatterAdd: (...a) => cpu.ops.scatterAdd(...a),
    permute: (...a) => cpu.ops.permute(...a),
    expand: (...a) => cpu.ops.expand(...a),
    slice: (...a) => cpu.ops.slice(...a),
    setSlice: (...a) => cpu.ops.setSlice(...a),
    concat: (...a) => cpu.ops.concat(...a),
    fill: (...a) => cpu.ops.fill(...a),
    random: (...a) => cpu.ops.random(...a),
    scan: (...a) => cpu.ops.scan(...a),
    argsort: (...a) => cpu.ops.argsort(...a),
    validate: (...a) => cpu.ops.validate(...a),
  };

  // softmax along `axis`: outer x axis x inner loops, max-subtracted for stability
  const softmax = (x: Storage, shape: Shape, axis: number, dtype: DType): Storage => {
    const src = cpu.readSync!(x);
    const out = new Float32Array(src.length);
    const n = shape[axis] ?? 1;
    const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
    const outer = src.length / Math.max(1, n * inner);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const at = (j: number): number => o * n * inner + j * inner + i;
        let max = -Infinity;
        for (let j = 0; j < n; j++) max = Math.max(max, src[at(j)]);
        if (Number.isNaN(src[at(0)]) || [...Array(n).keys()].some((j) => Number.isNaN(src[at(j)]))) max = NaN;
        let sum = 0;
        for (let j = 0; j < n; j++) sum += Math.exp(src[at(j)] - max);
        for (let j = 0; j < n; j++) out[at(j)] = Math.exp(src[at(j)] - max) / sum;
      }
    }
    const s = cpu.alloc(dtype, out.length);
    cpu.write(s, out);
    return s;
  };
  const fused: Partial<FusedKernels> = { softmax };

  return {
    name: 'tiny',
    dtypes: ['float32', 'int32', 'bool'],
    alloc: (d, n) => cpu.alloc(d, n),
    write: (s, data) => cpu.write(s, data),
    read: (s) => cpu.read(s),
    readSync: (s) => cpu.readSync!(s),
    free: (s) => cpu.free(s),
    memory: () => cpu.memory(),
    ops,
    fused,
  };
}
