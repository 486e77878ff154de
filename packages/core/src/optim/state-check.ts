import { DTypeError, ShapeError, ValueError } from '../errors.js';
import { isFloat } from '../dtype.js';
import { fmt, sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkKinds, describeValue, SCHEDULER_GROUP_KINDS, type HyperKind } from './check.js';

/**
 * What one entry of an optimizer's per-parameter state holds: a step count, a tensor shaped
 * like the parameter (`tensor?` when only some options keep it), or a tensor or null (SGD's
 * momentum buffer without momentum).
 */
export type StateKind = 'step' | 'tensor' | 'tensor?' | 'tensorOrNull';
/** Every per-parameter state entry of an optimizer with its kind. */
export type StateKinds = Readonly<Record<string, StateKind>>;

const list = (keys: string[]): string => keys.map((k) => `'${k}'`).join(', ');

function checkStateTensor(where: string, v: unknown, p: Tensor, nullable: boolean): void {
  if (v === null && nullable) return;
  if (!(v instanceof Tensor)) throw new ValueError(`${where} must be a Tensor${nullable ? ' or null' : ''}, got ${describeValue(v)}`);
  if (v.isDisposed) throw new ValueError(`${where} is a disposed tensor`);
  if (!sameShape(v.shape, p.shape)) throw new ShapeError(`${where} has shape ${fmt(v.shape)}, the parameter has ${fmt(p.shape)}`);
  if (!isFloat(v.dtype)) throw new DTypeError(`${where} must be a floating-point tensor, got ${v.dtype}`);
}

/**
 * Checks one parameter's saved state against what `opName` keeps: no entry it does not know
 * (another optimizer's state), none of its required entries missing, each of the right kind.
 */
export function checkSavedState(name: string, opName: string, key: string, s: unknown, p: Tensor, kinds: StateKinds): void {
  const at = `${name}: state of parameter ${key}`;
  if (s === null || typeof s !== 'object' || Array.isArray(s)) throw new ValueError(`${at} must be an object, got ${describeValue(s)}`);
  const entries = s as Record<string, unknown>;
  const required = Object.keys(kinds).filter((k) => kinds[k] !== 'tensor?');
  for (const k of Object.keys(entries)) {
    if (!(k in kinds)) {
      throw new ValueError(`${at} has '${k}', which ${opName} does not keep (it keeps ${list(Object.keys(kinds))}); is this the state dict of another optimizer?`);
    }
  }
  for (const k of required) {
    if (!(k in entries)) throw new ValueError(`${at} lacks '${k}' (${opName} keeps ${list(Object.keys(kinds))}); is this the state dict of another optimizer?`);
  }
  for (const [k, v] of Object.entries(entries)) {
    const kind = kinds[k];
    if (kind === 'step') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ValueError(`${at}: 'step' must be a whole number >= 0, got ${describeValue(v)}`);
    } else if (kind === 'tensor?' && v === undefined) {
      continue;
    } else {
      checkStateTensor(`${at}: '${k}'`, v, p, kind === 'tensorOrNull');
    }
  }
}

/**
 * Checks one saved param group: exactly `opName`'s hyperparameters (plus what schedulers add),
 * each of its kind and in its range (`validate`).
 */
export function checkSavedGroup(
  name: string, opName: string, i: number, g: Record<string, unknown>,
  kinds: Readonly<Record<string, HyperKind>>, validate: (where: string, h: never) => void,
): void {
  const at = `${name}: paramGroups[${i}]`;
  for (const k of Object.keys(g)) {
    if (k !== 'params' && !(k in kinds) && !(k in SCHEDULER_GROUP_KINDS) && g[k] !== undefined) {
      throw new ValueError(`${at} has '${k}', which is not a hyperparameter of ${opName} (it has ${list(Object.keys(kinds))}); is this the state dict of another optimizer?`);
    }
  }
  for (const k of Object.keys(kinds)) {
    if (g[k] === undefined) throw new ValueError(`${at} lacks the hyperparameter '${k}' of ${opName}; is this the state dict of another optimizer?`);
  }
  checkKinds(at, g, { ...kinds, ...SCHEDULER_GROUP_KINDS });
  validate(at, g as never);
}
