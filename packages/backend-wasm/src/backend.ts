import {
  StorageLedger, ValueError, bytesPerElement, checkOptions, newArray,
  type Backend, type DType, type FusedKernels, type Storage, type TypedArray,
} from '@logit/core';
import { WasmStorage, type Context } from './context.js';
import { Heap } from './heap.js';
import { compileKernels, instantiate, type Variant } from './load.js';
import { makeCrossEntropy, makeOps, makeSoftmax } from './ops.js';
import { makeAdamStep, makeSgdStep } from './optim.js';
import { makeAttention, makeAttentionBackward, makeLayerNorm, makeLayerNormBackward } from './transformer.js';
import { makeConv2d, makeConv2dBackwardInput, makeConv2dBackwardWeight } from './conv.js';
import { makeAvgPool2d, makeAvgPool2dBackward, makeMaxPool2d, makeMaxPool2dBackward } from './pool.js';
import { makeGruCell, makeGruCellBackward, makeLstmCell, makeLstmCellBackward } from './rnn.js';
import { CTL_BYTES, ThreadPool, threadsAvailable } from './threads.js';

/** The maximum the -mt builds declare (scripts/build-wasm.mjs): 2 GiB. */
const MAX_PAGES = 32768;

/** Options of the WebAssembly backend's `createBackend`. */
export interface WasmBackendOptions {
  /**
   * Which build to run: 'auto' (default) picks relaxed SIMD (FMA) where the runtime validates it
   * and plain SIMD otherwise; 'simd' forces plain SIMD (bit-stable float32 matmul across CPUs).
   */
  simd?: 'auto' | 'simd';
  /**
   * Threads for large matmuls, the calling one included (default 1). Needs shared memory: always
   * in Node, only when crossOriginIsolated in a browser; elsewhere it falls back to 1.
   */
  threads?: number;
}

/** The backend object, plus what tests and benchmarks may want to look at. */
export interface WasmBackend extends Backend {
  /** The build in use. */
  readonly variant: Variant;
  /** The linear memory every storage lives in. */
  readonly wasmMemory: WebAssembly.Memory;
  /** Threads matmul actually uses (1 where shared memory is not available). */
  readonly threads: number;
}

/** What the WebAssembly backend stores: float32, int32, bool (no float64). */
export const WASM_DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/**
 * The WebAssembly backend: tensors live in one wasm linear memory managed by a JS-side allocator
 * (src/heap.ts); kernels are AssemblyScript (assembly/) and only ever see pointers.
 */
export async function createBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  checkOptions('wasm: createBackend', options, { simd: true, threads: true });
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new ValueError(`wasm: createBackend expected threads to be a positive integer, got ${threads}`);
  }
  const simd = options.simd ?? 'auto';
  if (simd !== 'auto' && simd !== 'simd') {
    throw new ValueError(`wasm: createBackend expected simd to be 'auto' or 'simd', got ${String(simd)}`);
  }
  const threaded = threads > 1 && threadsAvailable();
  const compiled = await compileKernels(simd === 'auto', threaded);
  const memory = threaded
    ? new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true })
    : new WebAssembly.Memory({ initial: 16 });
  const loaded = await instantiate(compiled, memory);
  const k = loaded.exports;
  const heap = new Heap(memory, k.heapBase());
  let pool: ThreadPool | null = null;
  if (threaded) {
    const ctl = heap.alloc(CTL_BYTES); // lives as long as the backend
    new Int32Array(memory.buffer, ctl, CTL_BYTES / 4).fill(0);
    pool = await ThreadPool.start(threads - 1, compiled.module, memory, ctl);
  }

  const ledger = new StorageLedger<WasmStorage>('wasm', WASM_DTYPES);
  let argsPtr = 0;
  let argsBytes = 0;

  const cx: Context = {
    k,
    heap,
    pool,
    own: (dtype, size) => ledger.add(new WasmStorage(heap.alloc(size * bytesPerElement(dtype)), size, dtype)),
    disown(s) {
      const st = ledger.remove(s);
      heap.release(st.ptr, st.bytes);
    },
    st: (s, what) => ledger.get(s, what),
    args(block) {
      if (block.byteLength > argsBytes) {
        if (argsBytes > 0) heap.release(argsPtr, argsBytes);
        argsBytes = Math.max(256, block.byteLength * 2);
        argsPtr = heap.alloc(argsBytes);
      }
      heap.ints().set(block, argsPtr >>> 2);
      return argsPtr;
    },
    scratch: (bytes) => heap.alloc(bytes),
    release: (ptr, bytes) => heap.release(ptr, bytes),
  };

  const fused: Partial<FusedKernels> = {
    logSoftmax: makeSoftmax(cx, true),
    softmax: makeSoftmax(cx, false),
    crossEntropy: makeCrossEntropy(cx),
    sgdStep: makeSgdStep(cx),
    adamStep: makeAdamStep(cx),
    layerNorm: makeLayerNorm(cx),
    layerNormBackward: makeLayerNormBackward(cx),
    attention: makeAttention(cx),
    attentionBackward: makeAttentionBackward(cx),
    lstmCell: makeLstmCell(cx),
    lstmCellBackward: makeLstmCellBackward(cx),
    gruCell: makeGruCell(cx),
    gruCellBackward: makeGruCellBackward(cx),
    conv2d: makeConv2d(cx),
    conv2dBackwardInput: makeConv2dBackwardInput(cx),
    conv2dBackwardWeight: makeConv2dBackwardWeight(cx),
    maxPool2d: makeMaxPool2d(cx),
    maxPool2dBackward: makeMaxPool2dBackward(cx),
    avgPool2d: makeAvgPool2d(cx),
    avgPool2dBackward: makeAvgPool2dBackward(cx),
  };

  const view = (s: WasmStorage): TypedArray => {
    const buf = memory.buffer;
    if (s.dtype === 'float32') return new Float32Array(buf, s.ptr, s.size);
    if (s.dtype === 'int32') return new Int32Array(buf, s.ptr, s.size);
    return new Uint8Array(buf, s.ptr, s.size);
  };
  const readSync = (s: Storage): TypedArray => {
    const st = cx.st(s, 'read');
    const out = newArray(st.dtype, st.size);
    out.set(view(st));
    return out;
  };

  return {
    name: 'wasm',
    dtypes: WASM_DTYPES,
    variant: loaded.variant,
    wasmMemory: memory,
    threads: pool ? pool.threads : 1,
    alloc: (dtype, size) => cx.own(ledger.checkDType(dtype), size),
    write(s, data) {
      const st = cx.st(s, 'write');
      ledger.checkWrite(st, data);
      view(st).set(data);
    },
    read: (s) => Promise.resolve(readSync(s)),
    readSync,
    free: (s) => cx.disown(s),
    memory: () => ledger.memory(),
    ops: makeOps(cx),
    fused,
  };
}
