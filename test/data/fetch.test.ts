import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractTar, extractZip, fetchDataset, loadDataset, loadRawDataset, type Checksum } from '../../src/data/index.ts';
import { DEFAULT_SETTINGS } from '../../src/settings/index.ts';
import { entriesOf, makeTar, makeZip } from './archives.ts';
import { writeCifar, writeHar, writeIdx, writeSpeechCommands } from './fixtures.ts';
import { startServer, type TestServer } from './server.ts';

const sha256 = (b: Buffer): Checksum => ({ algorithm: 'sha256', hex: createHash('sha256').update(b).digest('hex') });
const md5 = (b: Buffer): Checksum => ({ algorithm: 'md5', hex: createHash('md5').update(b).digest('hex') });

describe('data/fetch (loopback HTTP server)', () => {
  let tmp: string;
  let srv: TestServer;
  const archives: Record<string, Buffer> = {};

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'inas-fetch-'));
    srv = await startServer();
    // Build the distributions in their real layouts and pack them like the official archives.
    const src = path.join(tmp, 'src');
    writeCifar(path.join(src, 'cifar'), 4);
    archives['cifar-10-binary.tar.gz'] = makeTar(entriesOf(path.join(src, 'cifar')), true);
    writeHar(path.join(src, 'har'), 24, 12, 0);
    const harZip = makeZip([...entriesOf(path.join(src, 'har')), { name: '__MACOSX/UCI HAR Dataset/._README.txt', data: Buffer.from('x') }]);
    // UCI's current download wraps the dataset zip in another zip.
    archives['human+activity+recognition+using+smartphones.zip'] = makeZip([{ name: 'UCI HAR Dataset.zip', data: harZip }, { name: 'UCI HAR Dataset.names', data: Buffer.from('names') }]);
    writeSpeechCommands(path.join(src, 'sc'), 5);
    archives['speech_commands_v0.02.tar.gz'] = makeTar(entriesOf(path.join(src, 'sc'), './'), true);
    writeIdx(path.join(src, 'mnist'), 30, 10, true);
    for (const f of readdirSync(path.join(src, 'mnist'))) archives[f] = readFileSync(path.join(src, 'mnist', f));
    for (const [k, v] of Object.entries(archives)) srv.files.set(k, v);
  });
  after(async () => {
    await srv.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const sums = (...files: string[]): Record<string, Checksum> => Object.fromEntries(files.map((f) => [f, sha256(archives[f]!)]));

  it('fetches CIFAR-10 (.tar.gz): checksum verified, extracted, loadable; archive removed; manifest written', async () => {
    const dir = path.join(tmp, 'd1');
    const r = await fetchDataset('cifar10', dir, { mirror: srv.url, checksums: sums('cifar-10-binary.tar.gz') });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.skipped).to.equal(false);
    expect(r.value.files[0]).to.include({ file: 'cifar-10-binary.tar.gz', verified: 'sha256', size_bytes: archives['cifar-10-binary.tar.gz']!.length });
    const d = loadRawDataset('cifar10', dir);
    if (!d.ok) throw new Error(JSON.stringify(d.issues));
    expect([d.value.train.count, d.value.test.count]).to.deep.equal([20, 4]);
    expect(existsSync(path.join(dir, '.downloads', 'cifar-10-binary.tar.gz.part'))).to.equal(false);
    expect(JSON.parse(readFileSync(path.join(dir, 'cifar10', '.inas-fetch.json'), 'utf8')).files[0].sha256).to.equal(sha256(archives['cifar-10-binary.tar.gz']!).hex);
    const again = await fetchDataset('cifar10', dir, { mirror: srv.url });
    expect(again.ok && again.value.skipped).to.equal(true);
  });

  it('rejects a checksum mismatch (the official MD5 against our re-packed archive) and leaves nothing behind', async () => {
    const dir = path.join(tmp, 'd2');
    const r = await fetchDataset('cifar10', dir, { mirror: srv.url });
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.issues[0]?.code).to.equal('checksum_mismatch');
    expect(r.issues[0]?.message).to.contain(`md5 of cifar-10-binary.tar.gz (${archives['cifar-10-binary.tar.gz']!.length} bytes) is ${md5(archives['cifar-10-binary.tar.gz']!).hex}, expected c32a1d4ab5d03f1284b67883e8d87530`);
    expect(existsSync(path.join(dir, 'cifar10'))).to.equal(false);
    expect(readdirSync(path.join(dir, '.downloads'))).to.deep.equal([]);
  });

  it('resumes automatically with an HTTP Range request after the connection is cut mid-download', async () => {
    const dir = path.join(tmp, 'd3');
    const f = 'speech_commands_v0.02.tar.gz';
    srv.cutOnce.set(f, 0.4);
    const before = srv.log.length;
    const r = await fetchDataset('speech-commands', dir, { mirror: srv.url, checksums: sums(f) });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const reqs = srv.log.slice(before).filter((l) => l.path === f);
    expect(reqs.map((l) => l.status)).to.deep.equal([200, 206]);
    const start = Number(/bytes=(\d+)-/.exec(reqs[1]?.range ?? '')?.[1]);
    expect(start).to.be.greaterThan(0).and.at.most(Math.floor(archives[f]!.length * 0.4));
    const ds = await loadDataset({ ...DEFAULT_SETTINGS.dataset, name: 'kws', dir });
    if (!ds.ok) throw new Error(JSON.stringify(ds.issues));
    expect(ds.value.classes).to.equal(12);
    expect(ds.value.test.count).to.equal(10 + 2);
  });

  it('keeps a partial download when retries are exhausted and resumes it on the next run', async () => {
    const dir = path.join(tmp, 'd4');
    const f = 'cifar-10-binary.tar.gz';
    srv.cutOnce.set(f, 0.5);
    const first = await fetchDataset('cifar10', dir, { mirror: srv.url, checksums: sums(f), retries: 0 });
    expect(first.ok).to.equal(false);
    if (first.ok) return;
    expect(first.issues[0]?.code).to.equal('download_failed');
    expect(first.issues[0]?.message).to.contain('run the same command again to resume');
    const kept = (first.issues[0]?.data?.['kept_bytes'] as number);
    expect(kept).to.be.greaterThan(0);
    const before = srv.log.length;
    const second = await fetchDataset('cifar10', dir, { mirror: srv.url, checksums: sums(f), retries: 0 });
    if (!second.ok) throw new Error(JSON.stringify(second.issues));
    expect(srv.log.slice(before).map((l) => l.range)).to.deep.equal([`bytes=${kept}-`]);
  });

  it('fetches UCI HAR from a zip nested in a zip, skipping __MACOSX, and loads it', async () => {
    const dir = path.join(tmp, 'd5');
    const r = await fetchDataset('har', dir, { mirror: srv.url });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.files[0]?.verified).to.equal(null); // UCI publishes no checksum: the sha256 is recorded
    expect(existsSync(path.join(dir, 'har', '__MACOSX'))).to.equal(false);
    const d = loadRawDataset('har', dir);
    if (!d.ok) throw new Error(JSON.stringify(d.issues));
    expect([d.value.train.count, d.value.test.count]).to.deep.equal([24, 12]);
  });

  it('fetches MNIST IDX .gz files (MD5 checked) and loads them instead of the embedded set', async () => {
    const dir = path.join(tmp, 'd6');
    const files = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
    const r = await fetchDataset('mnist', dir, { mirror: srv.url, checksums: Object.fromEntries(files.map((f) => [f, md5(archives[f]!)])) });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.files.map((f) => f.verified)).to.deep.equal(['md5', 'md5', 'md5', 'md5']);
    const d = await loadDataset({ ...DEFAULT_SETTINGS.dataset, name: 'mnist', dir, validation_fraction: 0.2 });
    if (!d.ok) throw new Error(JSON.stringify(d.issues));
    expect(d.value.source).to.equal(path.join(dir, 'mnist'));
    expect([d.value.train.count, d.value.validation.count, d.value.test.count]).to.deep.equal([24, 6, 10]);
  });

  it('reports an HTTP error with the URL and status', async () => {
    const r = await fetchDataset('mnist', path.join(tmp, 'd7'), { mirror: `${srv.url}/nowhere` });
    expect(r.ok).to.equal(false);
    if (!r.ok) {
      expect(r.issues[0]?.code).to.equal('download_failed');
      expect(r.issues[0]?.path).to.equal(`${srv.url}/nowhere/train-images-idx3-ubyte.gz`);
      expect(r.issues[0]?.message).to.contain('HTTP 404');
    }
  });

  it('extracts tar (long GNU names, plain and gzip) and refuses paths escaping the destination', async () => {
    const long = `${'deep/'.repeat(30)}file.txt`;
    const entries = [{ name: long, data: Buffer.from('long name') }, { name: '../evil.txt', data: Buffer.from('no') }, { name: 'ok.txt', data: Buffer.alloc(1000, 7) }];
    for (const gz of [false, true]) {
      const a = path.join(tmp, `t${gz}.tar`);
      writeFileSync(a, makeTar(entries, gz));
      const out = path.join(tmp, `x${gz}`, 'inner');
      const r = await extractTar(a, out);
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      expect(r.value.files).to.equal(2);
      expect(r.value.skipped).to.deep.equal(['../evil.txt']);
      expect(readFileSync(path.join(out, long), 'utf8')).to.equal('long name');
      expect(existsSync(path.join(tmp, `x${gz}`, 'evil.txt'))).to.equal(false);
    }
    const trunc = path.join(tmp, 'trunc.tar');
    writeFileSync(trunc, makeTar(entries, false).subarray(0, 1700));
    const t = await extractTar(trunc, path.join(tmp, 'xt'));
    expect(t.ok).to.equal(false);
    if (!t.ok) expect(t.issues[0]?.message).to.contain('truncated tar archive');
  });

  it('detects a corrupt zip entry by its CRC', () => {
    const data = createHash('sha512').update('x').digest(); // 64 incompressible bytes: stored, not deflated
    const bad = makeZip([{ name: 'a.bin', data }]);
    bad[30 + 'a.bin'.length + 5] = (bad[30 + 'a.bin'.length + 5] ?? 0) ^ 0xff;
    const f = path.join(tmp, 'bad.zip');
    writeFileSync(f, bad);
    mkdirSync(path.join(tmp, 'xz'), { recursive: true });
    const r = extractZip(f, path.join(tmp, 'xz'));
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.issues[0]?.message).to.contain('CRC-32 or size mismatch');
    expect(existsSync(path.join(tmp, 'xz', 'a.bin'))).to.equal(false);
  });
});
