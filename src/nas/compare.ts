/**
 * iNAS vs hardware-aware NAS (reference §7): runs (or reads) an `int` and a `cont` search per run id with the same
 * budget, then re-costs the HW-NAS solutions under intermittent power: (a) their continuous-power designs with
 * S = 1, as the paper deployed them, and (b) with their best intermittent design (the explorer on the same
 * architecture). The latency reduction of iNAS is 1 − L(iNAS) / L(HW-NAS under INT).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildNetwork } from '../network/index.ts';
import { costFixedDesigns, exploreNetwork } from '../explorer/index.ts';
import { fail, issue, ok, type InasSettings, type PowerType, type Result } from '../settings/index.ts';
import { platformFor } from './cost.ts';
import { searchRun, type SearchOverrides, type SearchRunRequest } from './run.ts';
import { readSearchState, type SearchEvent, type SearchSummary } from './search.ts';
import type { TrialRecord } from './trial_log.ts';
import type { CompareResult, ComparePoint, CompareRow, IntCost } from './compare_types.ts';

export type { IntCost, CompareRow, ComparePoint, CompareResult } from './compare_types.ts';

export interface CompareRequest {
  readonly settings: InasSettings;
  readonly runs: number;
  readonly trials?: number;
  /** Folder holding the run directories (compare_<name>_<mode>_r<i>); existing ones are resumed or read. */
  readonly dir: string;
  readonly overrides?: SearchOverrides;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: SearchEvent & { readonly run?: number; readonly mode?: PowerType }) => void;
  readonly packager?: SearchRunRequest['packager'];
}

const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** Runs or reads the searches and builds the comparison. */
export async function compareSearches(req: CompareRequest): Promise<Result<CompareResult>> {
  const s = req.settings;
  const name = s.name || s.dataset.name;
  const intPf = platformFor(s, 'int');
  if (!intPf.ok) return intPf;
  const rows: CompareRow[] = [];
  const points: ComparePoint[] = [];
  const lreq = { int: [] as number[], cont: [] as number[] };
  for (let r = 0; r < req.runs; r++) {
    const seed = s.search.seed + r;
    const summaries: Partial<Record<PowerType, SearchSummary>> = {};
    for (const mode of ['int', 'cont'] as const) {
      const runName = `compare_${name}_${mode}_r${r}`;
      const dir = path.join(req.dir, runName);
      const settings: InasSettings = { ...s, search: { ...s.search, seed } };
      const common = {
        overrides: { ...req.overrides, mode, ...(req.trials !== undefined ? { trials: req.trials } : {}) },
        ...(req.signal ? { signal: req.signal } : {}),
        ...(req.packager ? { packager: req.packager } : {}),
        onEvent: (e: SearchEvent) => req.onEvent?.({ ...e, run: r, mode }),
      };
      const res = existsSync(path.join(dir, 'state.json'))
        ? await searchRun({ resumeDir: dir, ...common })
        : await searchRun({ settings, outDir: req.dir, runName, ...common });
      if (!res.ok) return res;
      if (res.value.interrupted) return fail(issue('interrupted', dir, `the ${mode} search of run ${r} was interrupted; run compare again to continue it`));
      summaries[mode] = res.value;
    }
    const si = summaries.int as SearchSummary, sc = summaries.cont as SearchSummary;
    const stI = readSearchState(si.run_dir), stC = readSearchState(sc.run_dir);
    if (!stI.ok) return stI;
    if (!stC.ok) return stC;
    lreq.int.push(si.latency_requirement.latency_s);
    lreq.cont.push(sc.latency_requirement.latency_s);
    const recost = (t: TrialRecord): { s1: IntCost; best: IntCost } | null => {
      const net = buildNetwork(t.arch, s.search_space);
      if (!net.ok) return null;
      const reasons = (ex: { layers: readonly { feasible: boolean; name: string; reason?: string | undefined }[] }): string =>
        ex.layers.filter((l) => !l.feasible).map((l) => `${l.name}: ${l.reason ?? 'infeasible'}`).join('; ');
      const fx = costFixedDesigns(net.value, intPf.value, t.designs.map((d) => d ?? ''), { power: 'int', forceS1: true, latencyRequirementS: null });
      const bx = exploreNetwork(net.value, intPf.value, { power: 'int', latencyRequirementS: null });
      return {
        s1: { feasible: fx.layers_feasible, latency_s: fx.layers_feasible ? fx.latency_s : null, reason: reasons(fx) },
        best: { feasible: bx.layers_feasible, latency_s: bx.layers_feasible ? bx.latency_s : null, reason: reasons(bx) },
      };
    };
    const trainedI = stI.value.trials.filter((t) => t.feasible && t.accuracy !== null);
    const trainedC = stC.value.trials.filter((t) => t.feasible && t.accuracy !== null);
    for (const t of trainedI) points.push({ run: r, source: 'inas', accuracy: t.accuracy ?? 0, latency_s: t.latency_s, feasible: true });
    let hwIntFeasible = 0;
    for (const t of trainedC) {
      const c = recost(t);
      if (!c) continue;
      if (c.s1.feasible) hwIntFeasible++;
      points.push({ run: r, source: 'hwnas_s1', accuracy: t.accuracy ?? 0, latency_s: c.s1.latency_s, feasible: c.s1.feasible });
      points.push({ run: r, source: 'hwnas_best', accuracy: t.accuracy ?? 0, latency_s: c.best.latency_s, feasible: c.best.feasible });
    }
    const bi = si.best_trial, bc = sc.best_trial;
    const rc = bc ? recost(bc) : null;
    const red = (a: number | null | undefined, b: IntCost | null | undefined): number | null =>
      a !== null && a !== undefined && b?.feasible && b.latency_s ? 1 - a / b.latency_s : null;
    rows.push({
      run: r, seed, inas_dir: si.run_dir, hwnas_dir: sc.run_dir,
      inas_arch: bi?.arch ?? null, inas_accuracy: si.best_standalone_accuracy ?? bi?.accuracy ?? null, inas_latency_s: bi?.latency_s ?? null,
      hwnas_arch: bc?.arch ?? null, hwnas_accuracy: sc.best_standalone_accuracy ?? bc?.accuracy ?? null, hwnas_cont_latency_s: bc?.latency_s ?? null,
      hwnas_int_s1: rc?.s1 ?? null, hwnas_int_best: rc?.best ?? null,
      reduction_vs_s1: red(bi?.latency_s, rc?.s1), reduction_vs_best: red(bi?.latency_s, rc?.best),
      inas_feasible_children: trainedI.length, hwnas_children_int_feasible: hwIntFeasible, hwnas_children: trainedC.length,
    });
  }
  const r1 = rows.map((r) => r.reduction_vs_s1).filter((x): x is number => x !== null);
  const r2 = rows.map((r) => r.reduction_vs_best).filter((x): x is number => x !== null);
  return ok({ settings_name: name, trials: req.trials ?? s.search.trials, rows, points, mean_reduction_vs_s1: mean(r1), mean_reduction_vs_best: mean(r2),
    latency_requirements_s: lreq });
}
