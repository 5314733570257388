/**
 * Quantization benchmark (`npm run bench -- quant`):
 * 1. Throughput of the integer-exact reference inference on a KWS-size model (fc 250→128→128→128→128→12, the largest
 *    KWS child) and an MNIST conv2d child: runs per minute (target for the faults campaign: ≥ 10 000/min on KWS).
 * 2. Float → Q15 accuracy drop on MNIST (embedded) and Fashion-MNIST: trainAndPackage on a conv2d child, accuracy
 *    of the float model and of the Q15 reference on the TEST split (16-bit and int8 weights).
 *    INAS_BENCH_QUANT_EPOCHS (default 4), INAS_BENCH_QUANT_SUBSET (training samples, default 10000),
 *    INAS_BENCH_QUANT_ARCH (default 3,16,3,16,3,24), INAS_BENCH_QUANT_BITS (default 16,8),
 *    INAS_BENCH_QUANT_SKIP_TRAIN=1 skips part 2.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildNetwork } from '../../src/network/index.ts';
import { trainAndPackage } from '../../src/nas/index.ts';
import { quantizeInput, quantizeModel, referenceInference } from '../../src/quant/index.ts';
import { createRng, DEFAULT_SETTINGS, loadSettings, type SearchSpaceSettings } from '../../src/settings/index.ts';
import { summarize } from '../bench_stats.ts';

function throughput(label: string, space: SearchSpaceSettings, arch: number[]): void {
  const net = buildNetwork(arch, space, { strictChoices: false });
  if (!net.ok) throw new Error(JSON.stringify(net.issues));
  const rng = createRng(5);
  const weights = net.value.layers.filter((l) => l.type === 'CONV' || l.type === 'FC').map((l) => {
    const fanIn = l.kernel.ch * l.kernel.h * l.kernel.w;
    return Float32Array.from({ length: fanIn * l.kernel.n }, () => rng.normal() * Math.sqrt(2 / fanIn));
  });
  const n = space.input_shape.reduce((a, b) => a * b, 1);
  const cal = Float32Array.from({ length: 32 * n }, () => rng.normal());
  const q = quantizeModel(net.value, weights, cal);
  const inputs = Array.from({ length: 32 }, (_, i) => quantizeInput(cal.subarray(i * n, (i + 1) * n), q.input_frac));
  const per = 200;
  const samples: number[] = [];
  for (let rep = 0; rep < 7; rep++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < per; i++) referenceInference(q, inputs[i % inputs.length]!);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6 / per);
  }
  const s = summarize(samples.slice(1));
  const macs = net.value.layers.reduce((a, l) => a + (l.type === 'CONV' || l.type === 'FC' ? l.ofm.h * l.ofm.w * l.kernel.n * l.kernel.ch * l.kernel.h * l.kernel.w : 0), 0);
  console.log(`reference ${label}: ${macs} MACs, ${s.min.toFixed(3)} ms min / ${s.median.toFixed(3)} ms median per inference ` +
    `→ ${(60000 / s.median).toFixed(0)} runs/min (median), ${(macs / s.median / 1000).toFixed(1)} MMAC/s`);
}

export async function run(): Promise<void> {
  throughput('KWS fc 128x4 (250→12)', { ...DEFAULT_SETTINGS.search_space, family: 'fc', layers: 4, input_shape: [250, 1, 1], classes: 12 }, [128, 128, 128, 128]);
  throughput('MNIST conv2d 3,16,3,16,3,24', { ...DEFAULT_SETTINGS.search_space, family: 'conv2d', layers: 3, input_shape: [28, 28, 1], classes: 10 }, [3, 16, 3, 16, 3, 24]);
  if (process.env['INAS_BENCH_QUANT_SKIP_TRAIN']) return;
  const epochs = Number(process.env['INAS_BENCH_QUANT_EPOCHS'] ?? 4);
  const subset = Number(process.env['INAS_BENCH_QUANT_SUBSET'] ?? 10000);
  const dir = mkdtempSync(path.join(tmpdir(), 'inas-bench-quant-'));
  try {
    for (const ds of ['mnist', 'fashion-mnist']) {
      const loaded = loadSettings(`settings/${ds}.json`, { dataset: { train_subset: subset }, training: { epochs, patience: 0 } });
      if (!loaded.ok) { console.log(`${ds}: ${loaded.issues[0]?.message}`); continue; }
      for (const bits of (process.env['INAS_BENCH_QUANT_BITS'] ?? '16,8').split(',').map(Number) as (16 | 8)[]) {
        const arch = (process.env['INAS_BENCH_QUANT_ARCH'] ?? '3,16,3,16,3,24').split(',').map(Number);
        const r = await trainAndPackage(loaded.value, arch, { weightBits: bits, outDir: path.join(dir, `${ds}-${bits}`) });
        if (!r.ok) { console.log(`${ds}: ${r.issues[0]?.message}`); continue; }
        const v = r.value;
        console.log(`accuracy ${ds} conv2d ${arch.join(',')} (${epochs} epochs, ${subset} train samples, ${v.backend}), ${bits}-bit weights: ` +
          `float ${(100 * v.accuracy.float).toFixed(2)}%  Q15 ${(100 * v.accuracy.q15).toFixed(2)}%  drop ${(100 * (v.accuracy.float - v.accuracy.q15)).toFixed(2)} points on ${v.test_samples} test samples`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
