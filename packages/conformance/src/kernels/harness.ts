import { newArray, type Backend, type DType, type MemoryInfo, type Storage, type TypedArray } from '@logit/core';
import { fmtNum } from '../compare.js';
import type { Tolerance } from '../types.js';
import type { KernelCall } from './types.js';

/**
 * Upload, call, read back and compare: what every kernel test of a backend did with its own
 * helpers, once.
 */

/** A new storage of `be` holding `data` as `dtype`. */
export function upload(be: Backend, data: ArrayLike<number>, dtype: DType): Storage {
  const arr = newArray(dtype, data.length);
  arr.set(Array.from(data));
  const s = be.alloc(dtype, arr.length);
  be.write(s, arr);
  return s;
}

interface Staged {
  hosts: TypedArray[];
  xs: Storage[];
  outs: Storage[];
  /** memory() just before and just after the kernel ran. */
  before: MemoryInfo;
  after: MemoryInfo;
}

const bytesOf = (a: TypedArray): number => a.length * a.BYTES_PER_ELEMENT;

/**
 * Runs every call at `dtype` on `be`: uploads its inputs and runs it, all calls first, then reads
 * every output and input back at once (an asynchronous backend waits once per case, not per
 * call) and frees everything. Per call, the outputs or an Error saying which rule it broke: the
 * kernel threw, it left scratch storages behind (memory() after it ran must be memory() before
 * plus its outputs), it modified an input, or readSync disagrees with read. Throws when the
 * backend's memory() is not back where it started after everything is freed.
 */
export async function runCalls(be: Backend, calls: readonly KernelCall[], dtype: DType): Promise<(TypedArray[] | Error)[]> {
  const start = be.memory();
  const staged: (Staged | Error)[] = [];
  const live: Storage[] = [];
  let results: (TypedArray[] | Error)[];
  try {
    for (const call of calls) {
      const hosts = call.inputs.map((x) => {
        const a = newArray(x.dtype ?? dtype, x.data.length);
        a.set(Array.from(x.data));
        return a;
      });
      const xs = hosts.map((h, i) => upload(be, h, call.inputs[i].dtype ?? dtype));
      live.push(...xs);
      const before = be.memory();
      try {
        const r = call.run(be, xs.slice(), dtype);
        const outs = (Array.isArray(r) ? r : [r]).filter((x): x is Storage => x !== null);
        live.push(...outs);
        staged.push({ hosts, xs, outs, before, after: be.memory() });
      } catch (e) {
        staged.push(e as Error);
      }
    }
    const reads = await Promise.all(staged.map((st) =>
      st instanceof Error ? st : Promise.all([...st.outs, ...st.xs].map((x) => be.read(x))).catch((e: Error) => e)));
    results = staged.map((st, n) => (st instanceof Error ? st : judge(be, st, reads[n] as TypedArray[] | Error)));
  } finally {
    for (const s of live) be.free(s);
  }
  const end = be.memory();
  // a leak no single call explains (a call that leaked is reported as that call's failure)
  if ((end.storages !== start.storages || end.bytes !== start.bytes) && !results.some((r) => r instanceof Error)) {
    throw new Error(`leaked ${end.storages - start.storages} storage(s), ${end.bytes - start.bytes} byte(s) after every output and input was freed`);
  }
  return results;
}

/** One call's outputs, or the rule it broke. */
function judge(be: Backend, st: Staged, read: TypedArray[] | Error): TypedArray[] | Error {
  if (read instanceof Error) return read;
  const got = read.slice(0, st.outs.length);
  const extra = { storages: st.after.storages - st.before.storages - st.outs.length, bytes: st.after.bytes - st.before.bytes - got.reduce((s, a) => s + bytesOf(a), 0) };
  if (extra.storages !== 0 || extra.bytes !== 0) {
    return new Error(`leaked ${extra.storages} storage(s), ${extra.bytes} byte(s) besides its outputs (memory() before ${JSON.stringify(st.before)}, after ${JSON.stringify(st.after)})`);
  }
  for (let i = 0; i < st.xs.length; i++) {
    const bad = firstDifference(read[st.outs.length + i], st.hosts[i], { rtol: 0, atol: 0 }, true);
    if (bad) return new Error(`the kernel modified its input ${i}: ${bad}`);
  }
  if (be.readSync) {
    for (let k = 0; k < st.outs.length; k++) {
      const bad = firstDifference(be.readSync(st.outs[k]), got[k], { rtol: 0, atol: 0 }, true);
      if (bad) return new Error(`readSync disagrees with read on output ${k}: ${bad}`);
    }
  }
  return got;
}

/** The array type a tested output of a call at `dtype` must have, given the reference's output. */
export function expectedArrayType(ref: TypedArray, dtype: DType): string {
  if (ref instanceof Float64Array) return dtype === 'float64' ? 'Float64Array' : 'Float32Array';
  return ref.constructor.name;
}

/** The reference's values as the tested dtype stores them (float64 results rounded to float32 once). */
export function roundedLike(ref: TypedArray, type: string): TypedArray {
  return type === 'Float32Array' && ref instanceof Float64Array ? Float32Array.from(ref) : ref;
}

/**
 * The first element where `got` is not within `tol` of `want` (|g - w| <= atol + rtol * |w|,
 * element by element; nan meets nan, an infinity the same infinity, and with `signedZeros` a zero
 * the zero of its sign), described; null when every element is close.
 */
export function firstDifference(got: ArrayLike<number>, want: ArrayLike<number>, tol: Tolerance, signedZeros = false): string | null {
  if (got.length !== want.length) return `${got.length} elements, expected ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    const ok = Number.isNaN(w)
      ? Number.isNaN(g)
      : !Number.isFinite(w) || !Number.isFinite(g)
        ? g === w
        : g === w
          ? !signedZeros || Object.is(g, w)
          : Math.abs(g - w) <= tol.atol + tol.rtol * Math.abs(w);
    if (!ok) return `[${i}] got ${fmtNum(g)}, expected ${fmtNum(w)}${tol.rtol || tol.atol ? ` (rtol ${tol.rtol}, atol ${tol.atol})` : ''}`;
  }
  return null;
}
