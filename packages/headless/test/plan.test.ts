import { describe, expect, it } from 'vitest';
import { DEBIAN_SWIFTSHADER_ICD, planChromium, planVulkan, type Machine } from '../src/plan.js';
import { chromiumRuntime, MissingRuntimeError, nodeVulkanEnv } from '../src/runtime.js';

/** A machine with nothing on it but what `over` adds. */
function machine(over: Partial<Machine> & { files?: string[] } = {}): Machine {
  const files = new Set(over.files ?? []);
  return {
    platform: 'linux', arch: 'x64', env: {}, root: false, apt: false, vulkanLoader: false, vulkanDrivers: [], npmPackage: true,
    exists: (f) => files.has(f),
    ...over,
  };
}

describe('planChromium', () => {
  it('takes the npm build on Linux x64, even when the system has a Chromium', () => {
    expect(planChromium(machine({ files: ['/usr/bin/chromium'] }))).toEqual({ from: 'npm' });
  });

  it('takes CHROMIUM_PATH over everything, and says so when it names nothing', () => {
    expect(planChromium(machine({ env: { CHROMIUM_PATH: '/opt/c' }, files: ['/opt/c'] }))).toEqual({ from: 'env', executable: '/opt/c' });
    expect(planChromium(machine({ env: { CHROMIUM_PATH: '/opt/c' } }))).toEqual({
      from: 'missing', message: 'CHROMIUM_PATH=/opt/c does not exist: point it at a Chromium or Chrome executable, or unset it',
    });
  });

  it('falls back to the system where npm has no build', () => {
    expect(planChromium(machine({ arch: 'arm64', files: ['/usr/bin/google-chrome'] }))).toEqual({ from: 'system', executable: '/usr/bin/google-chrome' });
    const mac = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(planChromium(machine({ platform: 'darwin', arch: 'arm64', files: [mac] }))).toEqual({ from: 'system', executable: mac });
    const win = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
    expect(planChromium(machine({ platform: 'win32', env: { PROGRAMFILES: 'C:\\Program Files' }, files: [win] }))).toEqual({ from: 'system', executable: win });
    // and to the system when the npm package is not installed at all
    expect(planChromium(machine({ npmPackage: false, files: ['/usr/bin/chromium'] }))).toEqual({ from: 'system', executable: '/usr/bin/chromium' });
  });

  it('installs with apt-get on Debian as root, and only there', () => {
    expect(planChromium(machine({ arch: 'arm64', apt: true, root: true }))).toEqual({ from: 'apt', packages: ['chromium'], executable: '/usr/bin/chromium' });
    const notRoot = planChromium(machine({ arch: 'arm64', apt: true }));
    expect(notRoot).toEqual({
      from: 'missing',
      message: 'no Chromium for the browser tests on linux-arm64: install Chromium or Google Chrome (Debian/Ubuntu: apt-get install chromium; macOS: brew install --cask chromium), or set CHROMIUM_PATH to its executable',
    });
    expect(planChromium(machine({ platform: 'darwin', arch: 'arm64', root: true })).from).toBe('missing');
  });
});

describe('planVulkan', () => {
  it('takes the npm SwiftShader on Linux x64, even when the system has a loader and a driver', () => {
    expect(planVulkan(machine({ vulkanLoader: true, vulkanDrivers: ['/usr/share/vulkan/icd.d/lvp_icd.x86_64.json'] }))).toEqual({ from: 'npm' });
  });

  it('leaves an explicit VK_ICD_FILENAMES or VK_DRIVER_FILES alone', () => {
    expect(planVulkan(machine({ env: { VK_ICD_FILENAMES: '/x.json' } }))).toEqual({ from: 'env' });
    expect(planVulkan(machine({ arch: 'arm64', env: { VK_DRIVER_FILES: '/x.json' } }))).toEqual({ from: 'env' });
  });

  it('needs nothing on macOS and Windows (Dawn runs on Metal and D3D12)', () => {
    expect(planVulkan(machine({ platform: 'darwin', arch: 'arm64' }))).toEqual({ from: 'native' });
    expect(planVulkan(machine({ platform: 'win32' }))).toEqual({ from: 'native' });
  });

  it("uses the system loader elsewhere, preferring Debian chromium's SwiftShader", () => {
    const arm = { arch: 'arm64', vulkanLoader: true } as const;
    expect(planVulkan(machine({ ...arm, files: [DEBIAN_SWIFTSHADER_ICD] }))).toEqual({ from: 'system', icd: DEBIAN_SWIFTSHADER_ICD });
    expect(planVulkan(machine({ ...arm, vulkanDrivers: ['/etc/vulkan/icd.d/nvidia_icd.json'] }))).toEqual({ from: 'system', icd: null });
    // a loader without any driver is no better than nothing
    expect(planVulkan(machine({ ...arm, apt: true, root: true }))).toEqual({ from: 'apt', packages: ['libvulkan1', 'chromium-common'], icd: DEBIAN_SWIFTSHADER_ICD });
  });

  it('names what to install when it cannot install it', () => {
    expect(planVulkan(machine({ arch: 'arm64', apt: true }))).toEqual({
      from: 'missing',
      message: "no Vulkan driver for WebGPU in Node on linux-arm64: install the Vulkan loader and a driver (Debian: apt-get install libvulkan1 chromium-common, which brings SwiftShader), or set VK_ICD_FILENAMES to a driver's manifest",
    });
    expect(planVulkan(machine({ npmPackage: false, files: [DEBIAN_SWIFTSHADER_ICD] })).from).toBe('missing');
  });
});

describe('chromiumRuntime and nodeVulkanEnv carry out the plan', () => {
  /** An apt-get stand-in that records its calls and "installs" the given files. */
  function fakeApt(files: string[], installs: string[]) {
    const calls: string[][] = [];
    return { calls, install: (packages: readonly string[]) => void (calls.push([...packages]), files.push(...installs)) };
  }
  // a Debian arm64 machine, root, with `files`; it has a Vulkan loader once libvulkan1 brought one
  const LOADER = '/usr/lib/aarch64-linux-gnu/libvulkan.so.1';
  const debianArm = (files: string[]): Machine => ({
    ...machine({ arch: 'arm64', apt: true, root: true }), exists: (f) => files.includes(f), vulkanLoader: files.includes(LOADER),
  });

  it('installs with apt-get, then uses what it installed', () => {
    const files: string[] = [];
    const apt = fakeApt(files, ['/usr/bin/chromium', DEBIAN_SWIFTSHADER_ICD, LOADER]);
    expect(chromiumRuntime(debianArm(files), apt.install)).toEqual({ executablePath: '/usr/bin/chromium', env: {}, from: 'apt' });
    expect(nodeVulkanEnv(debianArm(files), apt.install)).toEqual({ VK_ICD_FILENAMES: DEBIAN_SWIFTSHADER_ICD, NODEVICE_SELECT: '1' });
    expect(apt.calls).toEqual([['chromium']]); // Vulkan needed no apt-get: chromium-common came with chromium
  });

  it('says so when apt-get did not bring what it should', () => {
    const apt = fakeApt([], []);
    expect(() => chromiumRuntime(debianArm([]), apt.install)).toThrow(new MissingRuntimeError('@logit/headless: apt-get installed chromium but /usr/bin/chromium is still missing'));
    expect(() => nodeVulkanEnv(debianArm([]), apt.install)).toThrow(MissingRuntimeError);
    expect(apt.calls).toEqual([['chromium'], ['libvulkan1', 'chromium-common']]);
  });

  it('throws one line naming what to install, and never runs apt-get without root', () => {
    const apt = fakeApt([], []);
    const m = machine({ arch: 'arm64', apt: true });
    expect(() => chromiumRuntime(m, apt.install)).toThrow(/^@logit\/headless: no Chromium for the browser tests on linux-arm64: install Chromium/);
    expect(() => nodeVulkanEnv(m, apt.install)).toThrow(/^@logit\/headless: no Vulkan driver for WebGPU in Node on linux-arm64: install/);
    expect(apt.calls).toEqual([]);
  });

  it('sets nothing where the system or the user already chose', () => {
    expect(nodeVulkanEnv(machine({ platform: 'darwin', arch: 'arm64' }))).toEqual({});
    expect(nodeVulkanEnv(machine({ env: { VK_ICD_FILENAMES: '/x.json' } }))).toEqual({});
    expect(nodeVulkanEnv(machine({ arch: 'arm64', vulkanLoader: true, vulkanDrivers: ['/etc/vulkan/icd.d/nvidia_icd.json'] }))).toEqual({});
    expect(chromiumRuntime(machine({ env: { CHROMIUM_PATH: '/opt/c' }, files: ['/opt/c'] }))).toEqual({ executablePath: '/opt/c', env: {}, from: 'env' });
  });
});
