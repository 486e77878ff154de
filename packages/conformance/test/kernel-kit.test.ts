import { describe, expect, test } from 'vitest';
import { createCpuBackend } from '@logit/backend-cpu';
import type { Backend, Storage } from '@logit/core';
import { createKernelEnvironment, runKernelCase, selectKernelCases, STORAGE_CHECKS } from '../src/index.js';
import { wrapBackend } from './helpers/wrap.js';

// The kernel kit fails a backend that breaks the contract around a kernel, not only its values:
// a kernel that writes into its input, leaves scratch storages behind, reads back differently
// with readSync, or returns the wrong dtype; and a backend whose memory accounting is off.

async function run(make: () => Backend, include: string): Promise<string[]> {
  const env = await createKernelEnvironment(make);
  const messages: string[] = [];
  for (const { kc, dtype } of selectKernelCases([include])) {
    const r = await runKernelCase(env, kc, dtype);
    if (r.status === 'fail') messages.push(r.message!);
  }
  return messages;
}

describe('the kernel kit', () => {
  test('backend-cpu passes its unary and reduce cases, and the storage checks', async () => {
    expect(await run(createCpuBackend, 'unary exp')).toEqual([]);
    expect(await run(createCpuBackend, 'reduce sum')).toEqual([]);
    const be = createCpuBackend();
    for (const c of STORAGE_CHECKS) await c.run(be, async () => createCpuBackend());
  });

  test('a kernel that writes into its input', async () => {
    const make = () => {
      const cpu = createCpuBackend();
      return wrapBackend(cpu, 'mut-in-place', {
        ops: (o) => ({
          unary: (op, x, size, dtype) => {
            const out = o.unary(op, x, size, dtype);
            if (op === 'neg' && size > 0) cpu.write(x, cpu.readSync!(out)); // "saves" an allocation
            return out;
          },
        }),
      });
    };
    const failed = await run(make, 'unary neg');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]).toMatch(/the kernel modified its input 0: \[0\] got/);
  });

  test('a kernel that leaves a scratch storage behind', async () => {
    const make = () => {
      const cpu = createCpuBackend();
      return wrapBackend(cpu, 'mut-scratch', {
        ops: (o) => ({
          gather: (...a) => {
            cpu.alloc('float32', 4);
            return o.gather(...a);
          },
        }),
      });
    };
    const [first] = await run(make, 'gather along each axis');
    expect(first).toMatch(/leaked 1 storage\(s\), 16 byte\(s\) besides its outputs/);
  });

  test('readSync that disagrees with read, and an output of the wrong dtype', async () => {
    const stale = () => {
      const cpu = createCpuBackend();
      return { ...wrapBackend(cpu, 'mut-readsync', {}), readSync: (s: Storage) => cpu.readSync!(s).map((v) => v + 1) } as Backend;
    };
    expect((await run(stale, 'unary abs'))[0]).toMatch(/readSync disagrees with read on output 0/);
    const wrongType = () => {
      const cpu = createCpuBackend();
      return wrapBackend(cpu, 'mut-argmax-dtype', {
        ops: (o) => ({ argReduce: (op, x, shape, axis, dtype) => { const i = o.argReduce(op, x, shape, axis, dtype); const f = o.cast(i, shape.length ? shape.filter((_, d) => d !== axis).reduce((a, b) => a * b, 1) : 1, 'int32', 'float32'); cpu.free(i); return f; } }),
      });
    };
    expect((await run(wrongType, 'argReduce argmax'))[0]).toMatch(/output 0 is a Float32Array, expected a Int32Array/);
  });

  test('memory() that does not count kernel outputs, and a second free that passes silently', async () => {
    const uncounted = () => {
      const cpu = createCpuBackend();
      let outputs = 0;
      return {
        ...wrapBackend(cpu, 'mut-memory', { ops: (o) => ({ unary: (...a) => (outputs++, o.unary(...a)) }) }),
        memory: () => ({ storages: cpu.memory().storages - outputs, bytes: cpu.memory().bytes }),
      } as Backend;
    };
    await expect(STORAGE_CHECKS[0].run(uncounted(), async () => uncounted())).rejects.toThrow(/kernel outputs .* are not counted/);
    const lenient = (): Backend => {
      const cpu = createCpuBackend();
      const freed = new Set<Storage>();
      return { ...cpu, free: (s) => (freed.has(s) ? undefined : (freed.add(s), cpu.free(s))) };
    };
    await expect(STORAGE_CHECKS[2].run(lenient(), async () => lenient())).rejects.toThrow(/free of a freed storage: did not throw/);
  });
});
