/**
 * Largest elementwise difference relative to the reference's largest magnitude. Two correct
 * float32 results differ only by summation order, i.e. by a few ulps of the output scale.
 */
export function relativeError(actual: Float32Array, reference: Float32Array): number {
  if (actual.length !== reference.length) return Infinity;
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - reference[i]));
    scale = Math.max(scale, Math.abs(reference[i]));
  }
  if (Number.isNaN(maxDiff)) return Infinity;
  return scale === 0 ? maxDiff : maxDiff / scale;
}

/** Uniform values in [-1, 1) from a fixed xorshift32 stream, so every run times the same inputs. */
export function fixedUniform(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}
