import {
  StorageLedger, checkOptions,
  type Backend, type DType, type FusedKernels, type Primitives, type Storage, type TypedArray,
} from '@logit/core';
import type { KernelContext } from './context.js';
import { acquireDevice, type WebGpuBackendOptions } from './device.js';
import { Engine, fromWords, toWords } from './engine.js';
import { GpuStorage } from './storage.js';
import * as k from './programs/index.js';

/** What the WebGPU backend stores: float32, int32, bool (no float64). */
export const WEBGPU_DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** The WebGPU backend, with what a caller may want beyond the Backend contract. */
export interface WebGpuBackend extends Backend {
  /** The device every kernel runs on. */
  readonly device: GPUDevice;
  /** The adapter the device came from (null when a device was given). */
  readonly adapter: GPUAdapter | null;
  /** Counters: command-buffer submits, kernel dispatches, compiled pipelines. */
  readonly stats: {
    /** Command buffers submitted to the queue. */
    submits: number;
    /** Compute dispatches (one per kernel call). */
    dispatches: number;
    /** Compute pipelines compiled (one per distinct generated shader). */
    pipelines: number;
  };
  /**
   * Submits pending kernels and waits until the GPU finished them and their error checks; throws
   * the first failed device-side check (a bad index or value, see `Primitives.validate`).
   */
  sync(): Promise<void>;
  /** Releases pooled buffers and, when the backend created the device, the device. */
  destroy(): void;
}

/**
 * The WebGPU backend: every primitive and fused kernel is a generated WGSL program (see
 * programs/), run by an Engine that batches dispatches into few submits and reads back only on
 * `read`. There is no `readSync`: WebGPU cannot read synchronously, so core's `dataSync()`
 * says to use `await t.data()`.
 *
 * Storage: 4 bytes per element for every dtype (bool as u32 0/1). `memory()` counts live
 * storages and their logical bytes (elements x the dtype's host size, as backend-cpu does);
 * pooled GPU buffers are not counted.
 */
export async function createBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  checkOptions('webgpu: createBackend', options, { adapter: true, powerPreference: true, device: true });
  // The adapter is kept with the backend (returned below) so no Dawn object the device came
  // from is collected while the device works.
  const { device, owned, adapter } = await acquireDevice(options);
  const engine = new Engine(device);
  const ledger = new StorageLedger<GpuStorage>('webgpu', WEBGPU_DTYPES);
  const alloc = (dtype: DType, size: number): GpuStorage => ledger.add(engine.alloc(ledger.checkDType(dtype), size));
  const gpu = (s: Storage, what: string): GpuStorage => ledger.get(s, what);
  const free = (s: Storage): void => engine.pool.release(ledger.remove(s).buffer);
  const ctx: KernelContext = { engine, alloc, free };

  const ops: Primitives = {
    unary: (op, x, size, dtype) => k.unary(ctx, op, gpu(x, op), size, dtype),
    binary: (op, a, aShape, b, bShape, outShape, dtype) => k.binary(ctx, op, gpu(a, op), aShape, gpu(b, op), bShape, outShape, dtype),
    compare: (op, a, aShape, b, bShape, outShape, dtype) => k.compare(ctx, op, gpu(a, op), aShape, gpu(b, op), bShape, outShape, dtype),
    where: (cond, condShape, a, aShape, b, bShape, outShape, dtype) =>
      k.where(ctx, gpu(cond, 'where'), condShape, gpu(a, 'where'), aShape, gpu(b, 'where'), bShape, outShape, dtype),
    cast: (x, size, from, to) => k.cast(ctx, gpu(x, 'cast'), size, from, to),
    reduce: (op, x, shape, axes, dtype) => k.reduce(ctx, op, gpu(x, op), shape, axes, dtype),
    argReduce: (op, x, shape, axis, dtype) => k.argReduce(ctx, op, gpu(x, op), shape, axis, dtype),
    matmul: (a, b, spec, dtype) => k.matmul(ctx, gpu(a, 'matmul'), gpu(b, 'matmul'), spec, dtype),
    gather: (x, xShape, axis, index, indexShape, dtype) => k.gather(ctx, gpu(x, 'gather'), xShape, axis, gpu(index, 'gather'), indexShape, dtype),
    scatterAdd: (index, indexShape, src, outShape, axis, dtype) =>
      k.scatterAdd(ctx, gpu(index, 'scatterAdd'), indexShape, gpu(src, 'scatterAdd'), outShape, axis, dtype),
    permute: (x, shape, perm, dtype) => k.permute(ctx, gpu(x, 'permute'), shape, perm, dtype),
    expand: (x, shape, outShape, dtype) => k.expand(ctx, gpu(x, 'expand'), shape, outShape, dtype),
    slice: (x, shape, begin, step, outShape, dtype) => k.slice(ctx, gpu(x, 'slice'), shape, begin, step, outShape, dtype),
    setSlice: (base, shape, src, srcShape, begin, step, dtype) =>
      k.setSlice(ctx, gpu(base, 'setSlice'), shape, gpu(src, 'setSlice'), srcShape, begin, step, dtype),
    concat: (inputs, shapes, axis, dtype) => k.concat(ctx, inputs.map((x) => gpu(x, 'concat')), shapes, axis, dtype),
    fill: (value, size, dtype) => k.fill(ctx, value, size, dtype),
    random: (spec, size, dtype) => k.random(ctx, spec, size, dtype),
    scan: (op, x, shape, axis, reverse, dtype) => k.scan(ctx, op, gpu(x, 'scan'), shape, axis, reverse, dtype),
    argsort: (x, shape, axis, descending, dtype) => k.argsort(ctx, gpu(x, 'argsort'), shape, axis, descending, dtype),
    validate: (x, size, dtype, check) => k.validate(ctx, gpu(x, 'validate'), size, dtype, check),
  };

  // Fused kernels are optional in the contract: core composes primitives for any not listed here.
  const fused: Partial<FusedKernels> = {
    logSoftmax: (x, shape, axis, dtype) => k.softmaxKernel(ctx, 'logSoftmax', gpu(x, 'logSoftmax'), shape, axis, dtype),
    softmax: (x, shape, axis, dtype) => k.softmaxKernel(ctx, 'softmax', gpu(x, 'softmax'), shape, axis, dtype),
    crossEntropy: (logits, target, weight, spec, dtype) =>
      k.crossEntropy(ctx, gpu(logits, 'crossEntropy'), gpu(target, 'crossEntropy'), weight ? gpu(weight, 'crossEntropy') : null, spec, dtype),
    sgdStep: (param, grad, buf, size, spec, dtype) =>
      k.sgdStep(ctx, gpu(param, 'sgdStep'), gpu(grad, 'sgdStep'), buf ? gpu(buf, 'sgdStep') : null, size, spec, dtype),
    adamStep: (param, grad, state, size, spec, dtype) => k.adamStep(ctx, gpu(param, 'adamStep'), gpu(grad, 'adamStep'), {
      expAvg: gpu(state.expAvg, 'adamStep'),
      expAvgSq: gpu(state.expAvgSq, 'adamStep'),
      maxExpAvgSq: state.maxExpAvgSq ? gpu(state.maxExpAvgSq, 'adamStep') : null,
    }, size, spec, dtype),
    layerNorm: (x, weight, bias, spec, dtype) =>
      k.layerNorm(ctx, gpu(x, 'layerNorm'), weight ? gpu(weight, 'layerNorm') : null, bias ? gpu(bias, 'layerNorm') : null, spec, dtype),
    layerNormBackward: (dy, x, mean, rstd, weight, spec, dtype) => {
      const g = (s: Storage): GpuStorage => gpu(s, 'layerNormBackward');
      return k.layerNormBackward(ctx, g(dy), g(x), g(mean), g(rstd), weight ? g(weight) : null, spec, dtype);
    },
    lstmCell: (xg, hg, c, spec, dtype) => k.lstmCell(ctx, gpu(xg, 'lstmCell'), gpu(hg, 'lstmCell'), gpu(c, 'lstmCell'), spec, dtype),
    lstmCellBackward: (gates, c, cNew, dh, dc, spec, dtype) => {
      const op = 'lstmCellBackward';
      return k.lstmCellBackward(ctx, gpu(gates, op), gpu(c, op), gpu(cNew, op), gpu(dh, op), gpu(dc, op), spec, dtype);
    },
    gruCell: (xg, hg, bhh, h, spec, dtype) =>
      k.gruCell(ctx, gpu(xg, 'gruCell'), gpu(hg, 'gruCell'), bhh ? gpu(bhh, 'gruCell') : null, gpu(h, 'gruCell'), spec, dtype),
    gruCellBackward: (gates, h, dh, spec, dtype) =>
      k.gruCellBackward(ctx, gpu(gates, 'gruCellBackward'), gpu(h, 'gruCellBackward'), gpu(dh, 'gruCellBackward'), spec, dtype),
    conv2d: (x, w, bias, spec, dtype) => k.conv2d(ctx, gpu(x, 'conv2d'), gpu(w, 'conv2d'), bias ? gpu(bias, 'conv2d') : null, spec, dtype),
    conv2dBackwardInput: (grad, w, spec, dtype) =>
      k.conv2dBackwardInput(ctx, gpu(grad, 'conv2dBackwardInput'), gpu(w, 'conv2dBackwardInput'), spec, dtype),
    conv2dBackwardWeight: (x, grad, spec, dtype) =>
      k.conv2dBackwardWeight(ctx, gpu(x, 'conv2dBackwardWeight'), gpu(grad, 'conv2dBackwardWeight'), spec, dtype),
    maxPool2d: (x, spec, dtype) => k.maxPool2d(ctx, gpu(x, 'maxPool2d'), spec, dtype),
    maxPool2dBackward: (grad, indices, spec, dtype) =>
      k.maxPool2dBackward(ctx, gpu(grad, 'maxPool2dBackward'), gpu(indices, 'maxPool2dBackward'), spec, dtype),
    avgPool2d: (x, spec, dtype) => k.avgPool2d(ctx, gpu(x, 'avgPool2d'), spec, dtype),
    avgPool2dBackward: (grad, spec, dtype) => k.avgPool2dBackward(ctx, gpu(grad, 'avgPool2dBackward'), spec, dtype),
  };

  return {
    name: 'webgpu',
    dtypes: WEBGPU_DTYPES,
    device,
    adapter,
    stats: engine.stats,
    alloc,
    write(s, data: TypedArray) {
      const st = gpu(s, 'write');
      ledger.checkWrite(st, data);
      engine.write(st, toWords(st.dtype, data));
    },
    async read(s) {
      const st = gpu(s, 'read');
      return fromWords(st.dtype, await engine.read(st));
    },
    free,
    memory: () => ledger.memory(),
    ops,
    fused,
    sync: () => engine.sync(),
    destroy() {
      engine.destroy();
      if (owned) device.destroy();
    },
  };
}
