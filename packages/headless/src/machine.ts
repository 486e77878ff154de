import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Machine } from './plan.js';
import { npmPackageBin } from './unpack.js';

const DRIVER_FOLDERS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

function hasVulkanLoader(): boolean {
  for (const ldconfig of ['/sbin/ldconfig', '/usr/sbin/ldconfig', 'ldconfig']) {
    const r = spawnSync(ldconfig, ['-p'], { encoding: 'utf8' });
    if (r.status === 0) return /\blibvulkan\.so\.1\b/.test(r.stdout);
  }
  return false;
}

function vulkanDrivers(): string[] {
  return DRIVER_FOLDERS.flatMap((dir) => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f));
    } catch {
      return [];
    }
  });
}

/** The machine this process runs on. */
export function thisMachine(): Machine {
  const linux = process.platform === 'linux';
  return {
    platform: process.platform,
    arch: process.arch,
    env: process.env,
    exists: existsSync,
    root: process.getuid?.() === 0,
    apt: linux && existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get'),
    vulkanLoader: linux && hasVulkanLoader(),
    vulkanDrivers: linux ? vulkanDrivers() : [],
    npmPackage: npmPackageBin() !== null,
  };
}
