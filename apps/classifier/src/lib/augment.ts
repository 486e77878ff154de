import { cat, randint, tensor, tidy, zeros, type Tensor } from '@logit/core';

/**
 * Shifts each image of a batch by its own random offset of up to `maxShift` pixels in x and y,
 * filling the uncovered border with 0 (background). The offsets come from the seeded generator,
 * so an augmented run is as reproducible as a plain one.
 *
 * How: every output pixel is a gather from the input row; pixels whose source falls outside the
 * image gather from an extra zero column appended at index rows*cols.
 */
export async function randomShift(x: Tensor, rows: number, cols: number, maxShift: number): Promise<Tensor> {
  const n = x.shape[0];
  const size = rows * cols;
  const offsetsT = randint(-maxShift, maxShift + 1, [n, 2], { dtype: 'int32' });
  const offsets = (await offsetsT.data()) as Int32Array;
  offsetsT.dispose();
  const index = new Int32Array(n * size);
  for (let s = 0; s < n; s++) {
    const dy = offsets[2 * s];
    const dx = offsets[2 * s + 1];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const sr = r - dy;
        const sc = c - dx;
        index[s * size + r * cols + c] = sr >= 0 && sr < rows && sc >= 0 && sc < cols ? sr * cols + sc : size;
      }
    }
  }
  return tidy(() => cat([x, zeros([n, 1])], 1).gather(1, tensor(index, { shape: [n, size], dtype: 'int32' })));
}
