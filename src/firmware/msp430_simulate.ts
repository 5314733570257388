/**
 * The `mspdebug` engine of `inas simulate`: the dump built for `msp430-sim` (real 16-bit MSP430 code from clang)
 * runs in mspdebug's simulator; power failures are injected by stepping N instructions and issuing `reset`
 * (memory survives, so FRAM = NVM is intact and SRAM is re-initialised by crt0). Every result the firmware prints
 * is compared with the golden vectors. Cycle counts per layer come from a failure-free reference run (Timer_A
 * ticks in the `INAS LS`/`INAS LE` events), next to the cost model's per-layer prediction from the manifest (end to end,
 * recharge included) and, like for like, its on-time cycles of the same design (`predicted_cycles`, `ratio`).
 *
 * Failure schedules, counted in executed MSP430 instructions (the simulator's unit):
 *   none | at:K (one reset after K instructions) | every:N (a reset every N instructions) |
 *   random:SEED[:MEAN] (gaps uniform in [1, 2·MEAN], MEAN default a quarter of one inference).
 * Resets keep coming until the work is done: the schedule covers twice the failure-free run, and the run is
 * repeated once with a schedule twice as long when the program was still working at the last reset; if even that
 * does not finish the work under failures, `no_progress` is set (the gaps are shorter than a boot plus a batch).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { costLayerInt, parseDesign } from '../costmodel/index.ts';
import type { Layer } from '../network/index.ts';
import { createPlatform, type Platform } from '../platform/index.ts';
import { DEFAULT_SETTINGS, createRng, fail, issue, ok, type Result } from '../settings/index.ts';
import { FR5994_LIMITS } from './msp430_build.ts';
import { buildMsp430Dump } from './msp430_firmware.ts';
import { runMspdebugSim, type MspdebugRunReport } from './msp430_sim.ts';
import type { HostFailures, HostSummary } from './run.ts';
import { readGolden, readManifest, type LayerComparison, type SimulateOptions, type SimulationReport } from './simulate.ts';

/** Most resets one simulator process is given. */
export const MSPDEBUG_MAX_RESETS = 2000;

/** What the firmware printed on the simulator's console, parsed. */
export interface SimConsole {
  readonly boots: readonly { readonly inference: number; readonly layer: number; readonly tile: number }[];
  /** `boot` = index into boots of the power-on period that printed the line. */
  readonly results: readonly { readonly inference: number; readonly class: number; readonly logits: readonly number[]; readonly ticks: number; readonly boot: number }[];
  readonly layers: readonly { readonly layer: number; readonly tile: number; readonly start_ticks: number; readonly end_ticks: number | null; readonly boot: number }[];
  readonly errors: readonly string[];
  /**
   * The first `INAS SIM` counters line: printed by the boot that finished the work (boots after that, from resets
   * that hit the halted program, print it again with their own boot counted; they are not part of the run).
   */
  readonly sim: Readonly<Record<string, number>> | null;
}

/** Parses the event lines of runtime/events_text.c and the `INAS SIM` line of main_msp430_sim.c. */
export function parseSimConsole(text: string): SimConsole {
  const boots: { inference: number; layer: number; tile: number }[] = [];
  const results: { inference: number; class: number; logits: number[]; ticks: number; boot: number }[] = [];
  const layers: { layer: number; tile: number; start_ticks: number; end_ticks: number | null; boot: number }[] = [];
  const errors: string[] = [];
  let sim: Record<string, number> | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    let m: RegExpExecArray | null;
    if ((m = /^INAS BOOT .* inf=(\d+) layer=(\d+) tile=(\d+)$/.exec(line)) !== null) {
      boots.push({ inference: Number(m[1]), layer: Number(m[2]), tile: Number(m[3]) });
    } else if ((m = /^INAS LS (\d+) tile=(\d+) ticks=(\d+)$/.exec(line)) !== null) {
      layers.push({ layer: Number(m[1]), tile: Number(m[2]), start_ticks: Number(m[3]), end_ticks: null, boot: boots.length - 1 });
    } else if ((m = /^INAS LE (\d+) ticks=(\d+)$/.exec(line)) !== null) {
      const open = layers[layers.length - 1];
      if (open !== undefined && open.layer === Number(m[1]) && open.end_ticks === null && open.boot === boots.length - 1) open.end_ticks = Number(m[2]);
    } else if ((m = /^INAS RES inf=(\d+) class=(\d+) logits=(-?\d+(?:,-?\d+)*) ticks=(\d+)$/.exec(line)) !== null) {
      results.push({ inference: Number(m[1]), class: Number(m[2]), logits: (m[3] ?? '').split(',').map(Number), ticks: Number(m[4]), boot: boots.length - 1 });
    } else if (line.startsWith('INAS ERR ')) {
      errors.push(line);
    } else if (line.startsWith('INAS SIM ') && sim === null) {
      sim = {};
      for (const kv of line.slice(9).trim().split(/\s+/)) {
        const [k, v] = kv.split('=');
        if (k !== undefined && v !== undefined && /^\d+$/.test(v)) sim[k] = Number(v);
      }
    }
  }
  return { boots, results, layers, errors, sim };
}

/**
 * Instruction counts between resets for a schedule, covering `span` instructions of work (at most
 * MSPDEBUG_MAX_RESETS resets). Fails for schedules the simulator cannot express.
 */
export function resetSchedule(failures: HostFailures, span: number, defaultMean: number): Result<number[]> {
  switch (failures.kind) {
    case 'none': return ok([]);
    case 'at': return ok([failures.write]);
    case 'every': {
      const n = Math.min(MSPDEBUG_MAX_RESETS, Math.ceil(span / failures.writes) + 1);
      return ok(Array.from({ length: n }, () => failures.writes));
    }
    case 'random': {
      const rng = createRng(failures.seed);
      const mean = Math.max(1, Math.round(failures.mean_points ?? defaultMean));
      const out: number[] = [];
      let sum = 0;
      while (sum < span && out.length < MSPDEBUG_MAX_RESETS) {
        const gap = 1 + rng.int(2 * mean);
        out.push(gap);
        sum += gap;
      }
      return ok(out);
    }
    default:
      return fail(issue('invalid_argument', '--failures',
        `the mspdebug engine injects resets by instruction count: use none, at:K, every:N or random:SEED[:MEAN] (K, N, MEAN in MSP430 instructions), not ${failures.kind}`));
  }
}

function failuresText(f: HostFailures): string {
  switch (f.kind) {
    case 'every': return `every:${f.writes}`;
    case 'random': return `random:${f.seed}${f.mean_points !== undefined ? `:${f.mean_points}` : ''}`;
    case 'at': return `at:${f.write}`;
    default: return f.kind;
  }
}

/**
 * The platform the cycle comparison uses: the `msp430fr5994-fram` cost profile (the simulator keeps NVM in internal
 * FRAM), `corrected` constants (tecs21's latency-constant bug charges output fetch/backup ~0 s) at 16 MHz. The
 * capacitor does not matter: on-time cycles depend only on the design and the per-operation costs.
 */
export function mspdebugCostPlatform(): Platform {
  const p = createPlatform({ ...DEFAULT_SETTINGS.platform, profile: 'msp430fr5994-fram', compat: 'corrected', clock_hz: FR5994_LIMITS.clock_hz });
  if (!p.ok) throw new Error(p.issues.map((i) => i.message).join('; '));
  return p.value;
}

/**
 * The cost model's on-time of each layer in CPU cycles (active time only: n0 power cycles at the minimum per-cycle
 * latency + ngt0 at the maximum, minus the reboot time each power cycle is charged; no recharge) — what the
 * simulator's Timer_A ticks between a layer's LS and LE events measure. null for a layer the cost model rejects.
 */
export function predictedOnTimeCycles(layers: readonly Layer[], designs: readonly string[], platform: Platform = mspdebugCostPlatform()): (number | null)[] {
  return layers.map((layer, i) => {
    const d = parseDesign(designs[i] ?? '');
    if (!d.ok) return null;
    const c = costLayerInt(layer, d.value, platform);
    if (!c.ok) return null;
    const onTime = c.value.cycles_n0 * c.value.latency_per_cycle_min_s + c.value.cycles_ngt0 * c.value.latency_per_cycle_max_s
      - c.value.power_cycles * c.value.latency_breakdown_s.reboot;
    return onTime * platform.clock_hz;
  });
}

/**
 * The layers of a dump as the cost model sees them, from the layer defines of its model.h (`INAS_L<i>_TYPE`,
 * shapes, kernel; CONV/FC/GAP run stride 1, POOL's stride is its window) and the names in the manifest.
 */
export function readDumpLayers(dumpDir: string, names: readonly string[]): Result<Layer[]> {
  const file = path.join(dumpDir, 'model.h');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return fail(issue('file_not_found', file, 'not a dump folder: model.h is missing (run inas dump first)'));
  }
  const defs = new Map<string, string>();
  for (const m of text.matchAll(/^#define INAS_L(\d+)_(\w+) (\S+)/gm)) defs.set(`${m[1]}:${m[2]}`, m[3] ?? '');
  const types = { INAS_LAYER_CONV: 'CONV', INAS_LAYER_FC: 'FC', INAS_LAYER_POOL: 'POOL', INAS_LAYER_GAP: 'GAVGPOOL' } as const;
  const layers: Layer[] = [];
  for (let index = 0; index < names.length; index++) {
    const num = (k: string): number | null => {
      const v = /^(\d+)u?$/.exec(defs.get(`${index}:${k}`) ?? '');
      return v === null ? null : Number(v[1]);
    };
    const type = types[(defs.get(`${index}:TYPE`) ?? '') as keyof typeof types];
    const [inH, inW, inC, outH, outW, outC, kH, kW, relu] = ['IN_H', 'IN_W', 'IN_C', 'OUT_H', 'OUT_W', 'OUT_C', 'K_H', 'K_W', 'RELU'].map(num);
    if (type === undefined || inH == null || inW == null || inC == null || outH == null || outW == null || outC == null || kH == null || kW == null || relu == null) {
      return fail(issue('invalid_file', file, `no complete INAS_L${index}_* layer defines (a dump from an older inas? re-run inas dump)`));
    }
    layers.push({
      index, name: names[index] ?? `L${index}`, type, relu: relu === 1,
      stride: type === 'POOL' ? kH : 1,
      kernel: { n: outC, ch: type === 'POOL' ? 1 : inC, h: kH, w: kW },
      ifm: { n: 1, ch: inC, h: inH, w: inW },
      ofm: { n: 1, ch: outC, h: outH, w: outW },
    });
  }
  return ok(layers);
}

/** Per-layer figures of the failure-free reference run. */
export interface MspdebugLayerCycles {
  /** Mean MCLK cycles of the layer per inference (Timer_A ticks between its LS and LE events). */
  readonly simulated: number | null;
  /** The same at the board's 16 MHz clock (s). */
  readonly simulated_s: number | null;
  /**
   * The cost model's latency of the layer from the manifest (s; under the dump's power mode): end to end, recharge
   * time included, so not comparable with `simulated_s` (the report's `predicted_cycles` is).
   */
  readonly predicted_s: number | null;
}

/** Like-for-like cycle comparison of one layer (active cycles, no recharge). */
export interface MspdebugLayerComparison {
  /** The cost model's on-time of the layer in CPU cycles (predictedOnTimeCycles; null if it rejects the layer). */
  readonly predicted_cycles: number | null;
  /** Measured MCLK cycles per inference (= cycles.simulated). */
  readonly simulated_cycles: number | null;
  /** simulated_cycles / predicted_cycles (> 1: the firmware takes longer than the model predicts). */
  readonly ratio: number | null;
}

/** The mspdebug engine's report: the common SimulationReport plus cycle counts. */
export interface MspdebugSimulationReport extends SimulationReport {
  readonly layers: readonly (LayerComparison & { readonly cycles: MspdebugLayerCycles } & MspdebugLayerComparison)[];
  readonly mspdebug: {
    /** Failure-free reference run. */
    readonly reference: {
      readonly instructions: number;
      readonly mclk_cycles: number;
      /** Mean cycles per inference (between consecutive results; the first one also provisions the NVM). */
      readonly cycles_per_inference: number | null;
      readonly elapsed_ms: number;
    };
    readonly resets_injected: number;
    /** Every result line of the first run, in order (re-emissions after a failure included). */
    readonly results: readonly { readonly inference: number; readonly class: number; readonly logits: readonly number[] }[];
    readonly clock_hz: number;
    readonly elf: string;
  };
}

interface RunStats {
  readonly report: MspdebugRunReport;
  readonly console: SimConsole;
  /** Resets that hit before the program finished. */
  readonly reboots: number;
  /** True when the last reset hit while the program was still working. */
  readonly unfinished: boolean;
}

async function runWith(elf: string, resets: readonly number[], timeout_s: number): Promise<Result<RunStats>> {
  const r = await runMspdebugSim({ elf, resetsAfterInstructions: resets, timeout_s });
  if (!r.ok) return r;
  const c = parseSimConsole(r.value.console);
  const beforeHalt = r.value.halted_before_reset.filter((h) => !h).length;
  const unfinished = resets.length > 0 && r.value.halted_before_reset[resets.length - 1] === false;
  if (!r.value.halted) {
    return fail(issue('device_error', elf, 'the firmware did not stop at inas_sim_halt in mspdebug sim', { console_tail: r.value.console.slice(-400) }));
  }
  return ok({ report: r.value, console: c, reboots: beforeHalt, unfinished });
}

/** Active MCLK cycles of a run: segments a reset cut before the halt, plus the finishing boot's ticks until it stopped. */
function activeCycles(s: RunStats): number {
  const segs = s.report.segments;
  let total = 0;
  let prev = 0;
  segs.forEach((seg, i) => {
    if (i < s.report.halted_before_reset.length && s.report.halted_before_reset[i] === false) total += seg.mclk_cycles - prev;
    prev = seg.mclk_cycles;
  });
  return total + (s.console.sim?.ticks ?? 0);
}

/** Runs a dump's msp430-sim build in mspdebug under a failure schedule; see the module comment. */
export async function simulateMspdebug(dumpDir: string, opts: SimulateOptions): Promise<Result<MspdebugSimulationReport>> {
  const man = readManifest(dumpDir);
  if (!man.ok) return man;
  const golden = readGolden(dumpDir);
  if (!golden.ok) return golden;
  if (opts.torn) return fail(issue('invalid_argument', '--torn', 'the mspdebug engine always allows torn writes (NVM is written byte by byte); drop --torn'));
  if (opts.trace !== undefined) return fail(issue('invalid_argument', '--trace', 'the mspdebug engine has no energy model; power traces need --engine host'));
  const check = resetSchedule(opts.failures, 1, 1);
  if (!check.ok) return check;
  const built = await buildMsp430Dump(dumpDir, {
    target: 'msp430-sim', ...(opts.toolchain !== undefined ? { toolchain: opts.toolchain } : {}),
    ...(opts.inferences !== undefined ? { inferences: opts.inferences } : {}),
  });
  if (!built.ok) return built;
  const elf = built.value.binary;
  const inferences = built.value.inferences;
  const g = golden.value;

  const ref = await runWith(elf, [], 600);
  if (!ref.ok) return ref;
  const refRes = ref.value.console.results;
  const T = ref.value.report.instructions;
  const refSeconds = Math.max(1, ref.value.report.elapsed_ms / 1000);
  const perInference = refRes.length >= 2
    ? ((refRes[refRes.length - 1]?.ticks ?? 0) - (refRes[0]?.ticks ?? 0)) / (refRes.length - 1)
    : refRes.length === 1 ? (refRes[0]?.ticks ?? null) : null;

  const runs = opts.runs ?? 1;
  const stats: RunStats[] = [];
  let injected = 0;
  let noProgress = false;
  for (let run = 0; run < runs; run++) {
    if (opts.failures.kind === 'none' && run === 0) {
      stats.push(ref.value);
      continue;
    }
    const f: HostFailures = opts.failures.kind === 'random' ? { ...opts.failures, seed: opts.failures.seed + run } : opts.failures;
    let span = 2 * T;
    let result: RunStats | null = null;
    for (let attempt = 0; attempt < 2; attempt++) {
      const sched = resetSchedule(f, span, T / (4 * inferences));
      if (!sched.ok) return sched;
      const total = sched.value.reduce((a, b) => a + b, 0);
      const r = await runWith(elf, sched.value, Math.ceil(60 + 3 * refSeconds * (1 + total / T)));
      if (!r.ok) return r;
      result = r.value;
      injected += sched.value.length;
      if (!r.value.unfinished || f.kind === 'at' || sched.value.length >= MSPDEBUG_MAX_RESETS) break;
      span *= 2;
    }
    if (result === null) return fail(issue('internal', elf, 'no simulator run was made'));
    if (result.unfinished && f.kind !== 'at') noProgress = true;
    stats.push(result);
  }

  // Compare every printed result with the golden vectors; every inference must have been reported.
  let mismatches = 0;
  let checked = 0;
  let results = 0;
  let duplicates = 0;
  const problems: string[] = [];
  for (const [i, s] of stats.entries()) {
    const seen = new Set<number>();
    for (const r of s.console.results) {
      const k = r.inference % g.inputs.length;
      const want = g.logits[k];
      checked++;
      if (want === undefined || r.class !== g.classes[k] || r.logits.length !== want.length || r.logits.some((v, j) => v !== want[j])) mismatches++;
      if (seen.has(r.inference)) duplicates++;
      seen.add(r.inference);
    }
    results += seen.size;
    for (let k = 0; k < inferences; k++) if (!seen.has(k)) problems.push(`run ${i}: inference ${k} was never reported`);
    const status = s.console.sim?.status ?? null;
    if (status !== 0 || s.console.errors.length > 0 || s.report.exit_status !== 0) {
      problems.push(`run ${i}: the firmware stopped with status ${status === null ? '?' : `0x${status.toString(16).padStart(4, '0')}`}${s.console.errors.length > 0 ? ` (${s.console.errors[0]})` : ''}`);
    }
  }
  if (problems.length > 0) {
    return fail(issue('device_error', dumpDir, `${problems[0]} (firmware/README.md "Status codes")`, { problems: problems.slice(0, 10) }));
  }

  const sum = (key: string): number => stats.reduce((a, s) => a + (s.console.sim?.[key] ?? 0), 0);
  const reboots = stats.reduce((a, s) => a + s.reboots, 0);
  const cycles = stats.reduce((a, s) => a + activeCycles(s), 0);
  const hz = FR5994_LIMITS.clock_hz;
  const m = man.value;
  const nLayers = m.layers.length;
  // Power-on periods that worked on each layer (a boot that printed its LS event).
  const layerPeriods = new Array<number>(nLayers).fill(0);
  for (const s of stats) {
    const touched = new Set(s.console.layers.map((l) => `${l.boot}:${l.layer}`));
    for (const key of touched) {
      const layer = Number(key.split(':')[1]);
      if (layer < nLayers) layerPeriods[layer] = (layerPeriods[layer] ?? 0) + 1;
    }
  }
  const summary: HostSummary = {
    status: 0, runs, results, mismatches, duplicates, reboots, power_failures: reboots, shutdowns: 0, no_progress: noProgress,
    tiles_executed: sum('tiles'), tiles_per_inference: stats[0]?.console.sim?.schedule ?? 0, commits: sum('commits'),
    nvm_reads: sum('nvm_reads'), nvm_read_bytes: sum('nvm_read_bytes'), nvm_writes: sum('nvm_writes'), nvm_write_bytes: sum('nvm_write_bytes'),
    torn_writes: sum('torn'), failure_points: injected, cycles, on_time_s: cycles / hz, off_time_s: 0, energy_j: 0,
    inference_time_s: cycles / hz, layer_power_cycles: layerPeriods,
  };
  const layerCycles = (li: number): number | null => {
    const spans = ref.value.console.layers.filter((l) => l.layer === li && l.end_ticks !== null).map((l) => (l.end_ticks ?? 0) - l.start_ticks);
    return spans.length > 0 ? spans.reduce((a, b) => a + b, 0) / spans.length : null;
  };
  const dumpLayers = readDumpLayers(dumpDir, m.layers.map((l) => l.name));
  const predictedCycles = dumpLayers.ok ? predictedOnTimeCycles(dumpLayers.value, m.layers.map((l) => l.design)) : m.layers.map(() => null);
  const report: MspdebugSimulationReport = {
    engine: 'mspdebug',
    runs,
    mismatches,
    reboots,
    reexecuted_tiles: Math.max(0, summary.tiles_executed - results * summary.tiles_per_inference),
    simulated_latency_s: results > 0 ? cycles / hz / results : null,
    predicted_latency_s: m.predicted.latency_s,
    power_cycles: { simulated: results > 0 ? (reboots + runs) / results : null, predicted: m.predicted.power_cycles },
    failures: failuresText(opts.failures),
    inferences: results,
    checked_results: checked,
    no_progress: noProgress,
    simulated_energy_j: null,
    predicted_energy_j: m.predicted.energy_j,
    layers: m.layers.map((l, i) => {
      const c = layerCycles(i);
      return {
        name: l.name, design: l.design,
        power_cycles: { simulated: results > 0 ? (layerPeriods[i] ?? 0) / results : 0, predicted: l.predicted.power_cycles },
        cycles: { simulated: c, simulated_s: c === null ? null : c / hz, predicted_s: l.predicted.latency_s },
        predicted_cycles: predictedCycles[i] ?? null,
        simulated_cycles: c,
        ratio: c === null || predictedCycles[i] == null || predictedCycles[i] === 0 ? null : c / (predictedCycles[i] ?? 1),
      };
    }),
    summary,
    binary: elf,
    mspdebug: {
      reference: { instructions: T, mclk_cycles: ref.value.report.mclk_cycles, cycles_per_inference: perInference, elapsed_ms: ref.value.report.elapsed_ms },
      resets_injected: injected,
      results: (stats[0]?.console.results ?? []).map((r) => ({ inference: r.inference, class: r.class, logits: r.logits })),
      clock_hz: hz,
      elf: path.resolve(elf),
    },
  };
  return ok(report);
}
