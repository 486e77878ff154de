import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractTar } from '../src/tar.js';

const work = mkdtempSync(path.join(tmpdir(), 'headless-tar-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One ustar entry: a 512-byte header (name, octal mode and size, type) and its data padded to 512. */
function entry(name: string, data: string | null, mode = 0o644, type = data === null ? '5' : '0'): Uint8Array {
  const body = new TextEncoder().encode(data ?? '');
  const header = new Uint8Array(512);
  const put = (at: number, s: string): void => header.set(new TextEncoder().encode(s), at);
  put(0, name);
  put(100, `${mode.toString(8).padStart(7, '0')}\0`);
  put(124, `${body.length.toString(8).padStart(11, '0')}\0`);
  put(156, type);
  put(257, 'ustar\0');
  const out = new Uint8Array(512 + Math.ceil(body.length / 512) * 512);
  out.set(header);
  out.set(body, 512);
  return out;
}

const archive = (...parts: Uint8Array[]): Uint8Array => {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0) + 1024);
  let at = 0;
  for (const p of parts) (all.set(p, at), (at += p.length));
  return all;
};

describe('extractTar', () => {
  it('writes files and folders with their modes, data crossing block boundaries intact', () => {
    const big = 'x'.repeat(700) + 'end';
    const dest = path.join(work, 'a');
    const written = extractTar(archive(entry('lib/', null, 0o755), entry('lib/libz.so', big, 0o755), entry('icd.json', '{"a":1}')), dest);
    expect(written).toEqual([path.join('lib', 'libz.so'), 'icd.json']);
    expect(readFileSync(path.join(dest, 'lib/libz.so'), 'utf8')).toBe(big);
    expect(readFileSync(path.join(dest, 'icd.json'), 'utf8')).toBe('{"a":1}');
    expect(statSync(path.join(dest, 'lib/libz.so')).mode & 0o777).toBe(0o755);
    expect(statSync(path.join(dest, 'icd.json')).mode & 0o777).toBe(0o644);
  });

  it('refuses entries outside the destination and kinds it does not handle', () => {
    expect(() => extractTar(archive(entry('../evil', 'x')), path.join(work, 'b'))).toThrow("tar: entry '../evil' would land outside");
    expect(() => extractTar(archive(entry('link', '', 0o777, '2')), path.join(work, 'c'))).toThrow("tar: entry 'link' has type '2'; only files and folders are supported");
  });
});
