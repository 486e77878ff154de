import { ValueError } from '../errors.js';
import type { OptionKeys } from '../options.js';

/**
 * Hyperparameter checks with PyTorch's messages (`Invalid learning rate: -0.1`), prefixed with
 * the optimizer's name and followed by what was expected. NaN fails every check.
 */
export function checkAtLeastZero(op: string, value: unknown, what: string, option: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !(value >= 0)) {
    throw new ValueError(`${op}: Invalid ${what}: ${String(value)} (expected ${option} >= 0)`);
  }
}

/** Adam's betas: a pair, each in [0, 1), with PyTorch's message. */
export function checkBetas(op: string, betas: unknown): void {
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new ValueError(`${op}: betas must be a pair [beta1, beta2], got ${JSON.stringify(betas)}`);
  }
  betas.forEach((b, i) => {
    if (typeof b !== 'number' || !(b >= 0 && b < 1)) {
      throw new ValueError(`${op}: Invalid beta parameter at index ${i}: ${String(b)} (expected 0 <= betas[${i}] < 1)`);
    }
  });
}

/** The JS type a hyperparameter must have; ranges are each optimizer's `validate`. */
export type HyperKind = 'number' | 'boolean' | 'betas';

/** Every hyperparameter of an optimizer with its kind: a forgotten one is a compile error. */
export type HyperKinds<H> = { readonly [K in keyof Required<H>]: HyperKind };

/**
 * What a scheduler may write into a param group besides `lr`: the lr its schedule starts from
 * (`initialLr`, every scheduler) and OneCycleLR's bounds. PyTorch keeps them in the group too.
 */
export interface SchedulerGroupFields {
  /** The lr the schedule starts from; set by the first scheduler built on the optimizer. */
  initialLr?: number;
  /** OneCycleLR's peak lr. */
  maxLr?: number;
  /** OneCycleLR's final lr. */
  minLr?: number;
  /** OneCycleLR's momentum (or beta1) at the lowest lr. */
  maxMomentum?: number;
  /** OneCycleLR's momentum (or beta1) at the peak lr. */
  baseMomentum?: number;
}

/** The kinds of the fields schedulers write into param groups. */
export const SCHEDULER_GROUP_KINDS: HyperKinds<SchedulerGroupFields> = {
  initialLr: 'number', maxLr: 'number', minLr: 'number', maxMomentum: 'number', baseMomentum: 'number',
};

/** The option keys `checkOptions` accepts for a set of kinds (all supported). */
export function optionKeysOf<H>(kinds: HyperKinds<H>): OptionKeys<H> {
  return Object.fromEntries(Object.keys(kinds).map((k) => [k, true])) as unknown as OptionKeys<H>;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `string '${v}'`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return `array ${JSON.stringify(v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

/** Each present key of `h` has its kind: a number, a boolean, or a pair of numbers. */
export function checkKinds(where: string, h: Record<string, unknown>, kinds: Readonly<Record<string, HyperKind>>): void {
  for (const [key, kind] of Object.entries(kinds)) {
    const v = h[key];
    if (v === undefined) continue;
    const ok = kind === 'betas'
      ? Array.isArray(v) && v.length === 2 && v.every((b) => typeof b === 'number')
      : typeof v === kind;
    if (!ok) {
      const want = kind === 'betas' ? 'a pair of numbers [beta1, beta2]' : `a ${kind}`;
      throw new ValueError(`${where}: '${key}' must be ${want}, got ${describe(v)}`);
    }
  }
}

/** `describe` for error messages elsewhere in optim. */
export { describe as describeValue };
