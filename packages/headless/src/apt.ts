import { spawnSync } from 'node:child_process';
import { mkdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { cacheRoot } from './unpack.js';

/** Installs Debian packages; throws one line when apt-get fails. */
export type Installer = (packages: readonly string[], why: string) => void;

const sleep = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * `apt-get update && apt-get install -y <packages>`, one process at a time (test processes that
 * start together would otherwise fight over dpkg's lock). Its output goes to stderr.
 */
export const aptInstall: Installer = (packages, why) => {
  const lock = path.join(cacheRoot(), 'apt.lock');
  mkdirSync(cacheRoot(), { recursive: true });
  for (const t0 = Date.now(); ; sleep(500)) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - t0 > 15 * 60_000) throw new Error(`@logit/headless: waited 15 minutes for ${lock}; remove it if no apt-get is running`);
    }
  }
  try {
    process.stderr.write(`@logit/headless: ${why}; installing ${packages.join(' ')} with apt-get\n`);
    for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...packages]]) {
      const r = spawnSync('apt-get', args, { stdio: ['ignore', 2, 2], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      if (r.status !== 0) throw new Error(`@logit/headless: apt-get ${args.join(' ')} failed (exit ${r.status ?? r.signal}); install ${packages.join(' ')} yourself`);
    }
  } finally {
    rmdirSync(lock);
  }
};
