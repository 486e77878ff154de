import { ValueError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { stack } from '../ops/index-ops.js';
import { tensor } from '../ops/creation.js';

/** What a batch of samples of type T looks like after collation: every leaf becomes a tensor. */
export type Collated<T> = T extends Tensor | number | boolean ? Tensor : { [K in keyof T]: Collated<T[K]> };

/**
 * PyTorch's default_collate, for the sample types Logit has: tensors are stacked along a new
 * first dim; numbers become a 1-D tensor (int32 when all are integers, as PyTorch makes int64 of
 * Python ints, else float32); booleans a bool tensor; arrays (tuples) and plain objects are
 * collated field by field. Call it inside `tidy` when samples are temporaries.
 */
export function collate<T>(samples: readonly T[], op = 'collate'): Collated<T> {
  if (samples.length === 0) throw new ValueError(`${op}: cannot collate an empty batch`);
  return collateField(samples as readonly unknown[], op, 'sample') as Collated<T>;
}

function collateField(items: readonly unknown[], op: string, path: string): unknown {
  const first = items[0];
  const kind = kindOf(first);
  for (const [i, v] of items.entries()) {
    if (kindOf(v) !== kind) {
      throw new ValueError(`${op}: ${path} of sample ${i} is ${describe(v)}, but sample 0 has ${describe(first)}`);
    }
  }
  switch (kind) {
    case 'tensor':
      return stack(items as Tensor[], 0);
    case 'number':
      return tensor(items as number[], { dtype: (items as number[]).every(Number.isInteger) ? 'int32' : 'float32' });
    case 'boolean':
      return tensor(items as boolean[], { dtype: 'bool' });
    case 'array': {
      const n = (first as unknown[]).length;
      items.forEach((v, i) => {
        if ((v as unknown[]).length !== n) {
          throw new ValueError(`${op}: ${path} of sample ${i} has ${(v as unknown[]).length} elements, sample 0 has ${n}; each sample must have the same number of fields`);
        }
      });
      return Array.from({ length: n }, (_, k) => collateField(items.map((v) => (v as unknown[])[k]), op, `${path}[${k}]`));
    }
    case 'object': {
      const keys = Object.keys(first as object);
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        out[k] = collateField(items.map((v) => (v as Record<string, unknown>)[k]), op, `${path}.${k}`);
      }
      return out;
    }
    default:
      throw new ValueError(`${op}: ${path} is ${describe(first)}; samples must be tensors, numbers, booleans, or arrays/objects of them`);
  }
}

function kindOf(v: unknown): string {
  if (v instanceof Tensor) return 'tensor';
  if (typeof v === 'number' || typeof v === 'boolean') return typeof v;
  if (Array.isArray(v)) return 'array';
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return 'object';
  return 'unsupported';
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return `a tensor of shape [${v.shape.join(', ')}]`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return `a ${typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v}`;
}
