import { BackendError } from '@logit/core';
import { isNode, type KernelExports } from './load.js';

/**
 * Worker threads for matmul over the shared wasm memory. Each worker instantiates the same
 * module on the same memory and waits on one shared control block (CTL_BYTES at `ctl`); a job
 * is one product laid out by the kernels' gemmPrepare, which every thread then works through
 * with gemmWork, taking small tasks until none are left (assembly/matmul-threads.ts). So a
 * worker that wakes late or is preempted only means the others do more of the product.
 *
 * SEQ is odd while a job is open and even once it is closed: a worker counts itself in
 * (JOINED) and checks that its job is still open before it reads the job's arguments, and the
 * caller closes the job and waits for JOINED to reach 0 before it may lay out the next one.
 * A thread whose call traps (a kernel bug) sets FAILED: the others stop waiting for its task,
 * the caller throws a BackendError, and the pool refuses later products instead of hanging.
 */
export const CTL_BYTES = 128;
const SEQ = 0;
const DONE = 2;
const JOINED = 3;
const FAILED = 16; // byte 64; assembly/matmul-threads.ts reads it there
/** 1 when the calling thread may block in wasm's atomic.wait (byte 76; assembly/matmul-threads.ts reads it). */
const CAN_WAIT = 19;
/** How long a worker polls for its next job before it sleeps (see the worker's loop). */
const WORKER_SPIN_MS = 0.3;
/** How long the calling thread polls for the workers' last tasks before it sleeps. */
const CALLER_SPIN_MS = 0.1;

/** The worker's whole program, as a string so it needs no separate file (Node: eval; browser: blob). */
const WORKER_SOURCE = `
const start = ({ module, memory, ctl, index }) => {
  const work = new WebAssembly.Instance(module, { env: { memory } }).exports.poolWork;
  const w = new Int32Array(memory.buffer, ctl, ${CTL_BYTES / 4});
  let seen = 0;
  post('ready');
  for (;;) {
    let seq = Atomics.load(w, ${SEQ});
    // A loop of matmuls opens the next job within ~0.1 ms of this one closing; polling that
    // long saves the futex wake-up (hundreds of us in a VM) and bounds the CPU it wastes.
    for (const until = performance.now() + ${WORKER_SPIN_MS}; seq === seen && performance.now() < until;) {
      for (let i = 0; i < 64 && seq === seen; i++) seq = Atomics.load(w, ${SEQ});
    }
    if (seq === seen) {
      Atomics.wait(w, ${SEQ}, seen);
      seq = Atomics.load(w, ${SEQ});
    }
    if (seq < 0) return;
    seen = seq;
    if ((seq & 1) === 0) continue; // closed before this worker got to it
    Atomics.add(w, ${JOINED}, 1);
    try {
      if (Atomics.load(w, ${SEQ}) === seq) work(ctl, index);
    } catch {
      Atomics.store(w, ${FAILED}, 1);
    }
    Atomics.sub(w, ${JOINED}, 1);
    Atomics.notify(w, ${JOINED});
    Atomics.notify(w, ${DONE});
  }
};
let post;
if (typeof self === 'undefined') {
  const { parentPort } = require('node:worker_threads');
  post = (m) => parentPort.postMessage(m);
  parentPort.once('message', start);
} else {
  post = (m) => self.postMessage(m);
  self.onmessage = (e) => start(e.data);
}
`;

interface Handle {
  terminate(): void;
}

/** Whether this runtime can share wasm memory with workers. */
export function threadsAvailable(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  if (isNode()) return true;
  return typeof Worker !== 'undefined' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

async function spawn(module: WebAssembly.Module, memory: WebAssembly.Memory, ctl: number, index: number): Promise<Handle> {
  const init = { module, memory, ctl, index };
  if (isNode()) {
    const wtName = 'node:worker_threads';
    const { Worker: NodeWorker } = (await import(/* @vite-ignore */ wtName)) as typeof import('node:worker_threads');
    const w = new NodeWorker(WORKER_SOURCE, { eval: true });
    w.unref(); // an idle pool must not keep the process alive
    await new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
      w.postMessage(init);
    });
    return { terminate: () => void w.terminate() };
  }
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const w = new Worker(url);
  await new Promise<void>((resolve, reject) => {
    w.onmessage = () => resolve();
    w.onerror = (e) => reject(e);
    w.postMessage(init);
  });
  URL.revokeObjectURL(url);
  return { terminate: () => w.terminate() };
}

/** The kernels a pool drives. */
export type PoolKernels = Pick<KernelExports, 'gemmPrepare' | 'gemmWork' | 'convPrepare' | 'convWork'>;

export class ThreadPool {
  private seq = 0;
  private failure: BackendError | null = null;
  private readonly canWait: boolean;
  private readonly w: Int32Array;

  private constructor(
    private readonly workers: Handle[], memory: WebAssembly.Memory, private readonly ctl: number,
  ) {
    // Atomics.wait throws on a browser's main thread
    this.canWait = isNode() || typeof (globalThis as { document?: unknown }).document === 'undefined';
    this.w = new Int32Array(memory.buffer, ctl, CTL_BYTES / 4);
    Atomics.store(this.w, CAN_WAIT, this.canWait ? 1 : 0);
  }

  /** Starts `count` workers; `ctl` is CTL_BYTES of zeroed shared memory that outlives the pool. */
  static async start(count: number, module: WebAssembly.Module, memory: WebAssembly.Memory, ctl: number): Promise<ThreadPool> {
    const workers = await Promise.all(Array.from({ length: count }, (_, i) => spawn(module, memory, ctl, i + 1)));
    return new ThreadPool(workers, memory, ctl);
  }

  /** Threads that work on a product: the workers and the caller. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * C = A @ B for one batch item (the arguments of the kernels' gemm, all columns) on every
   * thread; `scratch` holds gemmThreadsScratchBytes(m, n, k, threads). Returns when C is done.
   */
  gemm(
    k: PoolKernels, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number,
    m: number, n: number, kk: number, scratch: number,
  ): void {
    this.run('matmul', () => k.gemmPrepare(this.ctl, a, aRow, aCol, b, bRow, bCol, c, m, n, kk, this.threads, scratch), () => k.gemmWork(this.ctl, 0));
  }

  /** The conv job at `job` (assembly/conv-job.ts) on every thread; returns when all its samples are done. */
  conv(k: PoolKernels, job: number): void {
    this.run('convolution', () => k.convPrepare(this.ctl, job), () => k.convWork(this.ctl, 0));
  }

  /** Lays out a job (`prepare` returns its tickets), opens it, works on it here too, and waits for every ticket. */
  private run(what: string, prepare: () => number, work: () => void): void {
    if (this.failure) throw this.failure;
    const w = this.w;
    const total = prepare();
    const open = this.seq + 1;
    Atomics.store(w, SEQ, open);
    Atomics.notify(w, SEQ);
    let trap: unknown = null;
    try {
      work();
    } catch (e) {
      trap = e;
      Atomics.store(w, FAILED, 1);
    }
    // the other threads finish the tasks they hold, which are short: poll before sleeping
    const until = performance.now() + CALLER_SPIN_MS;
    for (let done = Atomics.load(w, DONE); done !== total && Atomics.load(w, FAILED) === 0; done = Atomics.load(w, DONE)) {
      if (this.canWait && performance.now() > until) Atomics.wait(w, DONE, done, 1000);
    }
    this.seq = open + 1;
    Atomics.store(w, SEQ, this.seq);
    // a worker that joined has found no tickets left (or given up after a failure) and is on its way out
    for (let joined = Atomics.load(w, JOINED); joined !== 0; joined = Atomics.load(w, JOINED)) {
      if (this.canWait) Atomics.wait(w, JOINED, joined, 1);
    }
    if (Atomics.load(w, FAILED) !== 0) {
      const where = trap ? `on the calling thread: ${String(trap)}` : 'on a worker thread';
      this.failure = new BackendError(
        `wasm: ${what} failed ${where}; this backend's threads are stopped and later threaded kernels will throw (create a new backend)`,
      );
      throw this.failure;
    }
  }

  terminate(): void {
    Atomics.store(this.w, SEQ, -1);
    Atomics.notify(this.w, SEQ);
    for (const w of this.workers) w.terminate();
  }
}
