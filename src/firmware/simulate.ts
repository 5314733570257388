/**
 * `simulate`: builds and runs a dump's firmware under a failure schedule, compares every output with the golden
 * vectors, and puts the simulated latency / power cycles beside the cost model's prediction (from the manifest).
 * Engines: `host` (the host simulator); the MSP430 port adds `mspdebug` to SIM_ENGINES.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fail, issue, ok, type Result } from '../settings/index.ts';
import type { DumpManifest } from '../dumper/index.ts';
import { buildFirmware } from './build.ts';
import { runHost, type HostFailures, type HostSummary } from './run.ts';
import { simulateMspdebug } from './msp430_simulate.ts';

export interface SimulateOptions {
  readonly failures: HostFailures;
  /** Independent runs, each from a fresh NVM image (default 1). */
  readonly runs?: number;
  /** Inferences per run (default: one per golden vector). */
  readonly inferences?: number;
  readonly engine?: string;
  readonly toolchain?: string;
  /** Build with ASan/UBSan (slower; tests). */
  readonly sanitize?: boolean;
  readonly torn?: boolean;
  readonly policy?: 'greedy' | 'batch';
  readonly trace?: string;
  readonly maxStall?: number;
}

export interface LayerComparison {
  readonly name: string;
  readonly design: string;
  readonly power_cycles: { readonly simulated: number; readonly predicted: number | null };
}

/** The report (`inas simulate --json` prints it; the first eight fields are the issue's contract). */
export interface SimulationReport {
  readonly engine: string;
  readonly runs: number;
  readonly mismatches: number;
  readonly reboots: number;
  readonly reexecuted_tiles: number;
  /** Mean simulated time per inference (s): on-time + recharge, from run start / the previous result. */
  readonly simulated_latency_s: number | null;
  readonly predicted_latency_s: number | null;
  /** Power cycles per inference: power-on periods (reboots + run starts) per result; the cost model's total. */
  readonly power_cycles: { readonly simulated: number | null; readonly predicted: number | null };
  readonly failures: string;
  readonly inferences: number;
  readonly checked_results: number;
  readonly no_progress: boolean;
  readonly simulated_energy_j: number | null;
  readonly predicted_energy_j: number | null;
  readonly layers: readonly LayerComparison[];
  readonly summary: HostSummary;
  readonly binary: string;
}

/** Reads a dump's manifest.json (minimal shape check). */
export function readManifest(dumpDir: string): Result<DumpManifest> {
  const file = path.join(dumpDir, 'manifest.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return fail(issue('file_not_found', file, 'not a dump folder (no manifest.json; run inas dump first)'));
  }
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    return fail(issue('invalid_json', file, `not valid JSON: ${(e as Error).message}`));
  }
  const o = m as Partial<DumpManifest>;
  if (typeof m !== 'object' || m === null || o.kind !== 'inas-dump' || o.schema_version !== 1 || !Array.isArray(o.layers) || !o.golden) {
    return fail(issue('invalid_file', file, 'not an inas dump manifest (expected kind "inas-dump", schema_version 1)'));
  }
  return ok(m as DumpManifest);
}

/** Golden vectors of golden.bin (format in the manifest). */
export function readGolden(dumpDir: string): Result<{ inputs: Int16Array[]; logits: Int16Array[]; classes: number[] }> {
  const file = path.join(dumpDir, 'golden.bin');
  let b: Buffer;
  try {
    b = readFileSync(file);
  } catch {
    return fail(issue('file_not_found', file, 'golden.bin is missing'));
  }
  if (b.length < 20 || b.subarray(0, 8).toString('latin1') !== 'INASGLD1') return fail(issue('invalid_file', file, 'not a golden.bin (magic INASGLD1)'));
  const count = b.readUInt32LE(8), n = b.readUInt32LE(12), k = b.readUInt32LE(16);
  if (b.length !== 20 + count * (2 * n + 2 * k + 4)) return fail(issue('invalid_file', file, `size ${b.length} does not match ${count} vectors of ${n} inputs and ${k} logits`));
  const inputs: Int16Array[] = [], logits: Int16Array[] = [], classes: number[] = [];
  let o = 20;
  for (let i = 0; i < count; i++) {
    const x = new Int16Array(n), y = new Int16Array(k);
    for (let j = 0; j < n; j++, o += 2) x[j] = b.readInt16LE(o);
    for (let j = 0; j < k; j++, o += 2) y[j] = b.readInt16LE(o);
    classes.push(b.readUInt16LE(o));
    o += 4;
    inputs.push(x);
    logits.push(y);
  }
  return ok({ inputs, logits, classes });
}

function failuresText(f: HostFailures): string {
  switch (f.kind) {
    case 'every': return `every:${f.writes}`;
    case 'every-cycles': return `every-cycles:${f.cycles}`;
    case 'random': return `random:${f.seed}${f.mean_points !== undefined ? `:${f.mean_points}` : ''}`;
    case 'at': return `at:${f.write}`;
    default: return f.kind;
  }
}

/** The host engine. */
async function simulateHost(dumpDir: string, opts: SimulateOptions): Promise<Result<SimulationReport>> {
  const man = readManifest(dumpDir);
  if (!man.ok) return man;
  const golden = readGolden(dumpDir);
  if (!golden.ok) return golden;
  const built = await buildFirmware(dumpDir, { target: 'host', ...(opts.toolchain ? { toolchain: opts.toolchain } : {}), sanitize: opts.sanitize ?? false });
  if (!built.ok) return built;
  const runs = opts.runs ?? 1;
  const inferences = opts.inferences ?? golden.value.inputs.length;
  // Event lines are kept (and every result checked in TS too) unless the run is large.
  const events = runs * inferences <= 200 && opts.failures.kind !== 'exhaustive';
  const rep = await runHost(built.value.binary, {
    failures: opts.failures, runs, inferences, events,
    ...(opts.torn ? { torn: true } : {}), ...(opts.policy ? { policy: opts.policy } : {}), ...(opts.trace ? { trace: opts.trace } : {}),
    ...(opts.maxStall !== undefined ? { maxStall: opts.maxStall } : {}),
  });
  if (!rep.ok) return rep;
  const s = rep.value.summary;
  let tsMismatches = 0;
  const g = golden.value;
  for (const r of rep.value.results) {
    const k = r.inference % g.inputs.length;
    const want = g.logits[k]!;
    if (r.class !== g.classes[k] || r.logits.length !== want.length || r.logits.some((v, i) => v !== want[i])) tsMismatches++;
  }
  const m = man.value;
  const results = s.results;
  const cycles = results > 0 ? (s.reboots + s.runs) / results : null;
  const report: SimulationReport = {
    engine: 'host',
    runs: s.runs,
    mismatches: Math.max(s.mismatches, tsMismatches),
    reboots: s.reboots,
    reexecuted_tiles: Math.max(0, s.tiles_executed - results * s.tiles_per_inference),
    simulated_latency_s: results > 0 ? s.inference_time_s / results : null,
    predicted_latency_s: m.predicted.latency_s,
    power_cycles: { simulated: cycles, predicted: m.predicted.power_cycles },
    failures: failuresText(opts.failures),
    inferences: results,
    checked_results: events ? rep.value.results.length : results,
    no_progress: s.no_progress,
    simulated_energy_j: results > 0 ? s.energy_j / results : null,
    predicted_energy_j: m.predicted.energy_j,
    layers: m.layers.map((l, i) => ({
      name: l.name, design: l.design,
      power_cycles: { simulated: results > 0 ? (s.layer_power_cycles[i] ?? 0) / results : 0, predicted: l.predicted.power_cycles },
    })),
    summary: s,
    binary: built.value.binary,
  };
  if (s.status !== 0) {
    return fail(issue('device_error', dumpDir, `the firmware stopped with status 0x${s.status.toString(16).padStart(4, '0')} (firmware/README.md "Status codes")`, { status: s.status }));
  }
  return ok(report);
}

/** Simulation engines: name → runner. The MSP430 port adds `mspdebug`. */
export const SIM_ENGINES: Readonly<Record<string, (dumpDir: string, opts: SimulateOptions) => Promise<Result<SimulationReport>>>> = {
  host: simulateHost,
  mspdebug: simulateMspdebug,
};

/** Runs a dump's firmware under a failure schedule and compares it with the golden vectors and the prediction. */
export async function simulate(dumpDir: string, opts: SimulateOptions): Promise<Result<SimulationReport>> {
  const name = opts.engine ?? 'host';
  const engine = SIM_ENGINES[name];
  if (!engine) return fail(issue('invalid_argument', '--engine', `unknown engine "${name}" (expected ${Object.keys(SIM_ENGINES).join(' or ')})`));
  return engine(dumpDir, opts);
}
