/**
 * Fault-campaign throughput: injected runs per minute on a KWS-size model (FC 250 → 96 → 128 → 48 → 48 → 12, seeded
 * random weights quantized to Q15), one fault pattern per run evaluated on 10 inputs.
 *   - TS engine: fast path vs the full reference (same runs, ratio measured in the same process), one thread and two
 *     worker threads. Target: ≥ 10 000 runs/min.
 *   - Firmware engine: the host-built C firmware (dumped and built once), two processes: weights, activations (SRAM
 *     copies, one transient flip per inference), step-1 partial sums (likewise), and state with power failures
 *     (random, torn writes).
 * Run with `nice -n 10 npm run bench -- faults`; `INAS_BENCH_FAULTS_ENGINES=firmware` (or `ts`) runs one engine only,
 * `INAS_BENCH_FAULTS_CASES=activations,psums` only the cases whose name contains one of the words, and
 * `INAS_BENCH_FAULTS_FW_RUNS=N` sets the firmware runs per repeat (default 2000; fewer on a loaded machine).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildNetwork, layerWeightCount } from '../../src/network/index.ts';
import { createRng, DEFAULT_SETTINGS } from '../../src/settings/index.ts';
import { createPlatform } from '../../src/platform/index.ts';
import { quantizeInput, quantizeModel, referenceInference, type Solution } from '../../src/quant/index.ts';
import { dumpModel, planMemory } from '../../src/dumper/index.ts';
import { buildFirmware } from '../../src/firmware/index.ts';
import { parseFaultSpec, runFirmwareCampaign, runTsCampaign, type FirmwareTarget } from '../../src/faults/index.ts';
import { summarize as stats } from '../bench_stats.ts';

export async function run(): Promise<void> {
  const units = [96, 128, 48, 48];
  const net = buildNetwork(units, { family: 'fc', layers: 4, kernel_sizes: [], filters: [48, 64, 96, 128], input_shape: [250, 1, 1], classes: 12 });
  if (!net.ok) throw new Error('net');
  const rng = createRng(3);
  const weights = net.value.layers.filter((l) => l.type === 'FC').map((l) => {
    const w = new Float32Array(layerWeightCount(l));
    for (let i = 0; i < w.length; i++) w[i] = rng.normal() * Math.sqrt(2 / (l.kernel.ch * l.kernel.h));
    return w;
  });
  const K = 10;
  const x = new Float32Array(K * 250);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const q = quantizeModel(net.value, weights, x);
  const inputs = Array.from({ length: K }, (_, i) => quantizeInput(x.subarray(i * 250, (i + 1) * 250), q.input_frac));
  const labels = Int32Array.from(inputs, (v) => referenceInference(q, v).class);
  const cases = [['bitflip weights ber 1e-4', { ber: '1e-4' }], ['bitflip weights count 1', { count: '1' }], ['activations count 1', { target: 'activations', count: '1' }]] as const;
  const line = (name: string, how: string, perMin: number[], note: string): void => {
    const s = stats(perMin);
    console.log(`${name.padEnd(26)} ${how.padEnd(22)}: runs/min min ${s.min.toFixed(0).padStart(7)} median ${s.median.toFixed(0).padStart(7)} ${note}`);
  };

  const engines = (process.env['INAS_BENCH_FAULTS_ENGINES'] ?? 'ts,firmware').split(',').map((e) => e.trim());
  const bad = engines.filter((e) => e !== 'ts' && e !== 'firmware');
  if (bad.length) throw new Error(`INAS_BENCH_FAULTS_ENGINES: expected ts, firmware or ts,firmware (got "${bad.join(',')}")`);
  const only = (process.env['INAS_BENCH_FAULTS_CASES'] ?? '').split(',').map((w) => w.trim()).filter(Boolean);
  const picked = (name: string): boolean => !only.length || only.some((w) => name.includes(w));
  const fwRuns = Number(process.env['INAS_BENCH_FAULTS_FW_RUNS'] ?? '2000');
  if (!(Number.isInteger(fwRuns) && fwRuns > 0)) throw new Error(`INAS_BENCH_FAULTS_FW_RUNS: expected a positive integer (got "${process.env['INAS_BENCH_FAULTS_FW_RUNS']}")`);
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  if (engines.includes('ts')) console.log('-- TS engine --');
  for (const [name, input] of engines.includes('ts') ? cases.filter(([n]) => picked(n)) : []) {
    const spec = parseFaultSpec(input);
    if (!spec.ok) throw new Error('spec');
    const ratios: number[] = [];
    const fast1: number[] = [], full1: number[] = [], fast2: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const a = await runTsCampaign(q, inputs, labels, { spec: spec.value, seed: rep, runs: 2000, workers: 0 });
      const b = await runTsCampaign(q, inputs, labels, { spec: spec.value, seed: rep, runs: 500, workers: 0, fast: false });
      const c = await runTsCampaign(q, inputs, labels, { spec: spec.value, seed: rep, runs: 12000, workers: 2 });
      if (!a.ok || !b.ok || !c.ok) throw new Error('campaign');
      fast1.push(a.value.runs_per_min); full1.push(b.value.runs_per_min); fast2.push(c.value.runs_per_min);
      ratios.push(a.value.runs_per_min / b.value.runs_per_min);
    }
    line(name, 'fast, 1 thread', fast1, '(2000 runs)');
    line(name, 'full reference, 1 th.', full1, '(500 runs; session-1 engine)');
    line(name, 'fast, + 2 workers', fast2, '(12000 runs; workers started when the rest takes > 20 s)');
    const r = stats(ratios);
    console.log(`${name.padEnd(26)} ${'fast / full'.padEnd(22)}: min ${r.min.toFixed(1)}x median ${r.median.toFixed(1)}x`);
  }

  if (!engines.includes('firmware')) return;
  console.log('-- firmware engine (host-built C firmware, 2 processes) --');
  const fc = (inC: number, tn: number): string => `1_1_4_${tn}_reuse_I_S1`.replace('reuse_I', inC === 1 ? 'reuse_O' : 'reuse_I');
  const designs = q.net.layers.map((l, i) => (i === 0 ? fc(1, 1) : fc(l.ifm.ch, l.ifm.ch / 2)));
  const settings = DEFAULT_SETTINGS;
  const solution: Solution = {
    schema_version: 1, kind: 'inas-solution', inas_version: '0.1.0', created_utc: '2026-01-01T00:00:00.000Z', settings_digest: '0'.repeat(64), settings,
    family: 'fc', arch: units, input_shape: [250, 1, 1], classes: 12, power: 'int', compat: 'corrected', feasible: true,
    layers: q.net.layers.map((l, i) => ({ name: l.name, type: l.type, design: designs[i]!, latency_s: null, energy_per_cycle_j: null, power_cycles: null, vm_bytes: null })),
    predicted: { latency_s: null, energy_j: null, power_cycles: null }, accuracy: { float: null, q15: null },
    quant: { input_frac: q.input_frac, layers: q.layers.map(({ weights: _w, ...l }) => l) }, weights: null, samples: null,
  };
  const plat = createPlatform(settings.platform);
  if (!plat.ok) throw new Error('platform');
  const costs = { table: plat.value.costs, divide_energy_j: plat.value.profile.divide.energy_j, divide_latency_s: plat.value.profile.divide.cycles / plat.value.costs.clockHz };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'inas-bench-faults-'));
  try {
    const d = dumpModel({ solution, qmodel: q, inputs, costs }, dir, { target: 'host' });
    if (!d.ok) throw new Error(d.issues.map((i) => i.message).join('; '));
    const plan = planMemory(q, solution, 'host');
    if (!plan.ok) throw new Error('plan');
    const t0 = performance.now();
    const b = await buildFirmware(dir, { target: 'host' });
    if (!b.ok) throw new Error(b.issues.map((i) => i.message).join('; '));
    console.log(`build: ${((performance.now() - t0) / 1000).toFixed(1)} s (${b.value.cached ? 'cached' : 'compiled'}), NVM ${d.value.nvm.size_bytes} bytes`);
    const base: FirmwareTarget = {
      binary: b.value.binary, nvm_size_bytes: d.value.nvm.size_bytes, golden: Int32Array.from(d.value.golden.classes_expected), labels,
      layers: plan.value.layers.map((l) => ({
        name: l.name, w_addr: l.w_addr, ofm_addr: l.ofm_addr, psum_steps: l.steps, psum_addr: plan.value.psum_addr[0], psum_addr1: plan.value.psum_addr[1],
        weight_bits: l.weight_bits, in_c: l.in_c, out_c: l.out_c, taps: l.k_h * l.k_w,
      })),
    };
    const fwCases = [
      ['bitflip weights ber 1e-4', { ber: '1e-4' }, {}],
      ['bitflip weights count 1', { count: '1' }, {}],
      ['activations count 1', { target: 'activations', count: '1' }, {}],
      ['psums count 1 (step 1)', { target: 'psums', count: '1' }, {}],
      ['state count 1, failures', { target: 'state', count: '1' }, { failures: 'random:2000', torn: true }],
    ] as const;
    for (const [name, input, extra] of fwCases.filter(([n]) => picked(n))) {
      const spec = parseFaultSpec(input);
      if (!spec.ok) throw new Error('spec');
      const perMin: number[] = [];
      for (let rep = 0; rep < 3; rep++) {
        const r = await runFirmwareCampaign(q, { ...base, ...extra }, { spec: spec.value, seed: rep, runs: fwRuns });
        if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
        perMin.push(r.value.runs_per_min);
      }
      line(name, `firmware${'failures' in extra ? ' +failures' : ''}`, perMin, `(${fwRuns} runs x ${K} inferences, incl. the clean reference run; load ${os.loadavg()[0]!.toFixed(1)})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
