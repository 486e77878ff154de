/**
 * Where Chromium and a Vulkan driver come from, decided from facts about the machine alone (no
 * side effects), so every branch is tested with made-up machines. The order is always: what the
 * user set explicitly, then npm (reproducible, no root needed), then the system, then apt-get
 * on Debian as root, then one line that says what to install.
 */

/** What the decisions need to know about a machine; `thisMachine()` probes the real one. */
export interface Machine {
  readonly platform: NodeJS.Platform;
  readonly arch: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  exists(file: string): boolean;
  /** Running as root, so apt-get can install. */
  readonly root: boolean;
  /** Debian or a derivative, with apt-get. */
  readonly apt: boolean;
  /** The dynamic loader knows libvulkan.so.1 (`ldconfig -p`). */
  readonly vulkanLoader: boolean;
  /** Vulkan driver manifests (ICD json files) in the loader's standard folders. */
  readonly vulkanDrivers: readonly string[];
  /** The `@sparticuz/chromium` package is installed (its Chromium and SwiftShader are Linux x64 builds). */
  readonly npmPackage: boolean;
}

/** How to get a Chromium to run headless. */
export type ChromiumPlan =
  | { from: 'env'; executable: string }
  | { from: 'npm' }
  | { from: 'system'; executable: string }
  | { from: 'apt'; packages: string[]; executable: string }
  | { from: 'missing'; message: string };

/** How Dawn (the `webgpu` package) in Node finds a Vulkan driver. */
export type VulkanPlan =
  | { from: 'env' }
  | { from: 'native' }
  | { from: 'npm' }
  | { from: 'system'; icd: string | null }
  | { from: 'apt'; packages: string[]; icd: string }
  | { from: 'missing'; message: string };

/** Debian's chromium-common ships SwiftShader next to chromium, with this manifest. */
export const DEBIAN_SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

function systemChromiums(m: Machine): string[] {
  if (m.platform === 'darwin') {
    return ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
  }
  if (m.platform === 'win32') {
    const roots = [m.env.PROGRAMFILES, m.env['PROGRAMFILES(X86)'], m.env.LOCALAPPDATA].filter((r): r is string => !!r);
    return roots.map((r) => `${r}\\Google\\Chrome\\Application\\chrome.exe`);
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];
}

const npmServes = (m: Machine): boolean => m.npmPackage && m.platform === 'linux' && m.arch === 'x64';
const where = (m: Machine): string => `${m.platform}-${m.arch}`;

export function planChromium(m: Machine): ChromiumPlan {
  const chosen = m.env.CHROMIUM_PATH;
  if (chosen) {
    return m.exists(chosen) ? { from: 'env', executable: chosen } : { from: 'missing', message: `CHROMIUM_PATH=${chosen} does not exist: point it at a Chromium or Chrome executable, or unset it` };
  }
  if (npmServes(m)) return { from: 'npm' };
  const found = systemChromiums(m).find((p) => m.exists(p));
  if (found) return { from: 'system', executable: found };
  if (m.platform === 'linux' && m.apt && m.root) return { from: 'apt', packages: ['chromium'], executable: '/usr/bin/chromium' };
  return {
    from: 'missing',
    message: `no Chromium for the browser tests on ${where(m)}: install Chromium or Google Chrome (Debian/Ubuntu: apt-get install chromium; macOS: brew install --cask chromium), or set CHROMIUM_PATH to its executable`,
  };
}

export function planVulkan(m: Machine): VulkanPlan {
  if (m.env.VK_ICD_FILENAMES || m.env.VK_DRIVER_FILES) return { from: 'env' };
  if (m.platform !== 'linux') return { from: 'native' };
  if (npmServes(m)) return { from: 'npm' };
  if (m.vulkanLoader && m.exists(DEBIAN_SWIFTSHADER_ICD)) return { from: 'system', icd: DEBIAN_SWIFTSHADER_ICD };
  if (m.vulkanLoader && m.vulkanDrivers.length > 0) return { from: 'system', icd: null };
  if (m.apt && m.root) return { from: 'apt', packages: ['libvulkan1', 'chromium-common'], icd: DEBIAN_SWIFTSHADER_ICD };
  return {
    from: 'missing',
    message: `no Vulkan driver for WebGPU in Node on ${where(m)}: install the Vulkan loader and a driver (Debian: apt-get install libvulkan1 chromium-common, which brings SwiftShader), or set VK_ICD_FILENAMES to a driver's manifest`,
  };
}
