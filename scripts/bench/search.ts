/**
 * Benchmark of the search (issue 4 target): a `int` search on MNIST with the default evaluator (supernet) and the
 * same budget with the full-training evaluator (`train`); prints wall time, best child, its stand-alone Q15 test
 * accuracy, the supernet's Kendall τ, and the ratios measured in the same run.
 * Environment: INAS_BENCH_SETTINGS (settings/mnist.json), INAS_BENCH_TRIALS (100), INAS_BENCH_SUBSET (0 = all
 * training data), INAS_BENCH_EPOCHS (settings), INAS_BENCH_TAU (20), INAS_BENCH_EVALUATORS ("supernet,train").
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packagerFor, searchRun, type SearchSummary } from '../../src/nas/index.ts';
import { loadSettings, type EvaluatorName } from '../../src/settings/index.ts';

export async function run(): Promise<void> {
  const env = process.env;
  const file = env['INAS_BENCH_SETTINGS'] ?? 'settings/mnist.json';
  const trials = Number(env['INAS_BENCH_TRIALS'] ?? 100);
  const subset = Number(env['INAS_BENCH_SUBSET'] ?? 0);
  const epochs = env['INAS_BENCH_EPOCHS'] ? Number(env['INAS_BENCH_EPOCHS']) : undefined;
  const tau = Number(env['INAS_BENCH_TAU'] ?? 20);
  const evaluators = (env['INAS_BENCH_EVALUATORS'] ?? 'supernet,train').split(',') as EvaluatorName[];
  const loaded = loadSettings(file, { dataset: { train_subset: subset }, ...(epochs ? { training: { epochs } } : {}) });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const out = mkdtempSync(path.join(tmpdir(), 'inas-bench-search-'));
  console.log(`settings ${file}, ${trials} trials, mode int, latency requirement p50, train_subset ${subset || 'all'}, epochs ${loaded.value.settings.training.epochs}, runs in ${out}`);
  const res: Partial<Record<EvaluatorName, SearchSummary>> = {};
  for (const ev of evaluators) {
    const t0 = Date.now();
    const r = await searchRun({
      settings: loaded.value.settings, outDir: out, runName: `bench_${ev}`, packager: packagerFor(),
      overrides: { evaluator: ev, trials, mode: 'int', latency_requirement: 'p50', tau_samples: ev === 'supernet' ? tau : 0 },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const sm = r.value;
    res[ev] = sm;
    const b = sm.best_trial;
    console.log(`${ev.padEnd(8)} wall ${((Date.now() - t0) / 1000).toFixed(0)} s (${(sm.wall_s / 60).toFixed(1)} min); trained ${sm.trained}, gated ${sm.gated};` +
      ` best [${b?.arch.join(',') ?? '-'}] evaluator acc ${b?.accuracy?.toFixed(4) ?? '-'}, stand-alone ${sm.best_standalone_accuracy?.toFixed(4) ?? '-'},` +
      ` Q15 test ${sm.accuracy_q15?.toFixed(4) ?? '-'}, latency ${b?.latency_s?.toFixed(1) ?? '-'} s` +
      `${sm.kendall_tau !== null ? `, Kendall tau ${sm.kendall_tau.toFixed(3)} on ${sm.tau_children} children` : ''}`);
  }
  const s = res.supernet, t = res.train;
  if (s && t) {
    console.log(`ratio wall supernet/train ${(s.wall_s / t.wall_s).toFixed(3)}; Q15 accuracy supernet − train ${(100 * ((s.accuracy_q15 ?? 0) - (t.accuracy_q15 ?? 0))).toFixed(2)} points`);
  }
}
