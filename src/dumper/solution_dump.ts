/**
 * `dumpSolution` (apis.md): a solution folder read by quant's `readSolution` → a dump. Golden inputs are the
 * solution's samples (quantised with the model's input scale), or seeded synthetic inputs when it has none; the
 * cost constants come from the platform of the solution's settings.
 */
import { fail, issue, createRng, type Result } from '../settings/index.ts';
import { createPlatform } from '../platform/index.ts';
import { quantizeInput, type LoadedSolution } from '../quant/index.ts';
import { dumpModel, renderDump, type DumpManifest, type RenderedDump } from './dump.ts';
import type { FirmwareCosts } from './costs.ts';
import type { DumpTarget } from './targets.ts';

export interface DumpSolutionOptions {
  readonly target: DumpTarget;
  /** Golden vectors to emit (default 4; at most the number of samples when the solution has samples). */
  readonly golden?: number;
  /** Seed of synthetic inputs (solutions without samples). */
  readonly seed?: number;
  readonly createdUtc?: string;
}

/** The platform's cost constants for the simulator. */
export function firmwareCosts(loaded: LoadedSolution): Result<FirmwareCosts> {
  const p = createPlatform(loaded.solution.settings.platform);
  if (!p.ok) return p;
  const plat = p.value;
  return { ok: true, value: { table: plat.costs, divide_energy_j: plat.profile.divide.energy_j, divide_latency_s: plat.profile.divide.cycles / plat.costs.clockHz } };
}

/** Test inputs (Q15, the model's input scale) and where they come from. */
export function goldenInputs(loaded: LoadedSolution, count: number, seed: number): { inputs: Int16Array[]; labels: number[] | null } {
  const q = loaded.qmodel!;
  const n = q.net.input[0] * q.net.input[1] * q.net.input[2];
  const s = loaded.samples;
  if (s && s.count > 0) {
    const k = Math.min(count, s.count);
    return {
      inputs: Array.from({ length: k }, (_, i) => quantizeInput(s.x.subarray(i * n, (i + 1) * n), q.input_frac)),
      labels: Array.from(s.y.subarray(0, k)),
    };
  }
  const rng = createRng(seed);
  return {
    inputs: Array.from({ length: count }, () => {
      const x = new Int16Array(n);
      for (let i = 0; i < n; i++) x[i] = rng.int(65536) - 32768;
      return x;
    }),
    labels: null,
  };
}

function prepare(loaded: LoadedSolution, opts: DumpSolutionOptions): Result<Parameters<typeof renderDump>[0]> {
  if (!loaded.qmodel) {
    return fail(issue('unsupported_design', loaded.path, 'this is a design-only solution (no quantized weights): the firmware needs weights; train it first (inas train)'));
  }
  const count = opts.golden ?? 4;
  if (!Number.isInteger(count) || count < 1 || count > 1000) return fail(issue('invalid_argument', '--golden', `must be an integer in [1, 1000] (got ${count})`));
  const costs = firmwareCosts(loaded);
  if (!costs.ok) return costs;
  const g = goldenInputs(loaded, count, opts.seed ?? 1);
  return { ok: true, value: { solution: loaded.solution, qmodel: loaded.qmodel, inputs: g.inputs, ...(g.labels ? { labels: g.labels } : {}), costs: costs.value, source: loaded.path } };
}

/** Renders the dump of a loaded solution in memory. */
export function renderSolution(loaded: LoadedSolution, opts: DumpSolutionOptions): Result<RenderedDump> {
  const input = prepare(loaded, opts);
  return input.ok ? renderDump(input.value, { target: opts.target, ...(opts.createdUtc ? { createdUtc: opts.createdUtc } : {}) }) : input;
}

/** Dumps a loaded solution into outDir (apis.md `dumpSolution`). */
export function dumpSolution(loaded: LoadedSolution, outDir: string, opts: DumpSolutionOptions): Result<DumpManifest> {
  const input = prepare(loaded, opts);
  return input.ok ? dumpModel(input.value, outDir, { target: opts.target, ...(opts.createdUtc ? { createdUtc: opts.createdUtc } : {}) }) : input;
}
