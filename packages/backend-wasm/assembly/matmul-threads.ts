// One float32 product C = A @ B shared by several threads over shared memory, handed out in
// small tasks so that a thread that starts late (a worker waking up) or is preempted (a GC
// helper, another process) costs only the task it holds, not a fixed share of the product.
//
// The product is the blocked loop of matmul.ts: for each column block jc (NC wide) and each
// k-block pc (KC deep) -- a "phase" -- B's block is packed, then every row block of C is
// computed against it. A phase is split into tasks numbered in one sequence ("tickets"):
//   pack tasks:    PACK_COLS columns of B's block into the phase's buffer (2 buffers, by parity);
//   compute tasks: a block of rows (x a group of columns when m is small) of C, packing its own
//                  rows of A into the thread's scratch.
// A thread takes the next ticket with an atomic add and waits (spinning) only on what the task
// reads: a pack waits until the computes of phase f-2 (the last users of its buffer) are done;
// a compute waits for its phase's packs and, when pc > 0, for the same block of the previous
// phase (it adds to the C values that one wrote). Every wait is on a lower ticket, already
// taken by a running thread, so the scheme cannot deadlock; a thread that never arrives only
// means the others take all the tickets. Each element of C sums its k-blocks in order with the
// same micro-kernel as one thread, so the result is bit-identical to gemm().
//
// Control block (ctl, 32 i32; JS reads and writes it with Atomics too, see src/threads.ts):
//   SEQ job number (odd: open, even: closed), NEXT ticket counter, DONE finished tickets,
//   JOINED workers inside the job, TOTAL tickets, the product's arguments, and at byte 64 FAILED,
//   set when a thread's call trapped: every wait gives up on it, so no thread spins forever on a
//   task that will not finish.

import { KC, MC, MR, NC, NR, micro, packA, packB } from './matmul';

const NEXT = 4, DONE = 8, TOTAL = 16;
const A_PTR = 20, A_ROW = 24, A_COL = 28, B_PTR = 32, B_ROW = 36, B_COL = 40, C_PTR = 44, M = 48, N = 52, K = 56, SCRATCH = 60;
const FAILED = 64;
/** Byte offset in ctl: non-zero when the calling thread (thread 0) may block in atomic.wait (set by src/threads.ts). */
const CAN_WAIT = 76;
/** Polls of a counter before a waiting thread blocks: some 0.1-0.2 ms, longer than a task when every thread runs. */
const SPINS = 50_000;
/** Byte offset of the job kind in ctl (which loop the threads run, see conv-job.ts's poolWork) and this job's kind. */
export const KIND = 68;
export const JOB_GEMM = 0;

/** Columns of B one pack task copies (a multiple of NR). */
const PACK_COLS = 64;
/** Columns a compute task's group is rounded to: 16 floats is a cache line, so no line of C is shared. */
const COL_ALIGN = 16;
/** Aim for this many compute tasks per thread and phase: enough to even out a late or preempted thread. */
const TASKS_PER_THREAD = 6;

// scratch header (i32 slots)
const H_PHASES = 0, H_ROWS = 4, H_B = 8, H_B_BYTES = 12, H_A = 16, H_A_BYTES = 20, HEADER = 64;
// one phase table entry (i32 slots)
const P_START = 0, P_PACKS = 4, P_COMPUTES = 8, P_PACKED = 12, P_COMPUTED = 16, P_FLAGS = 20, P_JC = 24, P_PC = 28;
const P_COL_GROUPS = 32, P_COLS_PER = 36, P_NCOLS = 40, ENTRY = 48;

@inline function align64(x: i32): i32 {
  return (x + 63) & ~63;
}

@inline function cdiv(a: i32, b: i32): i32 {
  return (a + b - 1) / b;
}

function rowsPerTask(m: i32, threads: i32): i32 {
  return MR * max(1, min(MC / MR, m / (MR * threads * TASKS_PER_THREAD)));
}

function colsPerTask(ncols: i32, rowTasks: i32, threads: i32): i32 {
  const want = 4 * threads;
  if (rowTasks >= want) return ncols;
  const groups = min(cdiv(want, rowTasks), cdiv(ncols, COL_ALIGN));
  return cdiv(cdiv(ncols, groups), COL_ALIGN) * COL_ALIGN;
}

/** At least the compute tasks of any phase (colsPerTask never makes more groups than asked). */
function maxComputes(m: i32, threads: i32): i32 {
  const rowTasks = cdiv(m, rowsPerTask(m, threads));
  return rowTasks * max(1, cdiv(4 * threads, rowTasks));
}

function phasesOf(n: i32, k: i32): i32 {
  return cdiv(n, NC) * cdiv(k, KC);
}

function tableBytes(phases: i32): i32 {
  return align64(phases * ENTRY);
}

function flagsBytes(m: i32, n: i32, k: i32, threads: i32): i32 {
  return align64(phasesOf(n, k) * maxComputes(m, threads) * 4);
}

function bBufferBytes(n: i32, k: i32): i32 {
  return align64(min(KC, k) * cdiv(min(NC, n), NR) * NR * 4);
}

function threadBytes(k: i32): i32 {
  return align64((MC * min(KC, k) + MR * NR) * 4);
}

/** Bytes of scratch a threaded product of this shape needs (64-byte aligned start). */
export function gemmThreadsScratchBytes(m: i32, n: i32, k: i32, threads: i32): i32 {
  return HEADER + tableBytes(phasesOf(n, k)) + flagsBytes(m, n, k, threads) + 2 * bBufferBytes(n, k) + threads * threadBytes(k);
}

/**
 * Lays out the job in ctl and scratch and returns its number of tickets; the caller then opens
 * the job (SEQ) and every thread calls gemmWork. Arguments are those of gemm() for all columns.
 */
export function gemmPrepare(
  ctl: usize, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, c: usize,
  m: i32, n: i32, k: i32, threads: i32, scratch: usize,
): i32 {
  // the builds without threads have no atomics: there, these exports are never called
  return ASC_FEATURE_THREADS ? prepare(ctl, a, aRow, aCol, b, bRow, bCol, c, m, n, k, threads, scratch) : 0;
}

/** Takes tickets of the open job in ctl until none are left; `thread` picks this thread's scratch. */
export function gemmWork(ctl: usize, thread: i32): void {
  if (ASC_FEATURE_THREADS) work(ctl, thread);
}

function prepare(
  ctl: usize, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, c: usize,
  m: i32, n: i32, k: i32, threads: i32, scratch: usize,
): i32 {
  const phases = phasesOf(n, k);
  const rows = rowsPerTask(m, threads);
  const rowTasks = cdiv(m, rows);
  const table = scratch + HEADER;
  const flags = table + <usize>tableBytes(phases);
  const bBuf = flags + <usize>flagsBytes(m, n, k, threads);
  store<i32>(scratch, phases, H_PHASES);
  store<i32>(scratch, rows, H_ROWS);
  store<i32>(scratch, <i32>bBuf, H_B);
  store<i32>(scratch, bBufferBytes(n, k), H_B_BYTES);
  store<i32>(scratch, <i32>(bBuf + 2 * <usize>bBufferBytes(n, k)), H_A);
  store<i32>(scratch, threadBytes(k), H_A_BYTES);
  let ticket = 0, flag = 0, f = 0;
  for (let jc = 0; jc < n; jc += NC) {
    const ncols = min(NC, n - jc);
    const colsPer = colsPerTask(ncols, rowTasks, threads);
    const groups = cdiv(ncols, colsPer);
    for (let pc = 0; pc < k; pc += KC) {
      const e = table + <usize>(f * ENTRY);
      const packs = cdiv(ncols, PACK_COLS);
      const computes = rowTasks * groups;
      store<i32>(e, ticket, P_START);
      store<i32>(e, packs, P_PACKS);
      store<i32>(e, computes, P_COMPUTES);
      atomic.store<i32>(e + P_PACKED, 0);
      atomic.store<i32>(e + P_COMPUTED, 0);
      store<i32>(e, flag, P_FLAGS);
      store<i32>(e, jc, P_JC);
      store<i32>(e, pc, P_PC);
      store<i32>(e, groups, P_COL_GROUPS);
      store<i32>(e, colsPer, P_COLS_PER);
      store<i32>(e, ncols, P_NCOLS);
      for (let i = 0; i < computes; i++) atomic.store<i32>(flags + (<usize>(flag + i) << 2), 0);
      ticket += packs + computes;
      flag += computes;
      f++;
    }
  }
  store<i32>(ctl, <i32>a, A_PTR);
  store<i32>(ctl, aRow, A_ROW);
  store<i32>(ctl, aCol, A_COL);
  store<i32>(ctl, <i32>b, B_PTR);
  store<i32>(ctl, bRow, B_ROW);
  store<i32>(ctl, bCol, B_COL);
  store<i32>(ctl, <i32>c, C_PTR);
  store<i32>(ctl, m, M);
  store<i32>(ctl, n, N);
  store<i32>(ctl, k, K);
  store<i32>(ctl, <i32>scratch, SCRATCH);
  store<i32>(ctl, ticket, TOTAL);
  store<i32>(ctl, JOB_GEMM, KIND);
  atomic.store<i32>(ctl + NEXT, 0);
  atomic.store<i32>(ctl + DONE, 0);
  return ticket;
}

/**
 * Spins until *p >= atLeast (the task waited for runs on another thread and is short); false if
 * a thread failed. After SPINS polls it blocks for up to 50 us at a time instead (the thread
 * that holds the task may have been preempted on a busy machine: spinning on would only keep it
 * off the core); every counter a task bumps is notified. The caller's thread blocks only where
 * the JS side says it may (CAN_WAIT: Node, a browser Worker; never a browser's main thread).
 */
@inline function waitFor(ctl: usize, p: usize, atLeast: i32, thread: i32): bool {
  let spins = 0;
  let v = atomic.load<i32>(p);
  while (v < atLeast) {
    if (atomic.load<i32>(ctl + FAILED) != 0) return false;
    if (++spins > SPINS && (thread != 0 || load<i32>(ctl, CAN_WAIT) != 0)) atomic.wait<i32>(p, v, 50_000);
    v = atomic.load<i32>(p);
  }
  return true;
}

/** Bumps a counter other threads may be blocked on, and wakes them. */
@inline function signal(p: usize, add: bool): void {
  if (add) atomic.add<i32>(p, 1);
  else atomic.store<i32>(p, 1);
  atomic.notify(p, 64);
}

function work(ctl: usize, thread: i32): void {
  const total = load<i32>(ctl, TOTAL);
  const a = <usize>load<i32>(ctl, A_PTR), aRow = load<i32>(ctl, A_ROW), aCol = load<i32>(ctl, A_COL);
  const b = <usize>load<i32>(ctl, B_PTR), bRow = load<i32>(ctl, B_ROW), bCol = load<i32>(ctl, B_COL);
  const c = <usize>load<i32>(ctl, C_PTR), m = load<i32>(ctl, M), n = load<i32>(ctl, N), k = load<i32>(ctl, K);
  const scratch = <usize>load<i32>(ctl, SCRATCH);
  const phases = load<i32>(scratch, H_PHASES);
  const rows = load<i32>(scratch, H_ROWS);
  const table = scratch + HEADER;
  const flags = table + <usize>tableBytes(phases);
  const bBuf = <usize>load<i32>(scratch, H_B), bBytes = <usize>load<i32>(scratch, H_B_BYTES);
  const ap = <usize>load<i32>(scratch, H_A) + <usize>thread * <usize>load<i32>(scratch, H_A_BYTES);
  const tile = ap + (<usize>(MC * min(KC, k)) << 2);
  let f = 0;
  for (;;) {
    if (atomic.load<i32>(ctl + FAILED) != 0) return;
    const t = atomic.add<i32>(ctl + NEXT, 1);
    if (t >= total) return;
    // tickets only grow, so the phase only moves forward
    while (f + 1 < phases && load<i32>(table + <usize>((f + 1) * ENTRY), P_START) <= t) f++;
    const e = table + <usize>(f * ENTRY);
    const jc = load<i32>(e, P_JC), pc = load<i32>(e, P_PC), ncols = load<i32>(e, P_NCOLS);
    const kc = min(KC, k - pc);
    const bp = bBuf + <usize>(f & 1) * bBytes;
    const packs = load<i32>(e, P_PACKS);
    const local = t - load<i32>(e, P_START);
    if (local < packs) {
      if (f >= 2) {
        const old = table + <usize>((f - 2) * ENTRY);
        if (!waitFor(ctl, old + P_COMPUTED, load<i32>(old, P_COMPUTES), thread)) return;
      }
      const j0 = jc + local * PACK_COLS, j1 = min(jc + ncols, j0 + PACK_COLS);
      packB(b + (<usize>(pc * bRow) << 2), bRow, bCol, kc, j0, j1, bp + (<usize>((j0 - jc) * kc) << 2));
      signal(e + P_PACKED, true);
    } else {
      const task = local - packs;
      if (!waitFor(ctl, e + P_PACKED, packs, thread)) return;
      if (pc > 0) {
        // the same block in the previous phase: same jc, so the same task numbering
        const prev = table + <usize>((f - 1) * ENTRY);
        if (!waitFor(ctl, flags + (<usize>(load<i32>(prev, P_FLAGS) + task) << 2), 1, thread)) return;
      }
      const groups = load<i32>(e, P_COL_GROUPS), colsPer = load<i32>(e, P_COLS_PER);
      const i0 = (task / groups) * rows, mc = min(rows, m - i0);
      const c0 = jc + (task % groups) * colsPer, c1 = min(jc + ncols, c0 + colsPer);
      packA(a + (<usize>(i0 * aRow + pc * aCol) << 2), aRow, aCol, mc, kc, ap);
      for (let jr = c0; jr < c1; jr += NR) {
        const cols = min(NR, c1 - jr);
        const bPanel = bp + (<usize>((jr - jc) * kc) << 2);
        for (let ir = 0; ir < mc; ir += MR) {
          micro(ap + (<usize>(ir * kc) << 2), bPanel, kc, c + (<usize>((i0 + ir) * n + jr) << 2), n, pc > 0,
            min(MR, mc - ir), cols, tile);
        }
      }
      signal(flags + (<usize>(load<i32>(e, P_FLAGS) + task) << 2), false);
      signal(e + P_COMPUTED, true);
    }
    atomic.add<i32>(ctl + DONE, 1);
  }
}
