import { vi } from 'vitest';
import { main } from '../src/node/cli.js';

/** Runs the CLI's main() in this process and returns its exit code and what it printed. */
export async function runCli(args: string[], userDir?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await main(args, userDir), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
