/**
 * Host firmware simulator throughput: inferences per second of the host build (gcc -O2) for a KWS-size FC model
 * (250 → 96 → 128 → 48 → 48 → 12) and a small CONV model (16x16x3, two 3x3 convs, GAP, FC), with designs from the
 * explorer (default platform, 5 mF), without failures and under random failures (mean gap 2000 instrumentation
 * points) and energy-driven failures. Prints min/median of repeated runs and the failure/no-failure ratio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dumpModel, firmwareCosts } from '../../src/dumper/index.ts';
import { buildFirmware, runHost, type HostFailures } from '../../src/firmware/index.ts';
import { exploreNetwork } from '../../src/explorer/index.ts';
import { buildNetwork } from '../../src/network/index.ts';
import { createPlatform } from '../../src/platform/index.ts';
import { DEFAULT_SETTINGS, type Family } from '../../src/settings/index.ts';
import { makeFixture } from '../../test/firmware/fixtures.ts';
import { summarize } from '../bench_stats.ts';

const MODELS: { name: string; family: Family; arch: number[]; input: [number, number, number]; classes: number; inferences: number }[] = [
  { name: 'kws-fc 250-96-128-48-48-12', family: 'fc', arch: [96, 128, 48, 48], input: [250, 1, 1], classes: 12, inferences: 40 },
  { name: 'conv 16x16x3 [3,8,3,8]', family: 'conv2d', arch: [3, 8, 3, 8], input: [16, 16, 3], classes: 10, inferences: 20 },
];

export async function run(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'inas-bench-fw-'));
  try {
    for (const m of MODELS) {
      const net = buildNetwork(m.arch, { family: m.family, layers: m.family === 'fc' ? m.arch.length : m.arch.length / 2, kernel_sizes: [3], filters: [8, 48, 96, 128], input_shape: [...m.input], classes: m.classes }, { strictChoices: false });
      if (!net.ok) throw new Error(net.issues.map((i) => i.message).join('; '));
      const platform = createPlatform(DEFAULT_SETTINGS.platform);
      if (!platform.ok) throw new Error('platform');
      const ex = exploreNetwork(net.value, platform.value, { latencyRequirementS: null });
      if (!ex.feasible) {
        console.log(`${m.name}: no feasible design on the default platform (${ex.layers.map((l) => l.reason ?? 'ok').join('; ')})`);
        continue;
      }
      const f = makeFixture(net.value, ex.layers.map((l) => l.design), { seed: 1, count: 4 });
      const solution = { ...f.solution, layers: ex.layers.map((l) => ({ name: l.name, type: l.type as 'FC', design: l.design, latency_s: l.latency_s, energy_per_cycle_j: l.energy_per_cycle_j, power_cycles: l.power_cycles, vm_bytes: l.vm_bytes })) };
      const costs = firmwareCosts({ path: '', solution, qmodel: f.qmodel, samples: null });
      if (!costs.ok) throw new Error('costs');
      const dir = path.join(root, m.family);
      const d = dumpModel({ solution, qmodel: f.qmodel, inputs: f.inputs, costs: costs.value }, dir, { target: 'host' });
      if (!d.ok) throw new Error(d.issues.map((i) => i.message).join('; '));
      const b = await buildFirmware(dir, { target: 'host' });
      if (!b.ok) throw new Error(b.issues.map((i) => i.message).join('; '));
      console.log(`${m.name}: designs ${ex.layers.map((l) => l.design).join(' ')}, ${d.value.layers.reduce((s, l) => s + l.tiles, 0)} tiles/inference`);
      const schedules: [string, HostFailures][] = [['none', { kind: 'none' }], ['random', { kind: 'random', seed: 9, mean_points: 2000 }], ['energy', { kind: 'energy' }]];
      const rates = new Map<string, number>();
      for (const [label, failures] of schedules) {
        const samples: number[] = [];
        let reboots = 0;
        for (let rep = 0; rep < 3; rep++) {
          const t0 = process.hrtime.bigint();
          const r = await runHost(b.value.binary, { failures, inferences: m.inferences, events: false });
          const s = Number(process.hrtime.bigint() - t0) / 1e9;
          if (!r.ok || r.value.summary.mismatches !== 0 || r.value.summary.results !== m.inferences) throw new Error(`${m.name} ${label}: run failed`);
          reboots = r.value.summary.reboots;
          samples.push(m.inferences / s);
        }
        const st = summarize(samples);
        rates.set(label, st.median);
        console.log(`  failures ${label.padEnd(7)} ${st.median.toFixed(1).padStart(8)} inferences/s (min ${st.min.toFixed(1)}, ${st.n} runs), ${reboots} reboots per ${m.inferences} inferences`);
      }
      const base = rates.get('none') ?? NaN;
      console.log(`  ratio random/none ${(rates.get('random')! / base).toFixed(2)}, energy/none ${(rates.get('energy')! / base).toFixed(2)}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
