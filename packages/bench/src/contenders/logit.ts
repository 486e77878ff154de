import { getBackend, setBackend, tensor, type Backend, type Tensor } from '@logit/core';
import type { Contender, PreparedCase } from './types.js';

/** Reads a tensor the way a user of this backend would: synchronously where the backend can. */
async function readBack(t: Tensor): Promise<void> {
  if (getBackend().readSync) t.dataSync();
  else await t.data();
}

/** Logit through its public API on the backend that `create` makes (created once, lazily). */
export function logitContender(name: string, create: () => Promise<Backend>, compareTo?: string): Contender {
  let backend: Backend | undefined;
  return {
    name,
    compareTo,
    async activate() {
      backend ??= await create();
      setBackend(backend);
    },
    matmul(n, aData, bData): PreparedCase {
      const a = tensor(aData, { shape: [n, n] });
      const b = tensor(bData, { shape: [n, n] });
      return {
        async run() {
          const c = a.matmul(b);
          await readBack(c);
          c.dispose();
        },
        async result() {
          const c = a.matmul(b);
          const data = (await c.data()) as Float32Array;
          c.dispose();
          return data;
        },
        dispose() {
          a.dispose();
          b.dispose();
        },
      };
    },
  };
}
