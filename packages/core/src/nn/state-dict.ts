import { BackendError, ShapeError, ValueError } from '../errors.js';
import { fmt, sameShape } from '../shape.js';
import { noGrad } from '../autograd/grad-mode.js';
import { backendLabel } from '../backend/label.js';
import { Tensor } from '../tensor.js';

/** What `loadStateDict` reports: PyTorch's `missing_keys` and `unexpected_keys`. */
export interface LoadResult {
  /** Keys of the module's state dict that the given one lacks (in the module's order). */
  missingKeys: string[];
  /** Keys of the given state dict that the module does not have. */
  unexpectedKeys: string[];
}

const list = (keys: string[]): string => JSON.stringify(keys);

/**
 * Loads `state` into the module's live tensors. `own` holds every state-dict name with its tensor,
 * duplicates included, in the module's order: a tied parameter is written once per name, so every
 * name loads and the last one in module order wins, as torch.nn.Module.load_state_dict does.
 * Every problem is collected first and reported in one error; nothing is written unless all fit.
 */
export function loadState(own: [string, Tensor][], state: Record<string, Tensor> | Map<string, Tensor>, strict: boolean): LoadResult {
  if (state === null || typeof state !== 'object') throw new ValueError(`loadStateDict: expected a state dict (an object or a Map of tensors), got ${String(state)}`);
  const given = state instanceof Map ? new Map(state) : new Map(Object.entries(state));
  const ownKeys = new Set(own.map(([k]) => k));
  const missingKeys = own.map(([k]) => k).filter((k) => !given.has(k));
  const unexpectedKeys = [...given.keys()].filter((k) => !ownKeys.has(k));
  const mismatches: string[] = [];
  for (const [k, target] of own) {
    if (!given.has(k)) continue;
    const v = given.get(k);
    if (!(v instanceof Tensor)) {
      mismatches.push(`value for '${k}' is not a Tensor (got ${typeof v})`);
      continue;
    }
    if (!sameShape(v.shape, target.shape)) mismatches.push(`size mismatch for '${k}': got shape ${fmt(v.shape)}, the module has ${fmt(target.shape)}`);
    // each tensor keeps its backend, as in PyTorch (copy_ moves the value); only a source read asynchronously cannot be copied here
    else if (v.device !== target.device && !v.device.readSync) {
      mismatches.push(`'${k}' lives on '${backendLabel(v.device)}', which reads asynchronously; move it first with \`await t.toAsync(backend)\``);
    }
  }
  const problems = [
    ...(strict && missingKeys.length ? [`missing keys ${list(missingKeys)}`] : []),
    ...(strict && unexpectedKeys.length ? [`unexpected keys ${list(unexpectedKeys)}`] : []),
    ...mismatches,
  ];
  if (problems.length) {
    const message = `loadStateDict: ${problems.join('; ')}`;
    if (mismatches.some((m) => m.startsWith('size'))) throw new ShapeError(message);
    if (mismatches.some((m) => m.includes('reads asynchronously'))) throw new BackendError(message);
    throw new ValueError(message);
  }
  noGrad(() => {
    for (const [k, target] of own) {
      const v = given.get(k);
      if (v) target.copy_(v);
    }
  });
  return { missingKeys, unexpectedKeys };
}
