/**
 * What `inas profile` compares against: the per-layer predictions (a solution file, or the manifest of a dump
 * folder), the golden vectors (golden.bin of a dump folder) and the settings digest the firmware must report.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fail, issue, ok, type PlatformSettings, type Result } from '../settings/index.ts';
import { readDumpInfo, readGolden, type GoldenVectors } from './dump_files.ts';
import type { PredictedLayer } from './profile.ts';

export interface ProfileTarget {
  readonly title: string;
  readonly layers: readonly PredictedLayer[];
  readonly predictedLatencyS: number | null;
  readonly golden: GoldenVectors | null;
  readonly digest: string;
  /** Platform settings of the solution (for --calibrate), when known. */
  readonly platform: PlatformSettings | null;
  /** Folder to write reports to by default. */
  readonly dir: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

interface SolutionBits {
  layers: PredictedLayer[];
  predictedLatencyS: number | null;
  digest: string;
  platform: PlatformSettings | null;
}

function readSolutionBits(file: string): Result<SolutionBits> {
  let j: unknown;
  try {
    j = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return fail(issue('invalid_json', file, `cannot parse ${file}: ${(e as Error).message}`));
  }
  if (!isObj(j) || j['kind'] !== 'inas-solution') return fail(issue('invalid_file', `${file}: /kind`, 'expected "inas-solution" (a solution file) or a dump folder'));
  const ls = j['layers'];
  if (!Array.isArray(ls)) return fail(issue('invalid_file', `${file}: /layers`, 'expected an array of layers'));
  const layers: PredictedLayer[] = [];
  for (const [i, l] of ls.entries()) {
    if (!isObj(l) || typeof l['name'] !== 'string') return fail(issue('invalid_file', `${file}: /layers/${i}`, 'expected { name, latency_s, power_cycles }'));
    layers.push({ name: l['name'], latency_s: num(l['latency_s']), power_cycles: num(l['power_cycles']), energy_per_cycle_j: num(l['energy_per_cycle_j']) });
  }
  const pred = isObj(j['predicted']) ? j['predicted'] : {};
  const settings = isObj(j['settings']) ? j['settings'] : {};
  return ok({
    layers,
    predictedLatencyS: num(pred['latency_s']),
    digest: typeof j['settings_digest'] === 'string' ? j['settings_digest'] : '',
    platform: isObj(settings['platform']) ? (settings['platform'] as unknown as PlatformSettings) : null,
  });
}

/** Resolves `<solution.json | dump dir>` plus an optional `--dump <dir>` for the golden vectors. */
export function loadProfileTarget(target: string, dumpDir?: string): Result<ProfileTarget> {
  if (!existsSync(target)) return fail(issue('file_not_found', target, `${target} does not exist (expected a solution.json or a dump folder)`));
  const isDir = statSync(target).isDirectory();
  const dump = isDir ? target : dumpDir;
  const info = dump === undefined ? null : readDumpInfo(dump);
  if (info && !info.ok) return info;
  const golden = info?.value.golden ? readGolden(info.value.golden.path) : null;
  if (golden && !golden.ok) return golden;
  if (!isDir) {
    const s = readSolutionBits(target);
    if (!s.ok) return s;
    if (info && info.value.settings_digest && s.value.digest && info.value.settings_digest !== s.value.digest) {
      return fail(issue('mismatch', dump!, `the dump was made from settings digest ${info.value.settings_digest.slice(0, 16)}…, the solution has ${s.value.digest.slice(0, 16)}…`));
    }
    return ok({ title: path.basename(target), ...s.value, golden: golden?.value ?? null, dir: path.dirname(path.resolve(target)) });
  }
  const d = info!.value;
  let platform: PlatformSettings | null = null;
  if (d.source !== null) {
    const src = path.resolve(target, d.source);
    if (existsSync(src)) {
      const s = readSolutionBits(src);
      if (s.ok) platform = s.value.platform;
    }
  }
  return ok({
    title: path.basename(path.resolve(target)),
    layers: d.layers.map((l) => ({ name: l.name, ...l.predicted })),
    predictedLatencyS: d.predicted.latency_s,
    golden: golden?.value ?? null,
    digest: d.settings_digest,
    platform,
    dir: path.resolve(target),
  });
}
