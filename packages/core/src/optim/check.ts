import { ValueError } from '../errors.js';

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
