import {
  memory, newArray, setBackend, tensor,
  type Backend, type DType, type MemoryInfo, type MemoryReport, type Storage, type Tensor, type TypedArray,
} from '@logit/core';
import type { Case, Program } from './types.js';
import { gradInputs, inputDType } from './values.js';

/** What one run of a case produced, read back to the host. */
export interface Execution {
  shape: number[];
  dtype: DType;
  output: TypedArray;
  /** The same output read with readSync, where the backend has it. */
  outputSync?: TypedArray;
  /** Gradients of the case's gradient inputs (null where autograd produced none). */
  grads: (TypedArray | null)[];
  gradsSync?: (TypedArray | null)[];
  /** Live tensors / storages / bytes after minus before (core's view and the backend's own). */
  leaked?: string;
}

function normalize(r: Tensor | Program, xs: Tensor[], gradIdx: number[]): Program {
  if ('output' in r && 'wrt' in r) return r as Program;
  return { output: r as Tensor, wrt: gradIdx.map((i) => xs[i]) };
}

/**
 * Runs a case on a backend at a dtype: creates the inputs, runs the op, reads the output (async
 * and sync), backpropagates `upstream` when the case checks gradients, reads the gradients and
 * frees everything. With `checkLeaks`, compares core's memory() and the backend's memory()
 * before and after.
 */
export async function execute(
  be: Backend,
  c: Case,
  dtype: DType,
  inputs: readonly (readonly number[])[],
  upstream: ((n: number, d: DType) => number[]) | null,
  opts: { checkLeaks?: boolean; readSync?: boolean } = {},
): Promise<Execution> {
  if (c.kernel) return executeKernel(be, c, dtype, inputs, opts);
  setBackend(be);
  const gradIdx = upstream ? gradInputs(c, dtype) : [];
  const coreBefore = memory();
  const beBefore = be.memory();
  const made: Tensor[] = [];
  let program: Program | null = null;
  let result: Execution;
  try {
    const xs = c.inputs.map((spec, i) => {
      const t = tensor(inputs[i] as number[], { shape: spec.shape, dtype: inputDType(spec, dtype), requiresGrad: gradIdx.includes(i) });
      made.push(t);
      return t;
    });
    program = normalize(c.run!(xs, { dtype }), xs, gradIdx);
    const out = program.output;
    made.push(out);
    result = { shape: out.shape.slice(), dtype: out.dtype, output: await out.data(), grads: [] };
    if (opts.readSync !== false && be.readSync) result.outputSync = out.dataSync();
    if (upstream && gradIdx.length > 0) {
      const w = tensor(upstream(out.numel(), out.dtype), { shape: out.shape, dtype: out.dtype });
      made.push(w);
      out.backward(w);
      for (const t of program.wrt) result.grads.push(t.grad ? await t.grad.data() : null);
      if (opts.readSync !== false && be.readSync) result.gradsSync = program.wrt.map((t) => (t.grad ? t.grad.dataSync() : null));
    }
  } finally {
    for (const t of made) t.dispose();
    program?.dispose?.();
  }
  if (opts.checkLeaks) result.leaked = leakMessage(be, coreBefore, beBefore);
  return result;
}

function leakMessage(be: Backend, coreBefore: MemoryReport, beBefore: MemoryInfo): string | undefined {
  const coreAfter = memory();
  const beAfter = be.memory();
  // Tensors another case dropped without dispose() may be collected by the garbage collector while
  // this one runs: they count back into the tensor total, and their storages can only lower the
  // storage counts, so with collections a drop there is theirs and only a rise is this case's.
  const collected = coreAfter.collected - coreBefore.collected;
  const rose = (after: number, before: number): boolean => (collected > 0 ? after > before : after !== before);
  const diffs: string[] = [];
  const tensors = coreAfter.tensors + collected - coreBefore.tensors;
  if (tensors !== 0) diffs.push(`${tensors} tensor(s)`);
  const cb = coreBefore.backends[be.name] ?? { storages: 0, bytes: 0 };
  const ca = coreAfter.backends[be.name] ?? { storages: 0, bytes: 0 };
  if (rose(ca.storages, cb.storages)) diffs.push(`${ca.storages - cb.storages} storage(s) held by tensors`);
  if (rose(beAfter.storages, beBefore.storages)) diffs.push(`${beAfter.storages - beBefore.storages} backend storage(s)`);
  if (rose(beAfter.bytes, beBefore.bytes)) diffs.push(`${beAfter.bytes - beBefore.bytes} backend byte(s)`);
  return diffs.length ? `leaked ${diffs.join(', ')}` : undefined;
}

/** A primitive called directly: inputs written to fresh storages, the output read and freed. */
async function executeKernel(
  be: Backend,
  c: Case,
  dtype: DType,
  inputs: readonly (readonly number[])[],
  opts: { checkLeaks?: boolean; readSync?: boolean },
): Promise<Execution> {
  const coreBefore = memory();
  const beBefore = be.memory();
  const storages: Storage[] = [];
  try {
    c.inputs.forEach((spec, i) => {
      const d = inputDType(spec, dtype);
      const s = be.alloc(d, inputs[i].length);
      storages.push(s);
      const arr = newArray(d, inputs[i].length);
      arr.set(inputs[i]);
      be.write(s, arr);
    });
    const out = c.kernel!(be, storages.slice(), { dtype });
    storages.push(out.storage);
    const result: Execution = { shape: out.shape.slice(), dtype: out.dtype, output: await be.read(out.storage), grads: [] };
    if (opts.readSync !== false && be.readSync) result.outputSync = be.readSync(out.storage);
    for (const s of storages.splice(0)) be.free(s);
    if (opts.checkLeaks) result.leaked = leakMessage(be, coreBefore, beBefore);
    return result;
  } finally {
    for (const s of storages) be.free(s);
  }
}
