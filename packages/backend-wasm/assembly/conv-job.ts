// One convolution kernel call over a range of samples, as a job the threads of a pool share (or
// the calling thread alone runs): each sample is one ticket, taken from a counter, and done
// entirely by the thread that took it -- im2col into that thread's scratch, then one packed gemm
// per group (matmul.ts, single-threaded), and col2im for the input gradient. So a convolution
// synchronises the threads once per call, not once per product, and a worker that wakes late or
// is preempted only leaves its samples to the others. Every sample writes its own slice of the
// output (the weight gradient: its own slot, summed by the caller in sample order), so the
// result does not depend on which thread took which sample: it is bit-identical to one thread.
//
// The job is a block of i32 (J_ order) written by src/conv.ts; ctl is the pool's control block
// (matmul-threads.ts), whose ticket counters this shares. poolWork is what a worker runs.

import { col2im, im2col, addRowBias } from './conv';
import { gemm } from './matmul';
import { JOB_GEMM, KIND, gemmWork } from './matmul-threads';

// the pool's control block (byte offsets; see matmul-threads.ts and src/threads.ts)
const NEXT = 4, DONE = 8, TOTAL = 16, FAILED = 64, JOB = 72;
/** The ctl KIND of a conv job (matmul-threads.ts's products are JOB_GEMM). */
const JOB_CONV = JOB_GEMM + 1;

// job block (i32 slots)
const J_KIND = 0, J_N0 = 1, J_N1 = 2, J_G = 3, J_OG = 4, J_K = 5, J_P = 6, J_IN_BYTES = 7, J_OUT_BYTES = 8;
const J_POINTWISE = 9, J_X = 10, J_W = 11, J_BIAS = 12, J_OUT = 13, J_GEO = 14, J_SCRATCH = 15, J_THREAD_BYTES = 16, J_COLS_BYTES = 17;
/** J_KIND values: conv2d forward, its input gradient, one weight-gradient term per sample. */
const FORWARD = 0, INPUT_GRAD = 1, WEIGHT_GRAD = 2;

@inline function job(j: usize, slot: i32): i32 {
  return load<i32>(j + (<usize>slot << 2));
}

/** Lays out a conv job in ctl (the caller then opens it, or runs convWork alone); returns its tickets. */
export function convPrepare(ctl: usize, j: usize): i32 {
  const total = job(j, J_N1) - job(j, J_N0);
  store<i32>(ctl, JOB_CONV, KIND);
  store<i32>(ctl, <i32>j, JOB);
  store<i32>(ctl, total, TOTAL);
  if (ASC_FEATURE_THREADS) {
    atomic.store<i32>(ctl + NEXT, 0);
    atomic.store<i32>(ctl + DONE, 0);
  } else {
    store<i32>(ctl, 0, NEXT);
    store<i32>(ctl, 0, DONE);
  }
  return total;
}

@inline function takeTicket(ctl: usize): i32 {
  if (ASC_FEATURE_THREADS) return atomic.add<i32>(ctl + NEXT, 1);
  const t = load<i32>(ctl, NEXT);
  store<i32>(ctl, t + 1, NEXT);
  return t;
}

@inline function finishTicket(ctl: usize): void {
  if (ASC_FEATURE_THREADS) atomic.add<i32>(ctl + DONE, 1);
  else store<i32>(ctl, load<i32>(ctl, DONE) + 1, DONE);
}

@inline function failed(ctl: usize): bool {
  return ASC_FEATURE_THREADS ? atomic.load<i32>(ctl + FAILED) != 0 : false;
}

/** Takes samples of the open conv job in ctl until none are left; `thread` picks this thread's scratch. */
export function convWork(ctl: usize, thread: i32): void {
  const j = <usize>load<i32>(ctl, JOB), total = load<i32>(ctl, TOTAL);
  const kind = job(j, J_KIND), n0 = job(j, J_N0), groups = job(j, J_G), og = job(j, J_OG), k = job(j, J_K), p = job(j, J_P);
  const inBytes = <usize>job(j, J_IN_BYTES), outBytes = <usize>job(j, J_OUT_BYTES), pointwise = job(j, J_POINTWISE) != 0;
  const x = <usize>job(j, J_X), w = <usize>job(j, J_W), bias = <usize>job(j, J_BIAS), out = <usize>job(j, J_OUT), geo = <usize>job(j, J_GEO);
  const cols = <usize>job(j, J_SCRATCH) + <usize>thread * <usize>job(j, J_THREAD_BYTES);
  const work = cols + <usize>job(j, J_COLS_BYTES);
  const groupCols = <usize>(k * p) << 2, groupW = <usize>(og * k) << 2, groupOut = <usize>(og * p) << 2;
  for (;;) {
    if (failed(ctl)) return;
    const t = takeTicket(ctl);
    if (t >= total) return;
    const n = <usize>(n0 + t);
    if (kind == FORWARD) {
      // y[n, g] (og x p) = W_g (og x k) @ cols_g (k x p)
      const xn = x + n * inBytes, yn = out + n * outBytes;
      if (!pointwise) im2col(geo, xn, cols);
      const src = pointwise ? xn : cols;
      for (let g = 0; g < groups; g++) {
        gemm(w + <usize>g * groupW, k, 1, src + <usize>g * groupCols, p, 1, yn + <usize>g * groupOut, og, p, k, work);
      }
      if (bias != 0) addRowBias(yn, groups * og, p, bias);
    } else if (kind == INPUT_GRAD) {
      // dcols_g (k x p) = W_g^T (k x og) @ dy[n, g] (og x p), then col2im
      const gxn = out + n * inBytes, gyn = x + n * outBytes;
      const dst = pointwise ? gxn : cols;
      for (let g = 0; g < groups; g++) {
        gemm(w + <usize>g * groupW, 1, k, gyn + <usize>g * groupOut, p, 1, dst + <usize>g * groupCols, k, p, og, work);
      }
      if (!pointwise) col2im(geo, cols, gxn);
    } else {
      // this sample's dW_g^T (k x og) = cols_g (k x p) @ dy[n, g]^T (p x og), in its own slot
      const xn = x + n * inBytes, gyn = w + n * outBytes, slot = out + <usize>t * <usize>(groups * k * og << 2);
      if (!pointwise) im2col(geo, xn, cols);
      const src = pointwise ? xn : cols;
      for (let g = 0; g < groups; g++) {
        gemm(src + <usize>g * groupCols, p, 1, gyn + <usize>g * groupOut, 1, p, slot + <usize>g * (<usize>(k * og) << 2), k, og, p, work);
      }
    }
    finishTicket(ctl);
  }
}

/** What a pool's worker runs for an open job: the job kind picks the loop. */
export function poolWork(ctl: usize, thread: i32): void {
  if (load<i32>(ctl, KIND) == JOB_CONV) convWork(ctl, thread);
  else gemmWork(ctl, thread);
}
