/**
 * Benchmark of the search (issue 4 target): a 100-child `int` search on MNIST (`--latreq p50`) with the default
 * evaluator (supernet) against the same budget (same settings, seed, trials and latency requirement) with the
 * full-training evaluator (`train`). Per run it prints wall time, CPU time of the process during the run, the load
 * average (the machine may be shared), trained/gated children, the best child, its evaluator and stand-alone
 * validation accuracy, the packaged best model's Q15 test accuracy, and the supernet's Kendall τ; then the
 * difference of the two Q15 accuracies (target: supernet within 1 point of train) and the wall/CPU ratios.
 *
 * Environment: INAS_BENCH_SETTINGS (settings/mnist.json), INAS_BENCH_TRIALS (100), INAS_BENCH_SUBSET (settings'
 * train_subset), INAS_BENCH_EPOCHS (settings' training.epochs), INAS_BENCH_TAU (20), INAS_BENCH_EVALUATORS
 * ("supernet,train"), INAS_BENCH_OUT (a folder for the run directories; default a new temp folder). Runs already
 * finished in INAS_BENCH_OUT are read, not repeated, so the two evaluators may be run as two processes at once
 * (INAS_BENCH_EVALUATORS=supernet and =train with the same INAS_BENCH_OUT) and compared by a third invocation.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { packagerFor, readSearchState, searchRun, type SearchSummary } from '../../src/nas/index.ts';
import { loadSettings, type EvaluatorName, type SettingsOverrides } from '../../src/settings/index.ts';

interface Measured {
  readonly summary: SearchSummary;
  readonly wall_s: number;
  readonly cpu_s: number | null;
  readonly load: string;
}

const f4 = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : x.toFixed(4));

export async function run(): Promise<void> {
  const env = process.env;
  const file = env['INAS_BENCH_SETTINGS'] ?? 'settings/mnist.json';
  const trials = Number(env['INAS_BENCH_TRIALS'] ?? 100);
  const tau = Number(env['INAS_BENCH_TAU'] ?? 20);
  const evaluators = (env['INAS_BENCH_EVALUATORS'] ?? 'supernet,train').split(',').map((e) => e.trim()) as EvaluatorName[];
  const over: Record<string, Record<string, unknown>> = {};
  if (env['INAS_BENCH_SUBSET']) over['dataset'] = { train_subset: Number(env['INAS_BENCH_SUBSET']) };
  if (env['INAS_BENCH_EPOCHS']) over['training'] = { epochs: Number(env['INAS_BENCH_EPOCHS']) };
  const loaded = loadSettings(file, over as SettingsOverrides);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const s = loaded.value.settings;
  const out = env['INAS_BENCH_OUT'] ?? mkdtempSync(path.join(tmpdir(), 'inas-bench-search-'));
  mkdirSync(out, { recursive: true });
  const sn = s.search.supernet;
  console.log(`settings ${file}, ${trials} trials, mode int, latency requirement p50, train_subset ${s.dataset.train_subset || 'all'}, ` +
    `child/stand-alone epochs ${s.training.epochs} (lr ${s.training.learning_rate}), supernet ${sn.epochs} epochs (lr ${sn.learning_rate}, ` +
    `${sn.paths_per_batch} paths/batch, ${sn.sampling}, kernels ${sn.kernel_sharing}, warm-up ${sn.warmup_epochs}), tau on ${tau} children; runs in ${out}`);
  const res: Partial<Record<EvaluatorName, Measured>> = {};
  for (const ev of ['supernet', 'train'] as const) {
    const dir = path.join(out, `bench_${ev}`);
    const st = existsSync(path.join(dir, 'state.json')) ? readSearchState(dir) : null;
    const finished = st?.ok && st.value.final?.done === true;
    if (!evaluators.includes(ev) && !finished) continue;
    const load0 = loadavg()[0] ?? 0;
    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    const r = await searchRun({
      ...(st?.ok ? { resumeDir: dir } : { settings: s, outDir: out, runName: `bench_${ev}` }),
      packager: packagerFor(),
      overrides: { evaluator: ev, trials, mode: 'int', latency_requirement: 'p50', tau_samples: ev === 'supernet' ? tau : 0 },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const cpu = process.cpuUsage(cpu0);
    const resumed = finished || st?.ok === true;
    res[ev] = {
      summary: r.value,
      wall_s: resumed ? r.value.wall_s : (Date.now() - t0) / 1000,
      cpu_s: resumed ? null : (cpu.user + cpu.system) / 1e6,
      load: resumed ? 'see the run that measured it' : `${load0.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)}`,
    };
  }
  for (const [ev, m] of Object.entries(res) as [EvaluatorName, Measured][]) {
    const sm = m.summary, b = sm.best_trial;
    console.log(`${ev.padEnd(8)} wall ${m.wall_s.toFixed(0)} s (${(m.wall_s / 60).toFixed(1)} min), CPU ${m.cpu_s === null ? '(earlier process)' : `${m.cpu_s.toFixed(0)} s`}, ` +
      `load avg ${m.load}; trials ${sm.trials}: trained ${sm.trained}, gated ${sm.gated}; best [${b?.arch.join(',') ?? '-'}] evaluator acc ${f4(b?.accuracy)}, ` +
      `stand-alone ${f4(sm.best_standalone_accuracy)}, Q15 test ${f4(sm.accuracy_q15)}, latency ${b?.latency_s?.toFixed(1) ?? '-'} s` +
      `${sm.kendall_tau !== null ? `, Kendall tau ${sm.kendall_tau.toFixed(3)} on ${sm.tau_children} children` : ''}`);
  }
  const a = res.supernet, t = res.train;
  if (a && t) {
    const d = 100 * ((a.summary.accuracy_q15 ?? 0) - (t.summary.accuracy_q15 ?? 0));
    console.log(`ratio wall supernet/train ${(a.wall_s / t.wall_s).toFixed(3)}` +
      `${a.cpu_s !== null && t.cpu_s !== null ? `, CPU ${(a.cpu_s / t.cpu_s).toFixed(3)}` : ''}; ` +
      `Q15 test accuracy supernet − train ${d.toFixed(2)} points (target ≥ −1)`);
  }
}
