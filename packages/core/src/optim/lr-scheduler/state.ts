import { ValueError } from '../../errors.js';
import { describeValue } from '../check.js';

/** A scheduler's state: its fields but the optimizer, like PyTorch's `__dict__` minus it. */
export type SchedulerStateDict = Record<string, unknown>;

function copy(v: unknown): unknown {
  return Array.isArray(v) ? v.map(copy) : v;
}

/** Every own field of `obj` but those in `skip`, with arrays copied. */
export function fieldsOf(obj: object, skip: readonly string[]): SchedulerStateDict {
  const out: SchedulerStateDict = {};
  for (const [k, v] of Object.entries(obj)) if (!skip.includes(k)) out[k] = copy(v);
  return out;
}

function kindName(v: unknown): string {
  if (Array.isArray(v)) return v.length && typeof v[0] === 'number' ? 'an array of numbers' : 'an array';
  return v === null ? 'null' : `a ${typeof v}`;
}

function sameKind(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && b.every((x) => a.length === 0 || sameKind(a[0], x));
  if (a === null || b === null) return a === b;
  return typeof a === typeof b;
}

/**
 * Checks a saved state against the scheduler's own: exactly its fields (another scheduler's
 * state names fields this one lacks), each of the kind the current value has (a number or null
 * for `nullable` fields; never null for a number: JSON writes Infinity and nan as null), and
 * `perGroup` arrays one entry per param group. Returns the merged fields for the class's own
 * range checks.
 */
export function checkStateShape(
  where: string, current: SchedulerStateDict, sd: unknown, groups: number, perGroup: readonly string[], nullable: readonly string[] = [],
): SchedulerStateDict {
  if (sd === null || typeof sd !== 'object' || Array.isArray(sd)) throw new ValueError(`${where}: expected the object stateDict() returns, got ${describeValue(sd)}`);
  const saved = sd as SchedulerStateDict;
  const mine = Object.keys(current);
  for (const k of Object.keys(saved)) {
    if (!(k in current)) {
      throw new ValueError(`${where}: unknown field '${k}' (this scheduler keeps ${mine.join(', ')}); is this the state dict of another scheduler?`);
    }
  }
  for (const k of mine) {
    if (!(k in saved)) throw new ValueError(`${where}: the state dict lacks '${k}' (this scheduler keeps ${mine.join(', ')})`);
    const numberOrNull = nullable.includes(k) && (saved[k] === null || typeof saved[k] === 'number');
    if (!numberOrNull && !sameKind(current[k], saved[k])) {
      throw new ValueError(`${where}: field '${k}' must be ${kindName(current[k])} (it is ${describeValue(current[k])} now), got ${describeValue(saved[k])}`);
    }
    if (perGroup.includes(k) && (saved[k] as unknown[]).length !== groups) {
      throw new ValueError(`${where}: field '${k}' must have one entry per param group (${groups}), got ${(saved[k] as unknown[]).length}`);
    }
  }
  return { ...current, ...saved };
}

/** A whole number >= `min`, else a ValueError naming the field. */
export function checkInt(where: string, name: string, v: unknown, min: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ValueError(`${where}: ${name} must be a whole number >= ${min}, got ${describeValue(v)}`);
  }
}

/** A finite number, else a ValueError naming the field. */
export function checkFinite(where: string, name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${where}: ${name} must be a finite number, got ${describeValue(v)}`);
}

/** Every group's lr is a number before a scheduler computes from it (a string would become nan). */
export function checkGroupLrs(where: string, groups: readonly { lr: unknown }[]): void {
  groups.forEach((g, i) => {
    if (typeof g.lr !== 'number' || Number.isNaN(g.lr)) {
      throw new ValueError(`${where}: paramGroups[${i}].lr must be a number, got ${describeValue(g.lr)}`);
    }
  });
}

/** Copies checked fields onto the scheduler. */
export function assignFields(obj: object, fields: SchedulerStateDict): void {
  for (const [k, v] of Object.entries(fields)) (obj as Record<string, unknown>)[k] = copy(v);
}
