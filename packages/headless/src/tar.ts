import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const BLOCK = 512;

function field(header: Uint8Array, start: number, length: number): string {
  const bytes = header.subarray(start, start + length);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

function octal(header: Uint8Array, start: number, length: number): number {
  const text = field(header, start, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

/**
 * Writes the regular files and folders of a ustar archive (what `@sparticuz/chromium` ships,
 * brotli-compressed) under `dest`, keeping their permission bits; returns the paths written,
 * relative to `dest`. Anything else (links, pax or GNU long-name headers) throws: those archives
 * have none, and a new release that adds some should fail loudly rather than unpack half.
 */
export function extractTar(archive: Uint8Array, dest: string): string[] {
  const written: string[] = [];
  for (let at = 0; at + BLOCK <= archive.length; ) {
    const header = archive.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break; // two zero blocks end the archive
    const prefix = field(header, 345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(header, 0, 100);
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const target = path.resolve(dest, name);
    if (path.isAbsolute(name) || !target.startsWith(path.resolve(dest) + path.sep)) {
      throw new Error(`tar: entry '${name}' would land outside ${dest}`);
    }
    if (type === '5') {
      mkdirSync(target, { recursive: true });
    } else if (type === '0') {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, archive.subarray(at + BLOCK, at + BLOCK + size));
      chmodSync(target, octal(header, 100, 8) & 0o777);
      written.push(path.relative(dest, target));
    } else {
      throw new Error(`tar: entry '${name}' has type '${type}'; only files and folders are supported`);
    }
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return written;
}
