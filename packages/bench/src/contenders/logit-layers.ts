import { fusedKernelsEnabled, getBackend, manualSeed, nn, setFusedKernelsEnabled, tensor, tidy, type Tensor } from '@logit/core';
import type { LayerProblem, PreparedTraining } from './types.js';

/**
 * One forward + backward of a transformer building block, as a user writes it, with the
 * backend's fused kernels on or off (`setFusedKernelsEnabled`), so the two columns time the
 * fused kernels against the composition of primitives that core falls back to.
 */
export function logitLayerStep(p: LayerProblem, fused: boolean): PreparedTraining {
  const made: Tensor[] = [];
  const input = (shape: number[], data: Float32Array): Tensor => {
    const t = tensor(data, { shape, requiresGrad: true });
    made.push(t);
    return t;
  };
  const [b, t, d, h] = [p.batch, p.seq, p.dim, p.heads];
  manualSeed(5); // the same initial weights for every column
  let module: nn.Module | null = null;
  let forward: () => Tensor;
  if (p.kind === 'layerNorm') {
    const ln = new nn.LayerNorm(d);
    module = ln;
    const x = input([b, t, d], p.x.subarray(0, b * t * d));
    forward = () => ln.forward(x);
  } else if (p.kind === 'attention') {
    const hd = d / h;
    const [q, k, v] = [0, 1, 2].map((i) => input([b, h, t, hd], p.x.subarray(i * b * t * d, (i + 1) * b * t * d)));
    forward = () => nn.functional.scaledDotProductAttention(q, k, v, { isCausal: true });
  } else {
    const layer = new nn.TransformerEncoderLayer(d, h, { dimFeedforward: 4 * d, dropout: 0, activation: 'gelu', batchFirst: true, normFirst: true });
    module = layer;
    const x = input([b, t, d], p.x.subarray(0, b * t * d));
    const mask = tensor(Array.from({ length: t * t }, (_, i) => (i % t > Math.floor(i / t) ? 1 : 0)), { shape: [t, t], dtype: 'bool' });
    made.push(mask);
    forward = () => layer.forward(x, { srcMask: mask, isCausal: true });
  }
  const w = tensor(p.upstream.subarray(0, b * t * d), { shape: [b, t, d] });
  made.push(w);
  return {
    async step() {
      const was = fusedKernelsEnabled();
      setFusedKernelsEnabled(fused);
      try {
        const loss = tidy(() => {
          const y = forward();
          const l = y.mul(w.reshape(y.shape)).sum();
          l.backward();
          return l;
        });
        const value = getBackend().readSync ? loss.itemSync() : await loss.item();
        loss.dispose();
        for (const x of made) x.grad = null;
        module?.zeroGrad();
        return value;
      } finally {
        setFusedKernelsEnabled(was);
      }
    },
    dispose() {
      for (const x of made) x.dispose();
      if (module) for (const q of module.parameters()) q.dispose();
    },
  };
}
