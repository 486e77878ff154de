import { isNode } from './load.js';

/**
 * Worker threads for matmul over the shared wasm memory. Each worker instantiates the same
 * module on the same memory and sleeps on its control slot; a job is the 13 arguments of
 * `gemm` (a column range of C), written into the slot, then signalled by bumping `seq`.
 * Workers sleep with Atomics.wait; the calling thread waits with Atomics.wait where it may
 * (Node, workers) and spins on Atomics.load where it may not (a browser's main thread).
 */
export const SLOT_BYTES = 64; // [0] seq, [1] done, [2..15) gemm arguments
const SEQ = 0;
const DONE = 1;
const ARGS = 2;
/** How long a worker polls for its next job before it sleeps (see the worker's loop). */
const WORKER_SPIN_MS = 0.3;
/** How long the calling thread polls for the workers' results before it sleeps. */
const CALLER_SPIN_MS = 0.1;

/** The worker's whole program, as a string so it needs no separate file (Node: eval; browser: blob). */
const WORKER_SOURCE = `
const start = ({ module, memory, slot }) => {
  const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm;
  const w = new Int32Array(memory.buffer, slot, 16);
  let seen = 0;
  post('ready');
  for (;;) {
    let seq = Atomics.load(w, ${SEQ});
    // A loop of matmuls hands out the next job within ~0.1 ms of this one finishing; spinning
    // that long saves the futex wake-up (tens of us in a VM) and bounds the CPU it wastes.
    for (const until = performance.now() + ${WORKER_SPIN_MS}; seq === seen && performance.now() < until;) {
      for (let i = 0; i < 64 && seq === seen; i++) seq = Atomics.load(w, ${SEQ});
    }
    if (seq === seen) {
      Atomics.wait(w, ${SEQ}, seen);
      seq = Atomics.load(w, ${SEQ});
    }
    if (seq < 0) return;
    seen = seq;
    gemm(w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10], w[11], w[12], w[13], w[14]);
    Atomics.store(w, ${DONE}, seq);
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
  slot: Int32Array;
  terminate(): void;
}

/** Whether this runtime can share wasm memory with workers. */
export function threadsAvailable(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  if (isNode()) return true;
  return typeof Worker !== 'undefined' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

async function spawn(module: WebAssembly.Module, memory: WebAssembly.Memory, slot: number): Promise<Handle> {
  const view = new Int32Array(memory.buffer, slot, 16);
  const init = { module, memory, slot };
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
    return { slot: view, terminate: () => void w.terminate() };
  }
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const w = new Worker(url);
  await new Promise<void>((resolve, reject) => {
    w.onmessage = () => resolve();
    w.onerror = (e) => reject(e);
    w.postMessage(init);
  });
  URL.revokeObjectURL(url);
  return { slot: view, terminate: () => w.terminate() };
}

export class ThreadPool {
  private seq = 0;
  private readonly canWait: boolean;

  private constructor(private readonly workers: Handle[]) {
    // Atomics.wait throws on a browser's main thread
    this.canWait = isNode() || typeof (globalThis as { document?: unknown }).document === 'undefined';
  }

  /** Starts `count` workers; `slots` is a block of count * SLOT_BYTES in the shared memory. */
  static async start(count: number, module: WebAssembly.Module, memory: WebAssembly.Memory, slots: number): Promise<ThreadPool> {
    const workers = await Promise.all(Array.from({ length: count }, (_, i) => spawn(module, memory, slots + i * SLOT_BYTES)));
    return new ThreadPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Runs jobs[i] (gemm arguments) on worker i and `own` on this thread, and returns when all
   * are done.
   */
  run(jobs: readonly (readonly number[])[], own: () => void): void {
    const seq = ++this.seq;
    jobs.forEach((args, i) => {
      const w = this.workers[i].slot;
      for (let j = 0; j < args.length; j++) w[ARGS + j] = args[j];
      Atomics.store(w, SEQ, seq);
      Atomics.notify(w, SEQ);
    });
    own();
    for (let i = 0; i < jobs.length; i++) {
      const w = this.workers[i].slot;
      // the caller did its own share first, so the rest is usually short: poll before sleeping
      const until = performance.now() + CALLER_SPIN_MS;
      for (;;) {
        const done = Atomics.load(w, DONE);
        if (done === seq) break;
        if (this.canWait && performance.now() > until) Atomics.wait(w, DONE, done, 1000);
      }
    }
  }

  terminate(): void {
    for (const w of this.workers) {
      Atomics.store(w.slot, SEQ, -1);
      Atomics.notify(w.slot, SEQ);
      w.terminate();
    }
  }
}
