import { ValueError } from '@logit/core';
import { expect, it } from 'vitest';
import { createBackend } from '../../src/index.js';

// createBackend's options are checked like every options object (issue 15, item 13).
it('createBackend refuses unknown options before asking for an adapter', async () => {
  await expect(createBackend({ powerPrefrence: 'low-power' } as never)).rejects.toThrow(ValueError);
  await expect(createBackend({ power_preference: 'low-power' } as never)).rejects.toThrow(
    /^webgpu: createBackend: unknown option 'power_preference'; did you mean 'powerPreference'\? \(options are camelCase\)/,
  );
});
