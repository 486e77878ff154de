import { ValueError } from '@logit/core';
import { expect, it } from 'vitest';
import { createBackend } from '../src/index.js';

// createBackend's options are checked like every options object (issue 15, item 13): a typo
// or a snake_case key used to be ignored silently (one thread instead of the two asked for).
it('createBackend refuses unknown options, naming the one meant', async () => {
  await expect(createBackend({ thread: 2 } as never)).rejects.toThrow(ValueError);
  await expect(createBackend({ thread: 2 } as never)).rejects.toThrow(/^wasm: createBackend: unknown option 'thread'; did you mean 'threads'\?/);
  await expect(createBackend({ simd_mode: 'simd' } as never)).rejects.toThrow(/unknown option 'simd_mode' \(known options: simd, threads\)/);
});
