import { createCpuBackend } from '@logit/backend-cpu';
import type { Backend } from '@logit/core';

/** backend-cpu with an exp off by one part in 1e4: the CLI test expects a non-zero exit naming exp. */
export async function createBackend(): Promise<Backend> {
  const cpu = createCpuBackend();
  return {
    ...cpu,
    name: 'broken-exp',
    ops: {
      ...cpu.ops,
      unary: (op, x, size, dtype) => {
        if (op !== 'exp') return cpu.ops.unary(op, x, size, dtype);
        const y = cpu.ops.unary('exp', x, size, dtype);
        const scale = cpu.ops.fill(1 + 1e-4, size, dtype);
        const out = cpu.ops.binary('mul', y, [size], scale, [size], [size], dtype);
        cpu.free(y);
        cpu.free(scale);
        return out;
      },
    },
  };
}
