/**
 * Explorer benchmark: milliseconds per network for the 36 published iNAS networks and for the worst CIFAR child
 * (all 1×1 kernels, 24 filters: 104 565 candidates), min/median of repeated warm runs, plus CPU time per network
 * (less sensitive to other processes on a shared machine), the first (cold) call, and the speed-up over a naive
 * explorer that builds one cost object per candidate (`costLayerInt` on every candidate), measured in the same run.
 * Targets (issue 2): ≤ 10 ms worst case, ≤ 2 ms typical, on one core. The Python original: 9.6 s / 1–3 s.
 */
import { cpus, loadavg } from 'node:os';
import { buildNetwork, type Layer, type Network } from '../../src/network/index.ts';
import { createPlatform, type Platform } from '../../src/platform/index.ts';
import { DEFAULT_SETTINGS, type PlatformSettings, type SearchSpaceSettings } from '../../src/settings/index.ts';
import { exploreNetwork } from '../../src/explorer/index.ts';
import {
  batchedIterations, costLayerInt, layerDims, legalBatchSizes, legalTileSets, REUSE_ORDERS, tileCounts, type Design,
} from '../../src/costmodel/index.ts';
import { APPENDIX_A } from '../../test/explorer/appendix_a.ts';
import { summarize, timeIt } from '../bench_stats.ts';

const SPACES: Record<'cifar' | 'har' | 'kws', SearchSpaceSettings> = {
  cifar: DEFAULT_SETTINGS.search_space,
  har: { family: 'conv1d', layers: 3, kernel_sizes: [1, 3, 5, 7], filters: [4, 8, 16, 24], input_shape: [128, 1, 9], classes: 6 },
  kws: { family: 'fc', layers: 4, kernel_sizes: [], filters: [48, 64, 96, 128], input_shape: [250, 1, 1], classes: 12 },
};

function must<T>(r: { ok: true; value: T } | { ok: false; issues: readonly { message: string }[] }): T {
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  return r.value;
}
const plat = (over: Partial<PlatformSettings>): Platform => must(createPlatform({ ...DEFAULT_SETTINGS.platform, ...over }));

/** The naive explorer: one Design object and one cost object per candidate (what the original does in Python). */
function naiveLayer(layer: Layer, p: Platform): { design: string | null; latency_s: number } {
  const d = layerDims(layer);
  const sets = legalTileSets(d);
  let best: { design: string | null; latency_s: number; vm: number } = { design: null, latency_s: Infinity, vm: Infinity };
  for (const tr of sets.tr) for (const tc of sets.tc) for (const tm of sets.tm) for (const tn of sets.tn) for (const o of sets.orders) {
    const counts = tileCounts(d.kind, d.H, d.W, d.R, d.C, d.M, d.N, tr, tc, tm, tn);
    for (const s of legalBatchSizes(batchedIterations(d.kind, o, ...counts))) {
      const design: Design = { tr, tc, tm, tn, order: REUSE_ORDERS[o]!, s };
      const c = must(costLayerInt(layer, design, p));
      if (!c.feasible || c.latency_s === null) continue;
      if (c.latency_s < best.latency_s || (c.latency_s === best.latency_s && c.vm_bytes < best.vm)) best = { design: c.design, latency_s: c.latency_s, vm: c.vm_bytes };
    }
  }
  return best;
}
function naiveNetwork(net: Network, p: Platform): (string | null)[] {
  return net.layers.map((l) => naiveLayer(l, p).design);
}

function cpuMsPerCall(fn: () => unknown, repeats: number): number {
  const c0 = process.cpuUsage();
  for (let i = 0; i < repeats; i++) fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / repeats;
}

const f2 = (x: number): string => x.toFixed(2).padStart(7);

export async function run(): Promise<void> {
  const repeats = Number(process.env['INAS_BENCH_REPEATS'] ?? 15);
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (wall times stretch with load; CPU times much less)`);
  const cases = APPENDIX_A.map((g) => ({
    label: `${g.dataset.padEnd(5)} ${g.power.toUpperCase()} ${g.capacitance_f === null ? '     ' : `${(g.capacitance_f * 1e3).toString().padStart(2)} mF`} ${g.ts}`,
    net: must(buildNetwork(g.arch, SPACES[g.dataset])),
    p: plat({ power: g.power, ...(g.capacitance_f !== null ? { capacitance_f: g.capacitance_f } : {}),
      ...(g.resistance_ohm !== null ? { harvester_resistance_ohm: g.resistance_ohm } : {}), ...(g.margin !== null ? { energy_margin: g.margin } : {}) }),
  }));
  const worstNet = must(buildNetwork([1, 24, 1, 24, 1, 24, 1, 24, 1, 24], SPACES.cifar));
  const worstP = plat({ capacitance_f: 0.005, harvester_resistance_ohm: 24 });

  // Cold: the very first exploration in this process (JIT not warmed up), as a one-shot CLI run sees it.
  const t0 = process.hrtime.bigint();
  exploreNetwork(worstNet, worstP);
  const coldMs = Number(process.hrtime.bigint() - t0) / 1e6;

  console.log(`36 published networks: wall ms per network over ${repeats} warm repeats (min / median), CPU ms per network`);
  const medians: number[] = [], cpuMs: number[] = [], mins: number[] = [];
  for (const c of cases) {
    const cand = exploreNetwork(c.net, c.p).candidates;
    const s = summarize(await timeIt(() => exploreNetwork(c.net, c.p), repeats, 3));
    const cpu = cpuMsPerCall(() => exploreNetwork(c.net, c.p), repeats);
    medians.push(s.median); cpuMs.push(cpu); mins.push(s.min);
    console.log(`  ${c.label}  ${String(cand).padStart(6)} candidates  min ${f2(s.min)}  median ${f2(s.median)}  cpu ${f2(cpu)}`);
  }
  const m = summarize(medians), cm = summarize(cpuMs);
  console.log(`  typical (median of the 36 medians): ${m.median.toFixed(2)} ms wall, ${cm.median.toFixed(2)} ms CPU; slowest: ${m.max.toFixed(2)} ms wall, ${cm.max.toFixed(2)} ms CPU`);

  const cand = exploreNetwork(worstNet, worstP).candidates;
  const ws = summarize(await timeIt(() => exploreNetwork(worstNet, worstP), repeats, 3));
  const wcpu = cpuMsPerCall(() => exploreNetwork(worstNet, worstP), repeats);
  console.log(`worst CIFAR child [1,24]×5 (5 mF, 24 Ω): ${cand} candidates  min ${ws.min.toFixed(2)} ms  median ${ws.median.toFixed(2)} ms  cpu ${wcpu.toFixed(2)} ms` +
    `  (${((1e6 * wcpu) / cand).toFixed(0)} ns CPU/candidate); cold first call ${coldMs.toFixed(1)} ms`);

  // Same-run comparison with the naive per-candidate-object explorer (2 repeats: it is slow).
  const naive = summarize(await timeIt(() => naiveNetwork(worstNet, worstP), 2, 1));
  const same = JSON.stringify(naiveNetwork(worstNet, worstP)) === JSON.stringify(exploreNetwork(worstNet, worstP).layers.map((l) => l.design));
  console.log(`naive explorer (a cost object per candidate) on the worst child: median ${naive.median.toFixed(1)} ms → speed-up ×${(naive.median / ws.median).toFixed(0)}` +
    ` (same designs: ${same ? 'yes' : 'NO'}); Python original 9.6 s → ×${(9600 / ws.median).toFixed(0)}`);
  const verdict = (x: number, limit: number): string => `${x.toFixed(2)} ms ${x <= limit ? '≤' : '>'} ${limit} ms: ${x <= limit ? 'met' : 'MISSED'}`;
  console.log(`targets on one core (CPU time): worst ${verdict(wcpu, 10)}; typical ${verdict(cm.median, 2)}`);
  console.log(`targets in wall time (min of repeats): worst ${verdict(ws.min, 10)}; typical ${verdict(summarize(mins).median, 2)}`);
}
