// The decoded-data cache on CIFAR-10 files in the real record format: written on the first load and used on the
// next, rebuilt when a source file changes or the cache is damaged, and a clear warning when it cannot be written.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDataset, loadRawDataset, type RawDataset } from '../../src/data/index.ts';
import { DEFAULT_SETTINGS, type InasIssue } from '../../src/settings/index.ts';
import { cifarPixel, writeCifar } from './fixtures.ts';

const CACHE = '.inas-cache-cifar10.bin';

function load(dir: string, opts: Parameters<typeof loadRawDataset>[2] = {}): RawDataset {
  const r = loadRawDataset('cifar10', dir, opts);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

/** Rewrites pixel bytes of the first record of a batch file keeping its size and mtime (a change the key cannot see). */
function overwriteKeepingStat(file: string, value: number): void {
  const st = statSync(file);
  const buf = readFileSync(file);
  buf.fill(value, 1, 3073);
  writeFileSync(file, buf);
  utimesSync(file, st.atimeMs / 1000, st.mtimeMs / 1000);
}

describe('data/cache (CIFAR-10 decoded cache)', function () {
  this.timeout(30000);
  let tmp: string;
  before(() => { tmp = mkdtempSync(path.join(os.tmpdir(), 'inas-cache-')); });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes the cache on the first load and reads it on the next, with identical splits', () => {
    const root = path.join(tmp, 'a');
    const bin = writeCifar(path.join(root, 'cifar10'), 4);
    const first = load(root);
    const cache = path.join(bin, CACHE);
    const size = statSync(cache).size;
    // float32 x + int32 y for 24 records, plus the header
    expect(size).to.be.greaterThan(24 * (3072 + 1) * 4);
    expect(readFileSync(cache).subarray(0, 8).toString('latin1')).to.equal('INASDS03');
    // A pixel change the key cannot see (same size and mtime) proves the second load comes from the cache.
    overwriteKeepingStat(path.join(bin, 'data_batch_1.bin'), 200);
    const mtime = statSync(cache).mtimeMs;
    const second = load(root);
    expect(statSync(cache).mtimeMs).to.equal(mtime);
    expect(second.train.count).to.equal(20);
    expect(Buffer.from(second.train.x.buffer, second.train.x.byteOffset, second.train.x.byteLength)
      .equals(Buffer.from(first.train.x.buffer, first.train.x.byteOffset, first.train.x.byteLength))).to.equal(true);
    expect(Array.from(second.test.y)).to.deep.equal(Array.from(first.test.y));
    expect(second.train.x[0]).to.be.closeTo(cifarPixel(0, 0, 0, 0) / 255, 1e-7);
    // noCache decodes the files themselves.
    expect(load(root, { noCache: true }).train.x[0]).to.be.closeTo(200 / 255, 1e-7);
  });

  it('rebuilds the cache when a source file changes (size or mtime)', () => {
    const root = path.join(tmp, 'b');
    const bin = writeCifar(path.join(root, 'cifar10'), 3);
    load(root);
    overwriteKeepingStat(path.join(bin, 'test_batch.bin'), 17);
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(bin, 'test_batch.bin'), later, later);
    const d = load(root);
    expect(d.test.x[0]).to.be.closeTo(17 / 255, 1e-7);
    // and the rebuilt cache serves the new values
    expect(load(root).test.x[1]).to.be.closeTo(17 / 255, 1e-7);
  });

  for (const [what, damage] of [
    ['truncated', (f: string) => truncateSync(f, statSync(f).size - 100)],
    ['with a damaged header', (f: string) => { const b = readFileSync(f); b.write('{"garbage', 12, 'latin1'); writeFileSync(f, b); }],
    ['of an older format', (f: string) => { const b = readFileSync(f); b.write('INASDS02', 0, 'latin1'); writeFileSync(f, b); }],
    ['with bytes appended', (f: string) => writeFileSync(f, Buffer.concat([readFileSync(f), Buffer.alloc(8)]))],
  ] as const) {
    it(`ignores and rebuilds a cache ${what}`, () => {
      const root = path.join(tmp, `c-${what.replace(/\W+/g, '-')}`);
      const bin = writeCifar(path.join(root, 'cifar10'), 2);
      const good = load(root);
      const cache = path.join(bin, CACHE);
      const goodBytes = readFileSync(cache);
      damage(cache);
      const d = load(root);
      expect(Array.from(d.train.x.subarray(0, 3072 * 2))).to.deep.equal(Array.from(good.train.x.subarray(0, 3072 * 2)));
      expect(Array.from(d.train.y)).to.deep.equal(Array.from(good.train.y));
      expect(readFileSync(cache).equals(goodBytes)).to.equal(true);
    });
  }

  it('loads anyway with one clear warning when the cache cannot be written, and leaves no temp file', async () => {
    const root = path.join(tmp, 'd');
    const bin = writeCifar(path.join(root, 'cifar10'), 2);
    // A non-empty directory where the cache file should go: the rename fails even for root.
    mkdirSync(path.join(bin, CACHE, 'x'), { recursive: true });
    const seen: InasIssue[] = [];
    const r = await loadDataset({ ...DEFAULT_SETTINGS.dataset, name: 'cifar10', dir: root, validation_fraction: 0.2 }, { onWarning: (w) => seen.push(w) });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.train.count + r.value.validation.count).to.equal(10);
    expect(seen).to.have.length(1);
    expect(r.value.warnings).to.deep.equal(seen);
    expect(seen[0]!.code).to.equal('file_unwritable');
    expect(seen[0]!.path).to.equal(path.join(bin, CACHE));
    expect(seen[0]!.message).to.match(/cannot write the decoded-data cache \(E[A-Z]+\).*decoded again next time.*INAS_DATA/);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(bin).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
  });
});
