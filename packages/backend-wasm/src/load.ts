/**
 * Finds, picks and instantiates the kernels' .wasm. The files sit in the package's dist/wasm/
 * folder, so `new URL('../dist/wasm/…', import.meta.url)` resolves from the sources (tests, in
 * src/) and from the bundle (dist/) alike, and bundlers that understand that pattern copy the asset.
 * Node reads the file (fs is imported dynamically so the browser path never sees it); browsers
 * fetch it.
 */
export type Variant = 'relaxed' | 'simd';

/** The exports of assembly/index.ts; pointers and sizes are plain numbers. */
export interface KernelExports {
  heapBase(): number;
  features(): number;
  unary(op: number, dtype: number, n: number, x: number, out: number): void;
  cast(from: number, to: number, n: number, x: number, out: number): void;
  fill32(bits: number, n: number, out: number): void;
  fill8(v: number, n: number, out: number): void;
  binary(op: number, dtype: number, p: number, a: number, b: number, out: number): void;
  compare(op: number, dtype: number, p: number, a: number, b: number, out: number): void;
  where(dtype: number, p: number, c: number, a: number, b: number, out: number): void;
  reduce(op: number, dtype: number, p: number, x: number, acc: number, out: number, outSize: number): void;
  argReduce(sign: number, dtype: number, outer: number, len: number, inner: number, x: number, out: number): void;
  softmax(log: number, outer: number, len: number, inner: number, x: number, out: number): void;
  crossEntropy(
    batch: number, classes: number, inner: number, ignoreIndex: number, labelSmoothing: number, reduction: number,
    x: number, target: number, weight: number, logProbs: number, perEntry: number, loss: number, weightSum: number,
  ): void;
  sgdStep(
    n: number, param: number, grad: number, buf: number, outParam: number, outBuf: number,
    lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: number, maximize: number,
  ): void;
  adamStep(
    n: number, param: number, grad: number, m: number, v: number, vmax: number,
    outParam: number, outM: number, outV: number, outVmax: number,
    lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, decoupled: number, maximize: number, step: number,
  ): void;
  stridedCopy(esz: number, p: number, x: number, out: number): void;
  stridedScatter(esz: number, p: number, src: number, out: number): void;
  gather(esz: number, p: number, x: number, axisStride: number, index: number, out: number): void;
  scatterAdd(dtype: number, p: number, index: number, axisStride: number, src: number, acc: number, out: number, outSize: number): void;
  gemm(
    a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number,
    m: number, n: number, k: number, scratch: number,
  ): void;
  matmulGeneric(
    dtype: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number,
    m: number, n: number, k: number,
  ): void;
  matmulScratchBytes(n: number, k: number): number;
  gemmPrepare(
    ctl: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number,
    m: number, n: number, k: number, threads: number, scratch: number,
  ): number;
  gemmWork(ctl: number, thread: number): void;
  gemmThreadsScratchBytes(m: number, n: number, k: number, threads: number): number;
  layerNorm(rows: number, cols: number, eps: number, x: number, weight: number, bias: number, out: number, mean: number, rstd: number): void;
  layerNormBackward(
    rows: number, cols: number, dy: number, x: number, mean: number, rstd: number, weight: number,
    dx: number, dweight: number, dbias: number, acc: number,
  ): void;
  attention(
    batch: number, l: number, s: number, e: number, ev: number, scale: number, causal: number, maskStride: number, nanRows: number,
    q: number, k: number, v: number, mask: number, out: number, probs: number, score: number,
  ): void;
  attentionBackward(
    batch: number, l: number, s: number, e: number, ev: number, scale: number,
    g: number, q: number, k: number, v: number, probs: number, dq: number, dk: number, dv: number, scratch: number,
  ): void;
  lstmCell(batch: number, hidden: number, xg: number, hg: number, c: number, outH: number, outC: number, gates: number): void;
  lstmCellBackward(batch: number, hidden: number, gates: number, c: number, cNew: number, dh: number, dc: number, outDgates: number, outDc: number): void;
  gruCell(batch: number, hidden: number, xg: number, hg: number, bhh: number, h: number, outH: number, gates: number): void;
  gruCellBackward(batch: number, hidden: number, gates: number, h: number, dh: number, outDxg: number, outDhg: number, outDh: number): void;
  scan(op: number, dtype: number, reverse: number, outer: number, len: number, inner: number, x: number, out: number): void;
  argsort(dtype: number, descending: number, outer: number, len: number, inner: number, x: number, out: number, scratch: number): void;
  convPrepare(ctl: number, job: number): number;
  convWork(ctl: number, thread: number): void;
  poolWork(ctl: number, thread: number): void;
  im2col(geometry: number, x: number, cols: number): void;
  col2im(geometry: number, cols: number, x: number): void;
  addInto(dst: number, src: number, n: number): void;
  addRowBias(y: number, rows: number, cols: number, bias: number): void;
  maxPool2d(geometry: number, x: number, out: number, indices: number): void;
  maxPool2dBackward(geometry: number, grad: number, indices: number, acc: number, gx: number): void;
  avgPool2d(geometry: number, x: number, out: number): void;
  avgPool2dBackward(geometry: number, grad: number, acc: number, gx: number): void;
}

export interface LoadedKernels {
  variant: Variant;
  module: WebAssembly.Module;
  instance: WebAssembly.Instance;
  exports: KernelExports;
}

export const isNode = (): boolean =>
  typeof process !== 'undefined' && typeof process.versions === 'object' && !!process.versions?.node;

/** One literal URL per file, so bundlers can see and copy each asset. */
function urlOf(variant: Variant, threads: boolean): URL {
  if (threads) {
    return variant === 'relaxed'
      ? new URL('../dist/wasm/logit-relaxed-mt.wasm', import.meta.url)
      : new URL('../dist/wasm/logit-simd-mt.wasm', import.meta.url);
  }
  return variant === 'relaxed'
    ? new URL('../dist/wasm/logit-relaxed.wasm', import.meta.url)
    : new URL('../dist/wasm/logit-simd.wasm', import.meta.url);
}

async function bytesOf(url: URL): Promise<ArrayBuffer> {
  if (isNode()) {
    const fsName = 'node:fs/promises'; // a variable, so bundlers for the browser leave it alone
    const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
    const buf = await fs.readFile(url);
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`wasm: could not fetch ${url.href} (HTTP ${res.status})`);
  return res.arrayBuffer();
}

/** Node 20 has relaxed SIMD behind a flag; turning it on only affects modules compiled later. */
async function enableRelaxedSimdInNode(): Promise<void> {
  if (!isNode()) return;
  try {
    const v8Name = 'node:v8';
    const v8 = (await import(/* @vite-ignore */ v8Name)) as typeof import('node:v8');
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // not fatal: the plain SIMD build is used
  }
}

/**
 * Compiles the best build this runtime validates (relaxed SIMD first unless disabled); `threads`
 * picks the builds that import a shared memory.
 */
export async function compileKernels(relaxed: boolean, threads: boolean): Promise<{ variant: Variant; module: WebAssembly.Module }> {
  if (relaxed) {
    const bytes = await bytesOf(urlOf('relaxed', threads));
    // the flag is only touched where relaxed SIMD is not already on (Node 20; later Nodes ship it)
    if (!WebAssembly.validate(bytes)) await enableRelaxedSimdInNode();
    if (WebAssembly.validate(bytes)) return { variant: 'relaxed', module: await WebAssembly.compile(bytes) };
  }
  const bytes = await bytesOf(urlOf('simd', threads));
  if (!WebAssembly.validate(bytes)) {
    throw new Error('wasm: this runtime does not support WebAssembly SIMD, which @logit/backend-wasm needs');
  }
  return { variant: 'simd', module: await WebAssembly.compile(bytes) };
}

export async function instantiate(
  compiled: { variant: Variant; module: WebAssembly.Module },
  memory: WebAssembly.Memory,
): Promise<LoadedKernels> {
  const instance = await WebAssembly.instantiate(compiled.module, { env: { memory } });
  return { ...compiled, instance, exports: instance.exports as unknown as KernelExports };
}
