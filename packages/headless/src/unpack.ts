import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import { extractTar } from './tar.js';

// Bumped when the layout of an unpacked folder changes, so an old cache is not reused.
const LAYOUT = 1;

/** The `bin/` folder of the installed `@sparticuz/chromium` and its version, or null when it is not installed. */
export function npmPackageBin(): { bin: string; version: string } | null {
  try {
    const main = createRequire(import.meta.url).resolve('@sparticuz/chromium');
    const root = path.resolve(path.dirname(main), '..');
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    const bin = path.join(root, 'bin');
    return existsSync(path.join(bin, 'chromium.br')) ? { bin, version } : null;
  } catch {
    return null;
  }
}

/** node_modules/.cache/logit-headless of this package (src/ and dist/ are both one level down). */
export function cacheRoot(): string {
  const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  return path.join(packageDir, 'node_modules', '.cache', 'logit-headless');
}

function unbrotli(file: string): Buffer {
  return brotliDecompressSync(readFileSync(file));
}

/**
 * `<cache>/<name>`, filled by `fill` the first time. Filling happens in a private folder that is
 * renamed into place at the end, so a test process that runs at the same time, or one killed
 * half-way, never sees a half-written folder; the loser of a race throws its copy away.
 */
function unpackOnce(name: string, fill: (dir: string, finalDir: string) => void): string {
  const root = cacheRoot();
  const dir = path.join(root, name);
  if (existsSync(dir)) return dir;
  mkdirSync(root, { recursive: true });
  for (const old of readdirSync(root)) {
    const p = path.join(root, old);
    if (old.startsWith(`${name}.tmp-`) && Date.now() - statSync(p).mtimeMs > 10 * 60_000) rmSync(p, { recursive: true, force: true });
  }
  const tmp = path.join(root, `${name}.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(tmp);
  try {
    fill(tmp, dir);
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(dir)) throw e;
  }
  return dir;
}

/** A folder with `libvulkan.so.1`, `libvk_swiftshader.so` and `vk_swiftshader_icd.json` (SwiftShader, Linux x64). */
export function unpackVulkan(): string {
  const pkg = npmPackageBin();
  if (!pkg) throw new Error('@logit/headless: @sparticuz/chromium is not installed (run pnpm install)');
  return unpackOnce(`vulkan-${pkg.version}-${LAYOUT}`, (dir) => {
    extractTar(unbrotli(path.join(pkg.bin, 'swiftshader.tar.br')), dir);
  });
}

/**
 * A folder holding `chromium` with SwiftShader beside it (Chromium's GPU process loads Vulkan
 * and the driver from its own folder: that is what gives navigator.gpu an adapter without a
 * GPU), `lib/` with the NSS libraries it links, and `fontconfig/` (the system's fonts plus
 * Open Sans).
 */
export function unpackChromium(): string {
  const pkg = npmPackageBin();
  if (!pkg) throw new Error('@logit/headless: @sparticuz/chromium is not installed (run pnpm install)');
  return unpackOnce(`chromium-${pkg.version}-${LAYOUT}`, (dir, finalDir) => {
    writeFileSync(path.join(dir, 'chromium'), unbrotli(path.join(pkg.bin, 'chromium.br')), { mode: 0o755 });
    extractTar(unbrotli(path.join(pkg.bin, 'swiftshader.tar.br')), dir);
    extractTar(unbrotli(path.join(pkg.bin, 'al2023.tar.br')), dir);
    const fonts = path.join(dir, 'fontconfig');
    extractTar(unbrotli(path.join(pkg.bin, 'fonts.tar.br')), fonts);
    // The package's fonts.conf names AWS Lambda's folders; ours names where the fonts are now.
    const finalFonts = path.join(finalDir, 'fontconfig');
    writeFileSync(path.join(fonts, 'fonts.conf'), `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${finalFonts}/fonts</dir>
  <cachedir>${finalFonts}/cache</cachedir>
</fontconfig>
`);
  });
}
