import { ValueError } from '../../errors.js';
import { describeValue } from '../check.js';

/** A function of the epoch giving a factor: LambdaLR's and MultiplicativeLR's `lrLambda`. */
export type LrLambda = (epoch: number) => number;

/** One function for every group, or one per group; anything else throws. */
export function lambdasFor(op: string, lrLambda: unknown, groups: number): LrLambda[] {
  if (!Array.isArray(lrLambda)) {
    if (typeof lrLambda !== 'function') throw new ValueError(`${op}: lrLambda should be a function, but got ${describeValue(lrLambda)}`);
    return new Array<LrLambda>(groups).fill(lrLambda as LrLambda);
  }
  if (lrLambda.length !== groups) throw new ValueError(`${op}: Expected ${groups} lr_lambdas, but got ${lrLambda.length} (one lrLambda per param group)`);
  lrLambda.forEach((f, i) => {
    if (typeof f !== 'function') throw new ValueError(`${op}: lrLambda[${i}] should be a function, but got ${describeValue(f)}`);
  });
  return lrLambda.slice() as LrLambda[];
}

/** Calls a user's lambda and refuses what is not a number (a string would become a nan lr). */
export function factorOf(op: string, f: LrLambda, epoch: number, group: number): number {
  const v: unknown = f(epoch);
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new ValueError(`${op}.step: lrLambda of paramGroups[${group}] returned ${describeValue(v)} at epoch ${epoch}; it must return a number`);
  }
  return v;
}
