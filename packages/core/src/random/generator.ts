import { ValueError } from '../errors.js';
import { countersFor } from './philox.js';

/** PyTorch's default seed, so an unseeded program is still reproducible run to run. */
const DEFAULT_SEED = 67280421310721;

let key: [number, number] = splitSeed(DEFAULT_SEED);
let seedValue = DEFAULT_SEED;
let offset = 0;

function splitSeed(seed: number): [number, number] {
  return [seed % 4294967296 >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

/**
 * Seeds the global generator: every random tensor, dropout mask and shuffle after this call is
 * the same on every backend. Seeds are integers in [0, 2^53).
 */
export function manualSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new ValueError(`manualSeed: seed must be a non-negative safe integer, got ${seed}`);
  }
  seedValue = seed;
  key = splitSeed(seed);
  offset = 0;
}

/** The seed last set with `manualSeed` (0 by default), as torch.initial_seed. */
export function initialSeed(): number {
  return seedValue;
}

/** Reserves counters for `size` random values: the key and the first counter to use. */
export function nextRandom(size: number): { key: [number, number]; offset: number } {
  const r = { key: [key[0], key[1]] as [number, number], offset };
  offset += countersFor(size);
  return r;
}

/** The generator's state, to save and restore (e.g. in a checkpoint). */
export function getRngState(): {
  /** The seed last set with `manualSeed`. */
  seed: number;
  /** How many Philox counters have been used since. */
  offset: number;
} {
  return { seed: seedValue, offset };
}

/** Restores a state from `getRngState`: the next random numbers are those that followed it. */
export function setRngState(state: { seed: number; offset: number }): void {
  manualSeed(state.seed);
  if (!Number.isSafeInteger(state.offset) || state.offset < 0) {
    throw new ValueError(`setRngState: offset must be a non-negative safe integer, got ${state.offset}`);
  }
  offset = state.offset;
}
