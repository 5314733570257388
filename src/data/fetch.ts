/**
 * `fetchDataset`: downloads a distribution's official files into `<data>/.downloads/`, resuming partial downloads
 * with HTTP Range requests (also automatically after a dropped connection), verifies checksums, extracts archives
 * into `<data>/<name>/` (through a temporary folder, so a failed extraction leaves nothing half-written), and
 * records what was fetched in `<data>/<name>/.inas-fetch.json`.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, openSync, writeSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { fail, issue, ok, type InasIssue, type Result } from '../settings/index.ts';
import { extractTar, extractZip } from './archive.ts';
import { locateDataset } from './load.ts';
import { hasIdxSet } from './idx.ts';
import { datasetFolder, datasetOfFetchName, fetchCommand, type FetchName } from './paths.ts';
import { resolveSources, type Checksum, type Resource } from './sources.ts';
import type { OnDataProgress } from './types.ts';

/** Options of `fetchDataset`. */
export interface FetchOptions {
  /** Base URL serving the files by name (`<mirror>/<file>`); default $INAS_DATA_MIRROR, else the official URLs. */
  readonly mirror?: string;
  /** Checksums replacing the official ones, by file name (for mirrors that re-pack archives). */
  readonly checksums?: Readonly<Record<string, Checksum>>;
  /** Download again even if the dataset is present. */
  readonly force?: boolean;
  /** Automatic resumptions after a dropped connection (default 3). */
  readonly retries?: number;
  /** Idle timeout of a connection (default 60 s). */
  readonly timeout_s?: number;
  readonly onProgress?: OnDataProgress;
}

/** One fetched file. */
export interface FetchedFile {
  readonly file: string;
  readonly url: string;
  readonly size_bytes: number;
  readonly sha256: string;
  /** Which published checksum was verified (null: none is published; the sha256 is recorded instead). */
  readonly verified: 'md5' | 'sha256' | null;
}

/** The result of a fetch. */
export interface FetchResult {
  readonly name: FetchName;
  /** The dataset folder. */
  readonly dir: string;
  /** True when the dataset was already present and nothing was downloaded. */
  readonly skipped: boolean;
  readonly files: readonly FetchedFile[];
}

const MANIFEST = '.inas-fetch.json';

/** Hashes a file (md5 and sha256 in one pass). */
export async function hashFile(file: string): Promise<{ md5: string; sha256: string; size_bytes: number }> {
  const md5 = createHash('md5'), sha = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    md5.update(chunk as Buffer);
    sha.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { md5: md5.digest('hex'), sha256: sha.digest('hex'), size_bytes: size };
}

type Attempt = { kind: 'done' } | { kind: 'retry'; reason: string } | { kind: 'fatal'; issue: InasIssue };

function requestOnce(url: string, part: string, res0: Resource, opts: FetchOptions, redirects: number): Promise<Attempt> {
  return new Promise((resolve) => {
    const offset = existsSync(part) ? statSync(part).size : 0;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      resolve({ kind: 'fatal', issue: issue('download_failed', url, 'invalid URL') });
      return;
    }
    const mod = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : null;
    if (mod === null) {
      resolve({ kind: 'fatal', issue: issue('download_failed', url, `unsupported protocol ${parsed.protocol} (expected http or https)`) });
      return;
    }
    const headers: Record<string, string> = { 'user-agent': 'inas-data-fetch' };
    if (offset > 0) headers['range'] = `bytes=${offset}-`;
    const req = mod.get(parsed, { headers }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= 5) {
          resolve({ kind: 'fatal', issue: issue('download_failed', url, 'too many redirects') });
          return;
        }
        const next = new URL(res.headers.location, parsed).toString();
        void requestOnce(next, part, res0, opts, redirects + 1).then(resolve);
        return;
      }
      if (status === 416 && offset > 0) {
        // The part file already holds the whole resource; the checksum decides.
        res.resume();
        resolve({ kind: 'done' });
        return;
      }
      if (status !== 200 && status !== 206) {
        res.resume();
        resolve({ kind: 'fatal', issue: issue('download_failed', url, `HTTP ${status} ${res.statusMessage ?? ''}`.trim(), { status }) });
        return;
      }
      let start = 0;
      if (status === 206) {
        const m = /bytes (\d+)-(\d+)\/(\d+|\*)/.exec(String(res.headers['content-range'] ?? ''));
        start = m ? Number(m[1]) : -1;
        if (start !== offset) {
          res.resume();
          // The server answered a different range: start over.
          try { unlinkSync(part); } catch { /* absent */ }
          resolve({ kind: 'retry', reason: `server resumed at byte ${start}, expected ${offset}` });
          return;
        }
      }
      const length = Number(res.headers['content-length'] ?? NaN);
      const total = Number.isFinite(length) ? start + length : 0;
      let received = start;
      let last = 0;
      let fd: number;
      try {
        fd = openSync(part, status === 206 ? 'a' : 'w');
      } catch (e) {
        res.resume();
        resolve({ kind: 'fatal', issue: issue('file_unreadable', part, `cannot write: ${(e as Error).message}`) });
        return;
      }
      let settled = false;
      const settle = (a: Attempt): void => {
        if (settled) return;
        settled = true;
        closeSync(fd);
        resolve(a);
      };
      // Written synchronously as it arrives, so every received byte survives a dropped connection.
      res.on('data', (c: Buffer) => {
        if (settled) return;
        writeSync(fd, c);
        received += c.length;
        const now = Date.now();
        if (opts.onProgress && now - last >= 200) {
          last = now;
          opts.onProgress({ phase: 'download', label: res0.file, done: received, total, unit: 'bytes' });
        }
      });
      res.on('end', () => {
        if (total > 0 && received < total) settle({ kind: 'retry', reason: `connection closed after ${received} of ${total} bytes` });
        else {
          opts.onProgress?.({ phase: 'download', label: res0.file, done: received, total: total || received, unit: 'bytes' });
          settle({ kind: 'done' });
        }
      });
      res.on('error', (e: Error) => settle({ kind: 'retry', reason: `connection lost after ${received} bytes (${e.message})` }));
      res.on('close', () => {
        if (!res.complete) settle({ kind: 'retry', reason: `connection lost after ${received} bytes` });
      });
    });
    req.setTimeout((opts.timeout_s ?? 60) * 1000, () => req.destroy(new Error(`no data for ${opts.timeout_s ?? 60} s`)));
    req.on('error', (e) => resolve({ kind: 'retry', reason: e.message }));
  });
}

/** Downloads one resource into `part`, resuming and retrying; does not verify. */
export async function downloadResource(res: Resource, part: string, opts: FetchOptions): Promise<Result<void>> {
  const retries = opts.retries ?? 3;
  let lastReason = '';
  for (let attempt = 0; attempt <= retries; attempt++) {
    const a = await requestOnce(res.url, part, res, opts, 0);
    if (a.kind === 'done') return ok(undefined);
    if (a.kind === 'fatal') return fail(a.issue);
    lastReason = a.reason;
    if (attempt < retries) await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
  }
  const have = existsSync(part) ? statSync(part).size : 0;
  return fail(issue('download_failed', res.url, `${lastReason}; ${have} bytes kept in ${part}, run the same command again to resume`, { kept_bytes: have }));
}

function moveInto(src: string, dest: string): void {
  mkdirSync(dest, { recursive: true });
  for (const e of readdirSync(src)) {
    const to = path.join(dest, e);
    rmSync(to, { recursive: true, force: true });
    renameSync(path.join(src, e), to);
  }
}

/** Downloads, verifies and unpacks a distribution into `<dataDir>/<name>/`. */
export async function fetchDataset(name: FetchName, dataDir: string, opts: FetchOptions = {}): Promise<Result<FetchResult>> {
  const folder = datasetFolder(dataDir, name);
  const dsName = datasetOfFetchName(name);
  const found = (): string | null => (name === 'mnist' ? (hasIdxSet(folder) ? folder : null) : locateDataset(dsName, dataDir).found);
  const present = (): boolean => found() !== null;
  const already = found();
  if (!opts.force && already !== null) return ok({ name, dir: already, skipped: true, files: [] });
  const mirror = opts.mirror ?? (process.env['INAS_DATA_MIRROR'] || undefined);
  const resources = resolveSources(name, mirror);
  const downloads = path.join(dataDir, '.downloads');
  try {
    mkdirSync(downloads, { recursive: true });
  } catch (e) {
    return fail(issue('file_unreadable', downloads, `cannot create the downloads folder: ${(e as Error).message}`));
  }
  const fetched: FetchedFile[] = [];
  for (const res of resources) {
    const part = path.join(downloads, `${res.file}.part`);
    const expected = opts.checksums?.[res.file] ?? res.checksum;
    const dl = await downloadResource(res, part, opts);
    if (!dl.ok) return dl;
    const h = await hashFile(part);
    if (expected !== null) {
      const actual = expected.algorithm === 'md5' ? h.md5 : h.sha256;
      if (actual !== expected.hex.toLowerCase()) {
        unlinkSync(part);
        return fail(issue('checksum_mismatch', res.url,
          `${expected.algorithm} of ${res.file} (${h.size_bytes} bytes) is ${actual}, expected ${expected.hex}; the download was deleted — run \`${fetchCommand(name, dataDir)}\` again, or check the mirror`,
          { algorithm: expected.algorithm, expected: expected.hex, actual, size_bytes: h.size_bytes }));
      }
    }
    fetched.push({ file: res.file, url: res.url, size_bytes: h.size_bytes, sha256: h.sha256, verified: expected?.algorithm ?? null });
  }
  // Unpack through a temporary folder, then move the entries into place.
  const tmp = path.join(dataDir, `.extract-${name}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    for (const res of resources) {
      const part = path.join(downloads, `${res.file}.part`);
      if (res.unpack === 'keep') {
        renameSync(part, path.join(tmp, res.file));
        continue;
      }
      const r = res.unpack === 'tar' ? await extractTar(part, tmp, opts.onProgress) : extractZip(part, tmp, opts.onProgress);
      if (!r.ok) return r;
      // Some distributions (UCI's current HAR zip) wrap the real archive in another zip.
      for (const inner of readdirSync(tmp).filter((f) => f.toLowerCase().endsWith('.zip'))) {
        const z = extractZip(path.join(tmp, inner), tmp, opts.onProgress);
        if (!z.ok) return z;
        unlinkSync(path.join(tmp, inner));
      }
    }
    moveInto(tmp, folder);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const res of resources) rmSync(path.join(downloads, `${res.file}.part`), { force: true });
  if (!present()) {
    return fail(issue('invalid_file', folder, `the downloaded files did not contain the expected ${name} layout; see \`inas data list\` for what is expected`));
  }
  const result: FetchResult = { name, dir: folder, skipped: false, files: fetched };
  writeFileSync(path.join(folder, MANIFEST), JSON.stringify({ ...result, fetched_at: new Date().toISOString() }, null, 2) + '\n');
  return ok(result);
}
