/**
 * Archive extraction without dependencies: streaming .tar / .tar.gz (ustar, GNU long names, pax `path`), and .zip
 * (stored or deflated, CRC-checked). Only regular files and folders are extracted; entries with absolute paths or
 * `..` components, links and devices are skipped; `__MACOSX/` metadata is skipped.
 */
import { closeSync, createReadStream, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, inflateRawSync } from 'node:zlib';
import { crc32, fail, issue, ok, type Result } from '../settings/index.ts';
import type { OnDataProgress } from './types.ts';

/** Summary of an extraction. */
export interface ExtractSummary {
  readonly files: number;
  readonly bytes: number;
  readonly skipped: readonly string[];
}

/** CRC-32 (IEEE, as in zip and gzip): the shared implementation of src/settings. */
export { crc32 };

/** A safe relative path inside the destination, or null for entries we must not write. */
export function safeEntryPath(name: string): string | null {
  const norm = name.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  if (norm === '' || norm.startsWith('/') || /^[a-zA-Z]:/.test(norm)) return null;
  const parts = norm.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.some((p) => p === '..')) return null;
  if (parts[0] === '__MACOSX') return null;
  return parts.join('/');
}

const octal = (b: Buffer, off: number, len: number): number => {
  // GNU base-256 for large sizes: high bit of the first byte set.
  if (((b[off] ?? 0) & 0x80) !== 0) {
    let v = 0;
    for (let i = 1; i < len; i++) v = v * 256 + (b[off + i] ?? 0);
    return v;
  }
  const s = b.toString('latin1', off, off + len).replace(/\0.*$/, '').trim();
  return s === '' ? 0 : parseInt(s, 8);
};
const cstr = (b: Buffer, off: number, len: number): string => {
  const end = b.indexOf(0, off);
  return b.toString('utf8', off, end < 0 || end > off + len ? off + len : end);
};

/** Extracts a .tar or .tar.gz (detected by the gzip magic) into `dest`, streaming. */
export async function extractTar(file: string, dest: string, onProgress?: OnDataProgress): Promise<Result<ExtractSummary>> {
  let total = 0;
  let gz = false;
  try {
    const fd = openSync(file, 'r');
    total = fstatSync(fd).size;
    const magic = Buffer.alloc(2);
    readSync(fd, magic, 0, 2, 0);
    closeSync(fd);
    gz = magic[0] === 0x1f && magic[1] === 0x8b;
  } catch (e) {
    return fail(issue('file_unreadable', file, `cannot read: ${(e as Error).message}`));
  }
  mkdirSync(dest, { recursive: true });
  let pending = Buffer.alloc(0);
  let state: 'header' | 'data' | 'pad' | 'end' = 'header';
  let remaining = 0, pad = 0;
  let fd: number | null = null;
  let longName: string | null = null;
  let meta: 'longname' | 'pax' | null = null;
  let metaBuf: Buffer[] = [];
  let files = 0, bytes = 0, read = 0;
  const skipped: string[] = [];
  let lastReport = 0;
  let badFormat: string | null = null;

  const startEntry = (h: Buffer): void => {
    const sum = octal(h, 148, 8);
    let calc = 0;
    for (let i = 0; i < 512; i++) calc += i >= 148 && i < 156 ? 32 : (h[i] ?? 0);
    if (sum !== calc) { badFormat = 'tar header checksum mismatch (not a tar archive, or corrupt)'; state = 'end'; return; }
    const size = octal(h, 124, 12);
    const type = String.fromCharCode(h[156] ?? 0);
    let name = cstr(h, 0, 100);
    if (h.toString('latin1', 257, 262) === 'ustar') {
      const prefix = cstr(h, 345, 155);
      if (prefix !== '') name = `${prefix}/${name}`;
    }
    if (longName !== null) { name = longName; longName = null; }
    remaining = size;
    pad = (512 - (size % 512)) % 512;
    meta = null;
    fd = null;
    if (type === 'L') { meta = 'longname'; metaBuf = []; }
    else if (type === 'x') { meta = 'pax'; metaBuf = []; }
    else if (type === '0' || type === '\0' || type === '7') {
      const rel = safeEntryPath(name);
      if (rel === null) skipped.push(name);
      else {
        const out = path.join(dest, rel);
        mkdirSync(path.dirname(out), { recursive: true });
        fd = openSync(out, 'w');
        files++;
      }
    } else if (type === '5') {
      const rel = safeEntryPath(name);
      if (rel !== null) mkdirSync(path.join(dest, rel), { recursive: true });
    } else if (type !== 'g') {
      skipped.push(name);
    }
    state = 'data';
    if (remaining === 0) finishData();
  };
  const finishData = (): void => {
    if (fd !== null) { closeSync(fd); fd = null; }
    if (meta === 'longname') longName = Buffer.concat(metaBuf).toString('utf8').replace(/\0+$/, '');
    if (meta === 'pax') {
      const text = Buffer.concat(metaBuf).toString('utf8');
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text);
      if (m) longName = m[1] ?? null;
    }
    meta = null;
    state = pad > 0 ? 'pad' : 'header';
  };
  const consume = (chunk: Buffer): void => {
    let buf = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    pending = Buffer.alloc(0);
    while (buf.length > 0 && state !== 'end') {
      if (state === 'header') {
        if (buf.length < 512) { pending = Buffer.from(buf); return; }
        const h = buf.subarray(0, 512);
        buf = buf.subarray(512);
        if (h.every((v) => v === 0)) { state = 'end'; return; }
        startEntry(h);
      } else if (state === 'data') {
        const n = Math.min(remaining, buf.length);
        const part = buf.subarray(0, n);
        if (fd !== null) { writeSync(fd, part); bytes += n; }
        else if (meta !== null) metaBuf.push(Buffer.from(part));
        remaining -= n;
        buf = buf.subarray(n);
        if (remaining === 0) finishData();
      } else if (state === 'pad') {
        const n = Math.min(pad, buf.length);
        pad -= n;
        buf = buf.subarray(n);
        if (pad === 0) state = 'header';
      }
    }
  };
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      try {
        consume(chunk);
        cb();
      } catch (e) {
        cb(e as Error);
      }
    },
  });
  const input = createReadStream(file);
  input.on('data', (c) => {
    read += (c as Buffer).length;
    const now = Date.now();
    if (onProgress && (now - lastReport > 200 || read === total)) {
      lastReport = now;
      onProgress({ phase: 'extract', label: path.basename(file), done: read, total, unit: 'bytes' });
    }
  });
  try {
    if (gz) await pipeline(input, createGunzip(), sink);
    else await pipeline(input, sink);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    return fail(issue('invalid_file', file, `cannot extract: ${(e as Error).message}`));
  }
  if (fd !== null) closeSync(fd);
  if (badFormat !== null) return fail(issue('invalid_file', file, badFormat));
  const endState = state as string;
  if (endState === 'data' || endState === 'pad' || (endState === 'header' && pending.length > 0)) {
    return fail(issue('invalid_file', file, 'truncated tar archive (the last entry is incomplete)'));
  }
  return ok({ files, bytes, skipped });
}

/** Extracts a .zip into `dest` (stored and deflated entries; CRC-32 checked). */
export function extractZip(file: string, dest: string, onProgress?: OnDataProgress): Result<ExtractSummary> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    return fail(issue('file_unreadable', file, `cannot read: ${(e as Error).message}`));
  }
  try {
    const size = fstatSync(fd).size;
    const tailLen = Math.min(size, 65557);
    const tail = Buffer.alloc(tailLen);
    readSync(fd, tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
    if (eocd < 0) return fail(issue('invalid_file', file, 'not a zip archive (no end-of-central-directory record)'));
    const entries = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOff = tail.readUInt32LE(eocd + 16);
    if (cdOff === 0xffffffff || entries === 0xffff) return fail(issue('invalid_file', file, 'ZIP64 archives are not supported'));
    const cd = Buffer.alloc(cdSize);
    readSync(fd, cd, 0, cdSize, cdOff);
    mkdirSync(dest, { recursive: true });
    let p = 0, files = 0, bytes = 0;
    const skipped: string[] = [];
    for (let e = 0; e < entries; e++) {
      if (cd.readUInt32LE(p) !== 0x02014b50) return fail(issue('invalid_file', file, `corrupt central directory at entry ${e}`));
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      const crc = cd.readUInt32LE(p + 16);
      const csize = cd.readUInt32LE(p + 20);
      const usize = cd.readUInt32LE(p + 24);
      const nlen = cd.readUInt16LE(p + 28), xlen = cd.readUInt16LE(p + 30), clen = cd.readUInt16LE(p + 32);
      const local = cd.readUInt32LE(p + 42);
      const name = cd.toString((flags & 0x800) !== 0 ? 'utf8' : 'latin1', p + 46, p + 46 + nlen);
      p += 46 + nlen + xlen + clen;
      const rel = safeEntryPath(name);
      if (rel === null) { skipped.push(name); continue; }
      if (name.endsWith('/')) { mkdirSync(path.join(dest, rel), { recursive: true }); continue; }
      if ((flags & 1) !== 0) return fail(issue('invalid_file', `${file}: ${name}`, 'encrypted zip entries are not supported'));
      const lh = Buffer.alloc(30);
      readSync(fd, lh, 0, 30, local);
      if (lh.readUInt32LE(0) !== 0x04034b50) return fail(issue('invalid_file', `${file}: ${name}`, 'corrupt local header'));
      const dataOff = local + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
      const comp = Buffer.alloc(csize);
      readSync(fd, comp, 0, csize, dataOff);
      let data: Buffer;
      if (method === 0) data = comp;
      else if (method === 8) {
        try {
          data = inflateRawSync(comp);
        } catch (err) {
          return fail(issue('invalid_file', `${file}: ${name}`, `cannot inflate: ${(err as Error).message}`));
        }
      } else return fail(issue('invalid_file', `${file}: ${name}`, `unsupported compression method ${method} (expected 0 stored or 8 deflate)`));
      if (data.length !== usize || crc32(data) !== crc) {
        return fail(issue('invalid_file', `${file}: ${name}`, 'CRC-32 or size mismatch: the archive is corrupt', { expected_crc: crc, actual_crc: crc32(data) }));
      }
      const out = path.join(dest, rel);
      mkdirSync(path.dirname(out), { recursive: true });
      const ofd = openSync(out, 'w');
      writeSync(ofd, data);
      closeSync(ofd);
      files++;
      bytes += data.length;
      onProgress?.({ phase: 'extract', label: path.basename(file), done: e + 1, total: entries, unit: 'files' });
    }
    return ok({ files, bytes, skipped });
  } finally {
    closeSync(fd);
  }
}
