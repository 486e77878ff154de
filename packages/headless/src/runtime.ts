import path from 'node:path';
import { aptInstall, type Installer } from './apt.js';
import { thisMachine } from './machine.js';
import { planChromium, planVulkan, type Machine } from './plan.js';
import { unpackChromium, unpackVulkan } from './unpack.js';

/** A part the browser or WebGPU tests need is missing, and neither npm nor apt-get could provide it. */
export class MissingRuntimeError extends Error {
  override name = 'MissingRuntimeError';
}

/** A Chromium to launch headless. */
export interface ChromiumRuntime {
  /** The executable. */
  executablePath: string;
  /** Variables to add to the browser's environment (libraries and fonts of the npm build). */
  env: Record<string, string>;
  /** Where it came from: CHROMIUM_PATH, the npm package, the system, or apt-get just now. */
  from: 'env' | 'npm' | 'system' | 'apt';
}

const prepend = (dirs: string[], existing: string | undefined): string => [...dirs, ...(existing ? [existing] : [])].join(':');

/**
 * Finds or provides a headless Chromium with WebGPU on SwiftShader where there is no GPU: on
 * Linux x64 the build in the npm package `@sparticuz/chromium`, unpacked once into
 * node_modules/.cache; elsewhere the system's Chromium or Chrome (apt-get on Debian as root).
 * `CHROMIUM_PATH` overrides. Throws MissingRuntimeError (one line naming what to install).
 */
export function chromiumRuntime(machine: Machine = thisMachine(), install: Installer = aptInstall): ChromiumRuntime {
  const plan = planChromium(machine);
  switch (plan.from) {
    case 'missing':
      throw new MissingRuntimeError(`@logit/headless: ${plan.message}`);
    case 'npm': {
      const dir = unpackChromium();
      return {
        executablePath: path.join(dir, 'chromium'),
        env: { LD_LIBRARY_PATH: prepend([path.join(dir, 'lib'), dir], machine.env.LD_LIBRARY_PATH), FONTCONFIG_PATH: path.join(dir, 'fontconfig') },
        from: 'npm',
      };
    }
    case 'apt':
      install(plan.packages, `no Chromium on ${machine.platform}-${machine.arch} from npm or the system`);
      if (!machine.exists(plan.executable)) throw new MissingRuntimeError(`@logit/headless: apt-get installed ${plan.packages.join(' ')} but ${plan.executable} is still missing`);
      return { executablePath: plan.executable, env: {}, from: 'apt' };
    default:
      return { executablePath: plan.executable, env: {}, from: plan.from };
  }
}

/**
 * The environment a Node process that uses the `webgpu` package (Dawn) needs to find a Vulkan
 * driver, SwiftShader where there is no GPU: on Linux x64 the loader and driver from the npm
 * package `@sparticuz/chromium`; elsewhere on Linux the system's (apt-get on Debian as root);
 * nothing on macOS and Windows (Metal, D3D12) or when VK_ICD_FILENAMES is already set.
 *
 * The dynamic loader reads LD_LIBRARY_PATH once, when a process starts: set these in the
 * process that starts the ones using WebGPU (a vitest config, whose test workers inherit it),
 * not in the process itself. Throws MissingRuntimeError (one line naming what to install).
 */
export function nodeVulkanEnv(machine: Machine = thisMachine(), install: Installer = aptInstall): Record<string, string> {
  const plan = planVulkan(machine);
  switch (plan.from) {
    case 'missing':
      throw new MissingRuntimeError(`@logit/headless: ${plan.message}`);
    case 'env':
    case 'native':
      return {};
    case 'npm': {
      const dir = unpackVulkan();
      return { LD_LIBRARY_PATH: prepend([dir], machine.env.LD_LIBRARY_PATH), VK_ICD_FILENAMES: path.join(dir, 'vk_swiftshader_icd.json'), NODEVICE_SELECT: '1' };
    }
    case 'apt':
      install(plan.packages, `no Vulkan driver on ${machine.platform}-${machine.arch} from npm or the system`);
      if (!machine.exists(plan.icd)) throw new MissingRuntimeError(`@logit/headless: apt-get installed ${plan.packages.join(' ')} but ${plan.icd} is still missing`);
      return { VK_ICD_FILENAMES: plan.icd, NODEVICE_SELECT: '1' };
    case 'system':
      return plan.icd ? { VK_ICD_FILENAMES: plan.icd, NODEVICE_SELECT: '1' } : {};
  }
}
