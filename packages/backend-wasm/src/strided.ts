import type { Shape } from '@logit/core';

/**
 * Encodes an iteration over `shape` in row-major order for the wasm kernels (see
 * assembly/strided.ts): each operand reads element `idx` at `sum(idx[d] * strides[d])`. Dims of
 * size 1 are dropped and neighbours that every operand walks contiguously are merged, so a
 * same-shape op becomes one long row and a bias add two dims.
 */
export function encodeStrided(shape: Shape, operands: readonly (readonly number[])[]): Int32Array {
  const dims: number[] = [];
  const strides: number[][] = operands.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && operands.every((s, k) => strides[k][last] === s[d] * shape[d])) {
      dims[last] *= shape[d];
      operands.forEach((s, k) => (strides[k][last] = s[d]));
    } else {
      dims.push(shape[d]);
      operands.forEach((s, k) => strides[k].push(s[d]));
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    strides.forEach((s) => s.push(0));
  }
  const outer = dims.length - 1;
  const block = new Int32Array(3 + outer + operands.length * (outer + 1) + outer);
  block[0] = dims[outer];
  block[1] = dims.slice(0, outer).reduce((a, b) => a * b, 1);
  block[2] = outer;
  for (let d = 0; d < outer; d++) block[3 + d] = dims[d];
  strides.forEach((s, k) => {
    const base = 3 + outer + k * (outer + 1);
    block[base] = s[outer];
    for (let d = 0; d < outer; d++) {
      let rewind = 0;
      for (let e = d + 1; e < outer; e++) rewind += s[e] * (dims[e] - 1);
      block[base + 1 + d] = s[d] - rewind;
    }
  });
  return block;
}
