import { getBackend, type Backend } from '@logit/core';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, chooseBackend, type BackendName } from '../src/lib/backends.js';

describe('chooseBackend', () => {
  it("'auto' takes wasm where it starts, makes it current and says why", async () => {
    const chosen = await chooseBackend('auto');
    expect(chosen.name).toBe('wasm');
    expect(chosen.backend.name).toBe('wasm');
    expect(getBackend()).toBe(chosen.backend);
    expect(chosen.reason).toBe('auto: the fastest that starts here');
  });

  it("'auto' falls back to cpu when wasm cannot start, naming why", async () => {
    const tried: BackendName[] = [];
    const use = async (name: BackendName): Promise<Backend> => {
      tried.push(name);
      if (name === 'wasm') throw new BackendUnavailableError('no WebAssembly here');
      return { name } as Backend;
    };
    const chosen = await chooseBackend('auto', use);
    expect(tried).toEqual(['wasm', 'cpu']);
    expect(chosen.name).toBe('cpu');
    expect(chosen.reason).toBe('auto: wasm could not start (no WebAssembly here)');
  });

  it("'auto' fails with every reason when nothing starts, and passes other errors through", async () => {
    const none = async (name: BackendName): Promise<Backend> => {
      throw new BackendUnavailableError(`no ${name}`);
    };
    await expect(chooseBackend('auto', none)).rejects.toThrow(new BackendUnavailableError('no backend could start here: wasm could not start (no wasm); cpu could not start (no cpu)'));
    const bug = async (): Promise<Backend> => {
      throw new TypeError('a bug');
    };
    await expect(chooseBackend('auto', bug)).rejects.toThrow(TypeError);
  });

  it('a backend asked for by name is used as is, without a reason', async () => {
    const chosen = await chooseBackend('cpu');
    expect(chosen).toMatchObject({ name: 'cpu', reason: null });
    expect(chosen.backend.name).toBe('cpu');
  });
});
