// The real thing on this machine: what the npm package provides (Linux x64) or the system does
// elsewhere, unpacked if needed, then used as the tests use it. Nothing here is mocked.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumRuntime, launchChromium, nodeVulkanEnv, runPage } from '../src/index.js';
import { thisMachine } from '../src/machine.js';

// where the npm package serves (and nothing overrides it), what it serves is known exactly
const linuxX64 = process.platform === 'linux' && process.arch === 'x64';
const npm = linuxX64 && !process.env.CHROMIUM_PATH;
const npmVulkan = linuxX64 && !process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES;

describe('nodeVulkanEnv', () => {
  it('gives a Node process that starts with it a WebGPU adapter, and Logit-sized limits', () => {
    const env = nodeVulkanEnv();
    if (npmVulkan) {
      const icd = JSON.parse(readFileSync(env.VK_ICD_FILENAMES, 'utf8')) as { ICD: { library_path: string } };
      expect(existsSync(path.resolve(path.dirname(env.VK_ICD_FILENAMES), icd.ICD.library_path))).toBe(true);
      expect(existsSync(path.join(env.LD_LIBRARY_PATH.split(':')[0], 'libvulkan.so.1'))).toBe(true);
    }
    const script = `import { create, globals } from 'webgpu'; Object.assign(globalThis, globals);
      const a = await create([]).requestAdapter();
      console.log(JSON.stringify(a && { ...a.info.__proto__ && { vendor: a.info.vendor, architecture: a.info.architecture }, maxBuffer: a.limits.maxBufferSize }));
      process.exit(0);`;
    const run = (extra: Record<string, string>) => {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...extra }, encoding: 'utf8', cwd: import.meta.dirname });
      return { stderr: r.stderr, adapter: JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { architecture: string; maxBuffer: number } | null };
    };
    // On a machine without a Vulkan loader (as a fresh one is), that env is what makes it work.
    if (npmVulkan && !thisMachine().vulkanLoader) expect(run({}).adapter).toBeNull();
    const { stderr, adapter } = run(env);
    expect(stderr).not.toMatch(/Couldn't load Vulkan/);
    expect(adapter).not.toBeNull();
    if (npmVulkan) expect(adapter!.architecture).toBe('swiftshader');
    expect(adapter!.maxBuffer).toBeGreaterThanOrEqual(256 * 2 ** 20);
  });
});

describe('chromiumRuntime and launchChromium', () => {
  it('unpacks Chromium next to SwiftShader once, and the same folder is found again', () => {
    const a = chromiumRuntime();
    expect(existsSync(a.executablePath)).toBe(true);
    if (npm) {
      expect(a.from).toBe('npm');
      const dir = path.dirname(a.executablePath);
      for (const f of ['libvulkan.so.1', 'libvk_swiftshader.so', 'vk_swiftshader_icd.json', 'lib/libnss3.so', 'fontconfig/fonts.conf']) expect(existsSync(path.join(dir, f))).toBe(true);
      expect(a.env.LD_LIBRARY_PATH.split(':').slice(0, 2)).toEqual([path.join(dir, 'lib'), dir]);
    }
    expect(chromiumRuntime()).toEqual(a);
  });

  it('gives pages a WebGPU adapter that computes, and none when WebGPU is off', async () => {
    // doubles and adds one to [1, 2, 3, 4] on the GPU, then reads it back
    const script = `try {
      const adapter = await navigator.gpu.requestAdapter();
      if (!adapter) { window.__results = null; window.__done = true; }
      else {
        const device = await adapter.requestDevice();
        const code = '@group(0) @binding(0) var<storage, read_write> x: array<f32>; @compute @workgroup_size(4) fn main(@builtin(global_invocation_id) i: vec3u) { x[i.x] = x[i.x] * 2.0 + 1.0; }';
        const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
        const buf = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
        device.queue.writeBuffer(buf, 0, new Float32Array([1, 2, 3, 4]));
        const read = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: buf } }] }));
        pass.dispatchWorkgroups(1);
        pass.end();
        enc.copyBufferToBuffer(buf, 0, read, 0, 16);
        device.queue.submit([enc.finish()]);
        await read.mapAsync(GPUMapMode.READ);
        window.__results = { architecture: adapter.info.architecture, values: Array.from(new Float32Array(read.getMappedRange())) };
        window.__done = true;
      }
    } catch (e) { window.__error = String(e); }`;
    type Out = { architecture: string; values: number[] } | null;
    const on = await runPage<Out>({ script, timeoutMs: 60_000 });
    expect(on.error).toBeNull();
    expect(on.results).not.toBeNull();
    expect(on.results!.values).toEqual([3, 5, 7, 9]);
    if (npm) expect(on.results!.architecture).toBe('swiftshader');
    // without a GPU, Chromium offers SwiftShader only behind --enable-unsafe-webgpu
    const off = await runPage<Out>({ script, timeoutMs: 60_000, launch: { webgpu: false } });
    expect(off.error).toBeNull();
    if (npm) expect(off.results).toBeNull();
  });

  it('closes with its profile folder deleted', async () => {
    // os.tmpdir() follows TMPDIR, so the profile lands in a folder of this test's own
    const own = mkdtempSync(path.join(tmpdir(), 'headless-profile-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = own;
    try {
      const context = await launchChromium({ viewport: { width: 300, height: 200 } });
      const profiles = (): string[] => readdirSync(own).filter((f) => f.startsWith('logit-chromium-'));
      expect(profiles()).toHaveLength(1);
      const page = await context.newPage();
      expect(await page.evaluate(() => [innerWidth, innerHeight])).toEqual([300, 200]);
      await context.close();
      expect(profiles()).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(own, { recursive: true, force: true });
    }
  });
});

describe('runPage', () => {
  it("returns the page's results, its console lines, and its error", async () => {
    const lines: string[] = [];
    const ok = await runPage<number[]>({
      head: '<script>window.__config = 3;</script>',
      script: 'console.log("hello"); window.__results = [window.__config, 1 + 1]; window.__done = true;',
      timeoutMs: 30_000,
      log: (l) => lines.push(l),
    });
    expect(ok).toEqual({ results: [3, 2], error: null });
    expect(lines).toContain('hello');
    const bad = await runPage<unknown>({ script: 'window.__error = "it broke";', timeoutMs: 30_000 });
    expect(bad.error).toBe('it broke');
    await expect(runPage({ script: '', timeoutMs: 500 })).rejects.toThrow(/Timeout 500ms exceeded/);
  });
});
