/**
 * Host firmware simulator throughput: inferences per second of the host build (gcc -O2) for a KWS-size FC model
 * (KWS's FC family: 250 → 128 → 128 → 96 → 64 → 12) and a small CONV model (16x16x3, two 3x3 convs, GAP, FC), with
 * designs from the explorer (default platform, 5 mF), without failures, under random failures (mean gap 2000
 * instrumentation points) and energy-driven failures (capacitor model, greedy policy).
 *
 * What is measured is the simulator, not process start-up: every process runs enough inferences to last about
 * INAS_BENCH_FW_SECONDS (default 1 s) and at least INAS_BENCH_FW_MIN_INFERENCES (default 1000), sized from a
 * calibration run; the rate is inferences / wall time of the whole process. Start-up (spawn, provisioning the NVM
 * image, boot: `--inferences 0`) is timed separately. Prints min/median of INAS_BENCH_FW_REPEATS (default 5)
 * processes, reboots per inference, the failure/no-failure ratios and the load average.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dumpModel, firmwareCosts } from '../../src/dumper/index.ts';
import { buildFirmware, runHost, type HostFailures, type HostRunReport } from '../../src/firmware/index.ts';
import { exploreNetwork } from '../../src/explorer/index.ts';
import { buildNetwork } from '../../src/network/index.ts';
import { createPlatform } from '../../src/platform/index.ts';
import { DEFAULT_SETTINGS, type Family } from '../../src/settings/index.ts';
import { makeFixture } from '../../test/firmware/fixtures.ts';
import { summarize } from '../bench_stats.ts';

const MODELS: { name: string; family: Family; arch: number[]; input: [number, number, number]; classes: number }[] = [
  { name: 'kws-fc 250-128-128-96-64-12', family: 'fc', arch: [128, 128, 96, 64], input: [250, 1, 1], classes: 12 },
  { name: 'conv 16x16x3 [3,8,3,8]', family: 'conv2d', arch: [3, 8, 3, 8], input: [16, 16, 3], classes: 10 },
];

const SCHEDULES: [string, HostFailures][] = [
  ['none', { kind: 'none' }],
  ['random', { kind: 'random', seed: 9, mean_points: 2000 }],
  ['energy', { kind: 'energy' }],
];

const envNumber = (name: string, dflt: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : dflt;
};

const loadavg = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');

/** One process: `inferences` inferences, timed from spawn to exit. */
async function timedRun(binary: string, failures: HostFailures, inferences: number): Promise<{ seconds: number; report: HostRunReport }> {
  const t0 = process.hrtime.bigint();
  const r = await runHost(binary, { failures, inferences, events: false });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  const s = r.value.summary;
  if (r.value.exit_code !== 0 || s.mismatches !== 0 || s.results !== inferences || s.no_progress) {
    throw new Error(`run failed: exit ${r.value.exit_code}, ${s.results}/${inferences} results, ${s.mismatches} mismatches, no_progress ${s.no_progress}`);
  }
  return { seconds, report: r.value };
}

export async function run(): Promise<void> {
  const targetS = envNumber('INAS_BENCH_FW_SECONDS', 1);
  const minInferences = Math.round(envNumber('INAS_BENCH_FW_MIN_INFERENCES', 1000));
  const repeats = Math.round(envNumber('INAS_BENCH_FW_REPEATS', 5));
  console.log(`host simulator, gcc -O2; >= ${minInferences} inferences and ~${targetS} s per process, ${repeats} processes per case; load average ${loadavg()} (${os.cpus().length} CPUs)`);
  const root = mkdtempSync(path.join(os.tmpdir(), 'inas-bench-fw-'));
  try {
    for (const m of MODELS) {
      const net = buildNetwork(m.arch, { family: m.family, layers: m.family === 'fc' ? m.arch.length : m.arch.length / 2, kernel_sizes: [3], filters: [8, 48, 64, 96, 128], input_shape: [...m.input], classes: m.classes }, { strictChoices: false });
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
      const d = dumpModel({ ...f, solution, costs: costs.value }, dir, { target: 'host' });
      if (!d.ok) throw new Error(d.issues.map((i) => i.message).join('; '));
      const b = await buildFirmware(dir, { target: 'host' });
      if (!b.ok) throw new Error(b.issues.map((i) => i.message).join('; '));
      const bin = b.value.binary;
      console.log(`${m.name}: designs ${ex.layers.map((l) => l.design).join(' ')}, ${d.value.layers.reduce((s, l) => s + l.tiles, 0)} tiles/inference, NVM ${d.value.nvm.size_bytes} B`);

      // Start-up: spawn + provisioning + boot, no inference.
      const startup: number[] = [];
      for (let rep = 0; rep < repeats; rep++) startup.push((await timedRun(bin, { kind: 'none' }, 0)).seconds * 1e3);
      const su = summarize(startup);
      console.log(`  start-up (spawn, provision, boot; --inferences 0): median ${su.median.toFixed(2)} ms, min ${su.min.toFixed(2)} ms`);

      const rates = new Map<string, number>();
      for (const [label, failures] of SCHEDULES) {
        // Calibration: a short run sizes the measured processes.
        const calN = 200;
        const cal = await timedRun(bin, failures, calN);
        const perInference = Math.max(1e-7, (cal.seconds - su.median / 1e3) / calN);
        const n = Math.max(minInferences, Math.ceil(targetS / perInference));
        const samples: number[] = [];
        const reboots: number[] = [];
        const seconds: number[] = [];
        for (let rep = 0; rep < repeats; rep++) {
          const r = await timedRun(bin, failures, n);
          samples.push(n / r.seconds);
          seconds.push(r.seconds);
          reboots.push(r.report.summary.reboots / n);
        }
        const st = summarize(samples);
        const rb = summarize(reboots);
        rates.set(label, st.median);
        console.log(`  failures ${label.padEnd(6)} median ${st.median.toFixed(0).padStart(7)} inferences/s, min ${st.min.toFixed(0).padStart(7)} ` +
          `(${n} inferences per process, median ${summarize(seconds).median.toFixed(2)} s), ${rb.median.toFixed(3)} reboots/inference; load ${os.loadavg()[0]!.toFixed(2)}`);
      }
      const base = rates.get('none') ?? NaN;
      console.log(`  ratio (medians) random/none ${(rates.get('random')! / base).toFixed(2)}, energy/none ${(rates.get('energy')! / base).toFixed(2)}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  console.log(`load average at the end ${loadavg()}`);
}
