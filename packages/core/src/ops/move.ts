import type { Backend } from '../backend/types.js';
import { backendLabel } from '../backend/label.js';
import { BackendError, ValueError } from '../errors.js';
import { isDType, type DType, type TypedArray } from '../dtype.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { tidy } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { fromHost } from './dispatch.js';
import { cast } from './elementwise.js';
import { checkOptions, type OptionKeys } from '../options.js';

/** Where `t.to(...)` sends a tensor: a dtype, a backend, or both. */
export interface ToOptions {
  /** The dtype to convert to; default: keep the tensor's. */
  dtype?: DType;
  /** The backend instance to move to; default: keep the tensor's. */
  backend?: Backend;
}
/** What `t.to()` takes: a dtype, a backend instance, or `{ dtype, backend }`. */
export type ToTarget = DType | Backend | ToOptions;

const TO_OPTIONS: OptionKeys<ToOptions> = { dtype: true, backend: true };

function isBackend(x: unknown): x is Backend {
  return typeof x === 'object' && x !== null && typeof (x as Backend).name === 'string' && typeof (x as Backend).ops === 'object';
}

/** The dtype and backend a `to()` argument asks for (undefined: keep the tensor's). */
export function parseTarget(op: string, target: unknown): ToOptions {
  if (typeof target === 'string') {
    if (!isDType(target)) throw new ValueError(`${op}: unknown dtype ${JSON.stringify(target)} (expected float32, float64, int32 or bool, a Backend, or { dtype, backend })`);
    return { dtype: target };
  }
  if (isBackend(target)) return { backend: target };
  if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
    const { dtype, backend } = checkOptions(op, target as ToOptions, TO_OPTIONS);
    if (dtype !== undefined && !isDType(dtype)) throw new ValueError(`${op}: unknown dtype ${JSON.stringify(dtype)}`);
    if (backend !== undefined && !isBackend(backend)) throw new ValueError(`${op}: backend must be a Backend object (from createBackend())`);
    return { dtype, backend };
  }
  throw new ValueError(`${op}: expected a dtype, a Backend or { dtype, backend }, got ${target === null ? 'null' : typeof target}`);
}

/**
 * Host data of x now written to `be`, with a gradient that moves back: the gradient arrives on
 * `be` and must be read there synchronously, so a tensor that requires grad can only move to a
 * backend that reads synchronously (cpu, wasm).
 */
function landOn(op: string, x: Tensor, data: TypedArray, be: Backend): Tensor {
  const src = x._ref().backend;
  const needsGrad = x.requiresGrad && isGradEnabled();
  if (needsGrad && !be.readSync) {
    throw new BackendError(
      `${op}: tensor #${x.id} requires grad, and its gradient could not come back from '${backendLabel(be)}' (it reads asynchronously); ` +
        'move a detached copy (t.detach()), or create the tensor on that backend',
    );
  }
  const out = fromHost(data, x.shape, x.dtype, be, op);
  return record(out, 'to', [x], [], (g) => [moveSync('to (backward)', g, src)]);
}

/** x on backend `be`, read synchronously: x itself when it already lives there. */
export function moveSync(op: string, x: Tensor, be: Backend): Tensor {
  const src = x._ref().backend;
  if (src === be) return x;
  if (!src.readSync) {
    throw new BackendError(
      `${op}: tensor #${x.id} lives on '${backendLabel(src)}', which reads asynchronously; move it with \`await t.toAsync(backend)\``,
    );
  }
  return landOn(op, x, src.readSync(x._storage()), be);
}

/** `t.to(target)`: a dtype cast, a move to another backend, or both (the tensor itself when nothing changes). */
export function to(x: Tensor, target: ToTarget): Tensor {
  const { dtype, backend } = parseTarget('to', target);
  return tidy(() => {
    const moved = backend ? moveSync('to', x, backend) : x;
    return dtype ? cast(moved, dtype) : moved;
  });
}

/** `await t.toAsync(target)`: as `to`, but reads a device that only reads asynchronously (WebGPU). */
export async function toAsync(x: Tensor, target: ToTarget): Promise<Tensor> {
  const { dtype, backend } = parseTarget('toAsync', target);
  let moved = x;
  if (backend && x._ref().backend !== backend) moved = landOn('toAsync', x, await x.data(), backend);
  if (!dtype) return moved;
  return tidy(() => {
    const out = cast(moved, dtype);
    if (moved !== x && out !== moved) moved.dispose();
    return out;
  });
}
